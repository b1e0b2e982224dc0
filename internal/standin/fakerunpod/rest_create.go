package fakerunpod

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// restCreate is REST v2's CreatePodRequest. The OpenAPI description has
// checked its shape; what is left are the rules it states in words.
// startSsh changes nothing: the stand-in's account has no registered SSH
// keys, so, as on RunPod then, it adds no PUBLIC_KEY.
type restCreate struct {
	Name             string            `json:"name"`
	Image            string            `json:"image"`
	TemplateID       string            `json:"templateId"`
	Args             string            `json:"args"`
	Disk             int               `json:"disk"`
	Env              map[string]string `json:"env"`
	Ports            []string          `json:"ports"`
	Registry         *string           `json:"registry"`
	Cloud            CloudType         `json:"cloud"`
	GPU              *restCreateGPU    `json:"gpu"`
	CPU              *json.RawMessage  `json:"cpu"`
	DataCenterIDs    []string          `json:"dataCenterIds"`
	GlobalNetworking bool              `json:"globalNetworking"`
	Mounts           restMounts        `json:"mounts"`
	StartJupyter     bool              `json:"startJupyter"`
	StartSSH         bool              `json:"startSsh"`
}

// restCreateGPU is REST v2's CreateGpuConfig.
type restCreateGPU struct {
	ID                  string   `json:"id"`
	Count               int      `json:"count"`
	AllowedCudaVersions []string `json:"allowedCudaVersions"`
	MinCudaVersion      string   `json:"minCudaVersion"`
}

// createPodREST answers createPod: 201 with the new pod, 400 for a broken
// rule or no capacity.
func (s *Server) createPodREST(body []byte) restReply {
	var in restCreate
	if err := json.Unmarshal(body, &in); err != nil { // validated already
		return problem(http.StatusBadRequest, "request body is not valid JSON")
	}
	if msg := in.broken(); msg != "" {
		return problem(http.StatusBadRequest, msg)
	}
	if in.CPU != nil {
		// Only GPU pods are simulated: no CPU flavor ever has room.
		return problem(http.StatusBadRequest, "This CPU flavor and data center combination could not be placed: there are no longer any instances available with the requested specifications.")
	}
	g, ok := s.world.gpuType(in.GPU.ID)
	if !ok {
		return problem(http.StatusBadRequest, fmt.Sprintf("Unknown GPU type %q: see GET /v2/catalog/gpus.", in.GPU.ID))
	}
	if in.GPU.Count > g.maxCount() {
		// A count above the type's ceiling is a rule the upstream rejects (400), not a
		// placement failure: "maxCount); the upstream rejects values beyond it."
		// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, GpuConfig.count)
		return problem(http.StatusBadRequest, fmt.Sprintf("gpu.count %d is above the maximum of %d for %s.", in.GPU.Count, g.maxCount(), g.ID))
	}
	if n := in.Mounts.Network; len(n) > 0 {
		if _, ok := s.world.volume(n[0].VolumeID); !ok {
			return problem(http.StatusNotFound, fmt.Sprintf("network volume %q not found", n[0].VolumeID))
		}
	}
	p, err := s.world.create(in.request())
	if err != nil {
		return failureReply(err)
	}
	return jsonReply(http.StatusCreated, restPodOf(p, s.now()))
}

// broken returns the rule that in breaks and the schema cannot state, or
// "" if it breaks none.
func (in restCreate) broken() string {
	switch {
	case (in.GPU == nil) == (in.CPU == nil):
		return "Exactly one of gpu or cpu must be set."
	case in.Mounts.Persistent != nil && len(in.Mounts.Network) > 0:
		return "mounts.persistent and mounts.network are mutually exclusive."
	case in.CPU != nil && in.Mounts.Persistent != nil:
		return "mounts.persistent is invalid when cpu is set."
	case in.GPU != nil && len(in.GPU.AllowedCudaVersions) > 0 && in.GPU.MinCudaVersion != "":
		return "gpu.allowedCudaVersions and gpu.minCudaVersion are mutually exclusive."
	}
	return brokenPorts(in.Ports)
}

// brokenPorts says which of ports is not <port>/tcp or <port>/http, or ""
// if none is.
func brokenPorts(ports []string) string {
	for _, port := range ports {
		if _, err := parsePorts(port); err != nil || strings.Contains(port, ",") {
			return fmt.Sprintf("Invalid port %q: expected <port>/tcp or <port>/http.", port)
		}
	}
	return ""
}

// request is the world's create request for in.
func (in restCreate) request() createRequest {
	req := createRequest{
		Name: in.Name, ImageName: in.Image, TemplateID: in.TemplateID, GPUTypeID: in.GPU.ID,
		GPUCount: max(in.GPU.Count, 1), Clouds: []CloudType{Secure}, DataCenterIDs: in.DataCenterIDs,
		ContainerDiskInGb: in.Disk, DockerArgs: in.Args, Ports: strings.Join(in.Ports, ","),
		Env: envList(in.Env), GlobalNetworking: in.GlobalNetworking,
		CUDAVersions: in.GPU.AllowedCudaVersions, MinCUDAVersion: in.GPU.MinCudaVersion,
	}
	if in.Cloud != "" {
		req.Clouds = []CloudType{in.Cloud}
	}
	if in.Registry != nil {
		req.Registry = *in.Registry
	}
	if m := in.Mounts.Persistent; m != nil {
		req.VolumeInGb, req.VolumeMountPath = m.Size, m.Path
	}
	if n := in.Mounts.Network; len(n) > 0 {
		req.NetworkVolumeID, req.VolumeMountPath = n[0].VolumeID, n[0].Path
	}
	if in.StartJupyter && in.Env["JUPYTER_PASSWORD"] == "" {
		req.Env = append(req.Env, envVar{key: "JUPYTER_PASSWORD", value: randomString(16)})
	}
	return req
}

// envList is env as the world keeps it, in key order.
func envList(env map[string]string) []envVar {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]envVar, 0, len(env))
	for _, k := range keys {
		out = append(out, envVar{key: k, value: env[k]})
	}
	return out
}
