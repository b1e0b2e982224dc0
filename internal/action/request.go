package action

import (
	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// createRequest is the pod to ask for on candidate c: the inputs, the markers that make the pod
// known as this run's, and the public key.
func (s *start) createRequest(c candidate) runpod.CreateRequest {
	env := []runpod.EnvVar{
		{Key: "PUBLIC_KEY", Value: s.cfg.PublicKeys(s.key.AuthorizedKey)},
		{Key: marker.Repo, Value: s.cfg.Run.Repository},
		{Key: marker.Run, Value: s.cfg.Run.ID},
		{Key: marker.Attempt, Value: s.cfg.Run.Attempt},
		{Key: marker.Label, Value: s.label},
		{Key: marker.Runner, Value: s.runnerName},
	}
	if s.group != "" {
		env = append(env, runpod.EnvVar{Key: marker.Group, Value: s.group})
	}
	if s.cfg.ScaleSet != "" {
		env = append(env, runpod.EnvVar{Key: marker.ScaleSet, Value: s.cfg.ScaleSet})
	}
	for _, e := range s.cfg.Env {
		env = append(env, runpod.EnvVar{Key: e.Key, Value: e.Value})
	}
	image := s.cfg.Image
	if s.createImage != "" {
		image = s.createImage
	}
	return runpod.CreateRequest{
		Name: s.podName, Image: image, TemplateID: s.cfg.TemplateID,
		GPUTypeID: c.gpuType, GPUCount: s.cfg.GPUCount, CloudType: c.cloud, DataCenterID: c.dataCenter,
		ContainerDiskGB: s.containerDisk(), VolumeGB: s.cfg.VolumeGB, VolumeMountPath: s.cfg.VolumeMountPath,
		NetworkVolumeID: s.cfg.NetworkVolumeID, MinVCPUCount: s.cfg.MinVCPUCount, MinMemoryGB: s.cfg.MinMemoryGB,
		MinCUDAVersion: s.cfg.MinCUDAVersion, Ports: s.ports(), Env: env,
		TerminateAfter: s.d.Now().Add(s.cfg.MaxRuntime),
	}
}

// containerDisk is container-disk-gb, or 0 (not sent) with template-id when it was not given:
// explicit fields override the template's (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json,
// CreatePodRequest.templateId), so the default would replace the template's disk size.
func (s *start) containerDisk() int {
	if s.cfg.TemplateID != "" && !s.cfg.ContainerDiskSet {
		return 0
	}
	return s.cfg.ContainerDiskGB
}
