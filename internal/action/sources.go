package action

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// readSources reads what a create takes from RunPod itself, before any pod exists: the data
// center of network-volume-id, which pins the pod, and the ports of template-id, which the
// create keeps.
func (s *start) readSources(ctx context.Context) error {
	return errors.Join(s.pinToVolume(ctx), s.readTemplate(ctx))
}

// pinToVolume makes the network volume's data center the only one to create in: RunPod mounts a
// network volume "in the same data center as the pod" only
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, NetworkMount.volumeId).
// data-center-ids that leave it out cannot be met.
func (s *start) pinToVolume(ctx context.Context) error {
	id := s.cfg.NetworkVolumeID
	if id == "" {
		return nil
	}
	v, err := readFor(ctx, config.InNetworkVolumeID, "network volume", id, s.d.Pods.NetworkVolume)
	if err != nil {
		return err
	}
	if dcs := s.cfg.DataCenterIDs; len(dcs) > 0 && !slices.Contains(dcs, v.DataCenterID) {
		return &config.InputError{Input: config.InDataCenterIDs, Problem: fmt.Sprintf(
			"%s leaves out %s, the data center of network volume %s (%s); RunPod mounts a network volume only in its own data center",
			strings.Join(dcs, ", "), v.DataCenterID, id, config.InNetworkVolumeID)}
	}
	s.volumeDC = v.DataCenterID
	s.log.Infof("Network volume %s is in %s: the pod is created there.", id, v.DataCenterID)
	return nil
}

// readTemplate reads template-id's ports. A create's ports replace the template's (explicit
// fields override the template's, https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json,
// CreatePodRequest.templateId), so the create sends them with 22/tcp and the ports input.
func (s *start) readTemplate(ctx context.Context) error {
	id := s.cfg.TemplateID
	if id == "" {
		return nil
	}
	t, err := readFor(ctx, config.InTemplateID, "template", id, s.d.Pods.Template)
	if err != nil {
		return err
	}
	s.templatePorts = t.Ports
	return nil
}

// readFor reads what input names (a what with that id) from RunPod. One RunPod does not have is
// an error of the input; any other failure is wrapped naming it.
func readFor[T any](ctx context.Context, input, what, id string, read func(context.Context, string) (*T, error)) (*T, error) {
	v, err := read(ctx, id)
	if runpod.ClassOf(err) == runpod.NotFound {
		return nil, &config.InputError{Input: input, Problem: fmt.Sprintf(
			"RunPod has no %s %s that the key in %s can use", what, id, config.InRunPodAPIKey)}
	}
	if err != nil {
		return nil, fmt.Errorf("read %s %s (%s): %w", what, id, input, err)
	}
	return v, nil
}

// ports are the ports to create with: the template's (if any), then the ports input, each once;
// the client puts 22/tcp first.
func (s *start) ports() []string {
	out := slices.Clone(s.templatePorts)
	for _, p := range s.cfg.Ports {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
