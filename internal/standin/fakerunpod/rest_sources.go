package fakerunpod

import (
	"net/http"
)

// restNetworkVolume is REST v2's NetworkVolume.
type restNetworkVolume struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Size       int    `json:"size"`
	DataCenter string `json:"dataCenter"`
	Type       string `json:"type"`
}

// restTemplate is REST v2's Template, with every field it requires.
type restTemplate struct {
	ID                  string            `json:"id"`
	Name                string            `json:"name"`
	Image               string            `json:"image"`
	Args                string            `json:"args"`
	Disk                int               `json:"disk"`
	Mounts              struct{}          `json:"mounts"`
	Ports               []string          `json:"ports"`
	Env                 map[string]string `json:"env"`
	Registry            *string           `json:"registry"`
	Serverless          bool              `json:"serverless"`
	Public              bool              `json:"public"`
	Category            string            `json:"category"`
	StartSSH            bool              `json:"startSsh"`
	StartJupyter        bool              `json:"startJupyter"`
	AllowedCudaVersions []string          `json:"allowedCudaVersions"`
}

// networkVolumeREST answers getNetworkVolume: the volume, or 404
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json,
// GET /v2/network-volumes/{id}).
func (s *Server) networkVolumeREST(id string) restReply {
	v, ok := s.world.volume(id)
	if !ok {
		return problem(http.StatusNotFound, "network volume not found")
	}
	return jsonReply(http.StatusOK, restNetworkVolume{ID: v.ID, Name: v.Name, Size: max(v.Size, 10),
		DataCenter: v.DataCenterID, Type: "STANDARD"})
}

// templateREST answers getTemplate: the template, or 404
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json,
// GET /v2/templates/{id}).
func (s *Server) templateREST(id string) restReply {
	t, ok := s.world.template(id)
	if !ok {
		return problem(http.StatusNotFound, "template not found")
	}
	out := restTemplate{ID: t.ID, Name: t.Name, Image: t.Image, Disk: t.Disk, Ports: t.Ports, Env: t.Env,
		Category: "NVIDIA", StartSSH: true, AllowedCudaVersions: []string{}}
	if out.Ports == nil {
		out.Ports = []string{}
	}
	if out.Env == nil {
		out.Env = map[string]string{}
	}
	return jsonReply(http.StatusOK, out)
}
