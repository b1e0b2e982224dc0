package fakerunpod

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// listPodsREST answers listPods: every pod not terminated, oldest first.
// There are no cluster pods to include.
func (s *Server) listPodsREST() restReply {
	now := s.now()
	pods := []restPod{}
	for _, p := range s.world.list() {
		pods = append(pods, restPodOf(p, now))
	}
	return jsonReply(http.StatusOK, struct {
		Pods []restPod `json:"pods"`
	}{pods})
}

// getPodREST answers getPod.
func (s *Server) getPodREST(id string) restReply {
	p, ok := s.world.get(id)
	if !ok {
		return problem(http.StatusNotFound, MsgPodNotFound)
	}
	return jsonReply(http.StatusOK, restPodOf(p, s.now()))
}

// deletePodREST answers deletePod: it terminates the pod.
func (s *Server) deletePodREST(id string) restReply {
	if err := s.world.terminate(id); err != nil {
		return failureReply(err)
	}
	return noContent()
}

// podActionREST answers podAction: 200 with the pod, 204 for terminate,
// 409 for an action the pod's status does not allow.
func (s *Server) podActionREST(id string, body []byte) restReply {
	var req struct {
		Action string `json:"action"`
	}
	if err := json.Unmarshal(body, &req); err != nil { // validated already
		return problem(http.StatusBadRequest, "request body is not valid JSON")
	}
	p, err := s.world.act(id, req.Action)
	switch {
	case err != nil:
		return failureReply(err)
	case req.Action == actionTerminate:
		return noContent()
	}
	return jsonReply(http.StatusOK, restPodOf(p, s.now()))
}

// restUpdate is REST v2's UpdatePodRequest: nil fields stay as they are.
// templateId is accepted and changes nothing: the stand-in has no
// templates to apply.
type restUpdate struct {
	Name             *string            `json:"name"`
	Image            *string            `json:"image"`
	Args             *string            `json:"args"`
	Disk             *int               `json:"disk"`
	Env              *map[string]string `json:"env"`
	Ports            *[]string          `json:"ports"`
	Registry         json.RawMessage    `json:"registry"`
	Locked           *bool              `json:"locked"`
	GlobalNetworking *bool              `json:"globalNetworking"`
	Mounts           *restMounts        `json:"mounts"`
}

// updatePodREST answers updatePod. env, when given, replaces the whole
// environment; the container gets it on its next start.
func (s *Server) updatePodREST(id string, body []byte) restReply {
	var in restUpdate
	if err := json.Unmarshal(body, &in); err != nil { // validated already
		return problem(http.StatusBadRequest, "request body is not valid JSON")
	}
	if in.Ports != nil {
		if msg := brokenPorts(*in.Ports); msg != "" {
			return problem(http.StatusBadRequest, msg)
		}
	}
	p, err := s.world.update(id, func(p *pod) error {
		if err := checkMounts(p, in.Mounts); err != nil {
			return err
		}
		in.apply(p)
		return nil
	})
	if err != nil {
		return failureReply(err)
	}
	return jsonReply(http.StatusOK, restPodOf(p, s.now()))
}

// checkMounts applies REST v2's rules for a PATCH of a pod's mounts: the
// kind of mount is fixed at create, a network volume stays the same, and
// mounts cannot be cleared.
func checkMounts(p *pod, m *restMounts) error {
	switch {
	case m == nil:
		return nil
	case m.Network != nil && len(m.Network) == 0:
		return fail(failInvalid, "mounts.network cannot be cleared.")
	case m.Persistent != nil && len(m.Network) > 0:
		return fail(failInvalid, "mounts.persistent and mounts.network are mutually exclusive.")
	case m.Persistent != nil && p.VolumeInGb == 0:
		return fail(failInvalid, "The pod has no persistent mount: the kind of mount is fixed at create.")
	case len(m.Network) > 0 && p.NetworkVolumeID == "":
		return fail(failInvalid, "The pod has no network mount: the kind of mount is fixed at create.")
	case len(m.Network) > 0 && m.Network[0].VolumeID != p.NetworkVolumeID:
		return fail(failInvalid, fmt.Sprintf("The network volume of a pod cannot change from %q.", p.NetworkVolumeID))
	}
	return nil
}

// apply changes p as in says; checkMounts has passed.
func (in restUpdate) apply(p *pod) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&p.Name, in.Name)
	set(&p.ImageName, in.Image)
	set(&p.DockerArgs, in.Args)
	if in.Disk != nil {
		p.ContainerDiskInGb = *in.Disk
	}
	if in.Env != nil {
		p.Env = envList(*in.Env)
	}
	if in.Ports != nil {
		p.Ports = strings.Join(*in.Ports, ",")
	}
	if len(in.Registry) > 0 {
		p.Registry = ""
		_ = json.Unmarshal(in.Registry, &p.Registry) // null leaves ""
	}
	if in.Locked != nil {
		p.locked = *in.Locked
	}
	if in.GlobalNetworking != nil {
		p.GlobalNetworking = *in.GlobalNetworking
	}
	if m := in.Mounts; m != nil && m.Persistent != nil {
		p.VolumeInGb, p.VolumeMountPath = m.Persistent.Size, m.Persistent.Path
	}
	if m := in.Mounts; m != nil && len(m.Network) > 0 {
		p.VolumeMountPath = m.Network[0].Path
	}
}
