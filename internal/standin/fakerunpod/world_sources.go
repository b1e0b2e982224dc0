package fakerunpod

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// NetworkVolume is a simulated network volume, as REST v2's NetworkVolume
// describes one (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json).
type NetworkVolume struct {
	ID, Name     string
	Size         int    // GB, 10 to 4096
	DataCenterID string // immutable: pods mount the volume only here
}

// Template is a simulated pod template: what a create with its templateId
// gets when the create leaves a field out.
type Template struct {
	ID, Name, Image string
	Disk            int      // container disk in GB
	Ports           []string // such as "8888/http"
	Env             map[string]string
}

// AddNetworkVolume gives the account a network volume.
func (s *Server) AddNetworkVolume(v NetworkVolume) {
	s.world.mu.Lock()
	defer s.world.mu.Unlock()
	s.world.volumes[v.ID] = v
}

// AddTemplate gives the account a template; one without a disk gets the
// default container disk.
func (s *Server) AddTemplate(t Template) {
	if t.Disk == 0 {
		t.Disk = defaultContainerDiskInGb
	}
	s.world.mu.Lock()
	defer s.world.mu.Unlock()
	s.world.templates[t.ID] = t
}

// volume looks a network volume up by id.
func (w *world) volume(id string) (NetworkVolume, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	v, ok := w.volumes[id]
	return v, ok
}

// template looks a template up by id.
func (w *world) template(id string) (Template, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	t, ok := w.templates[id]
	return t, ok
}

// networkVolumes returns every network volume of the account, by id.
func (w *world) networkVolumes() []NetworkVolume {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]NetworkVolume, 0, len(w.volumes))
	for _, v := range w.volumes {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b NetworkVolume) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// pinToVolume checks a create's network volume and places the pod in its
// data center: a pod mounts "an existing NetworkVolume in the same data
// center as the pod" only
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json,
// NetworkMount.volumeId), so a create whose data centers leave it out
// cannot be placed.
func (w *world) pinToVolume(req *createRequest) error {
	if req.NetworkVolumeID == "" {
		return nil
	}
	v, ok := w.volume(req.NetworkVolumeID)
	switch {
	case !ok:
		return fail(failInvalid, fmt.Sprintf("network volume %q not found", req.NetworkVolumeID))
	case len(req.DataCenterIDs) > 0 && !slices.Contains(req.DataCenterIDs, v.DataCenterID):
		return fail(failInvalid, fmt.Sprintf("Network volume %s is in %s, which is not among the requested data centers %v.",
			v.ID, v.DataCenterID, req.DataCenterIDs))
	}
	req.DataCenterIDs = []string{v.DataCenterID}
	return nil
}

// fromTemplate fills what a create left out from its template: explicit
// fields override the template's
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json,
// CreatePodRequest.templateId).
func (w *world) fromTemplate(req *createRequest) {
	t, ok := w.template(req.TemplateID)
	if !ok {
		return
	}
	if req.ImageName == "" {
		req.ImageName = t.Image
	}
	if req.ContainerDiskInGb == 0 {
		req.ContainerDiskInGb = t.Disk
	}
	if req.Ports == "" {
		req.Ports = strings.Join(t.Ports, ",")
	}
}
