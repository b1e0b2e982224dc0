package runpod

import (
	"strings"
)

// REST v2 request and answer bodies, as far as the action uses them.

type restCreate struct {
	Name          string            `json:"name"`
	Image         string            `json:"image,omitempty"`
	TemplateID    string            `json:"templateId,omitempty"`
	GPU           restGPU           `json:"gpu"`
	Cloud         string            `json:"cloud,omitempty"`
	DataCenterIDs []string          `json:"dataCenterIds,omitempty"`
	Disk          int               `json:"disk,omitempty"`
	Ports         []string          `json:"ports"`
	Env           map[string]string `json:"env"`
	Mounts        *restMounts       `json:"mounts,omitempty"`
	StartSSH      bool              `json:"startSsh"`
}

type restGPU struct {
	ID             string `json:"id"`
	Count          int    `json:"count"`
	MinCudaVersion string `json:"minCudaVersion,omitempty"`
}

type restMounts struct {
	Persistent *restPersistent `json:"persistent,omitempty"`
	Network    []restNetwork   `json:"network,omitempty"`
}

type restPersistent struct {
	Size int    `json:"size"`
	Path string `json:"path"`
}

type restNetwork struct {
	VolumeID string `json:"volumeId"`
	Path     string `json:"path"`
}

type restPod struct {
	ID     string            `json:"id"`
	Name   string            `json:"name"`
	Status string            `json:"status"`
	Image  string            `json:"image"`
	Env    map[string]string `json:"env"`
	Cost   float64           `json:"cost"`
	Cloud  string            `json:"cloud"`
	GPU    *restGPU          `json:"gpu"`
	Mounts *restMounts       `json:"mounts"`
	SSH    struct {
		Direct *struct {
			Host string `json:"host"`
			Port int    `json:"port"`
		} `json:"direct"`
	} `json:"ssh"`
	Runtime *struct {
		Uptime int `json:"uptime"`
	} `json:"runtime"`
	StartedAt *string `json:"startedAt"`
	CreatedAt string  `json:"createdAt"`
}

type restGPUTypes struct {
	GPUs []struct {
		ID        string `json:"id"`
		Name      string `json:"name"`
		Memory    int    `json:"memory"`
		Secure    bool   `json:"secure"`
		Community bool   `json:"community"`
		Price     struct {
			Secure    float64 `json:"secure"`
			Community float64 `json:"community"`
		} `json:"price"`
		Availability string `json:"availability"`
	} `json:"gpus"`
}

// toPod maps a REST pod onto the action's Pod. REST's PROVISIONING and STARTING are a pod on
// its way to RUNNING, as GraphQL's desiredStatus RUNNING without a runtime.
func (p *restPod) toPod() *Pod {
	out := &Pod{ID: p.ID, Name: p.Name, Status: p.Status, Image: p.Image, Env: p.Env, CostPerHour: p.Cost,
		Community: p.Cloud == "COMMUNITY"}
	switch p.Status {
	case "PROVISIONING", "STARTING":
		out.Status, out.Starting = StatusRunning, p.Status == "STARTING"
	case StatusRunning:
		out.Booted = true
	}
	if p.GPU != nil {
		out.GPUType, out.GPUTypeID, out.GPUCount = p.GPU.ID, p.GPU.ID, p.GPU.Count
	}
	if m := p.Mounts; m != nil && m.Persistent != nil {
		out.VolumePath = m.Persistent.Path
	} else if m != nil && len(m.Network) > 0 {
		out.VolumePath = m.Network[0].Path
	}
	if d := p.SSH.Direct; d != nil && d.Host != "" && d.Port > 0 {
		out.SSH = &Endpoint{Host: d.Host, Port: d.Port}
	}
	if p.Runtime != nil {
		out.UptimeSeconds = p.Runtime.Uptime
	}
	if p.StartedAt != nil {
		out.LastStatusChange = "started " + *p.StartedAt
		out.LastStartedAt = parseTime(*p.StartedAt)
	}
	out.CreatedAt = parseTime(p.CreatedAt)
	if out.Env == nil {
		out.Env = map[string]string{}
	}
	return out
}

// restPorts renders ports as REST wants them: a list, 22/tcp included.
func restPorts(ports []string) []string { return strings.Split(portsString(ports), ",") }
