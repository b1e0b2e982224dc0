package fakerunpod

import (
	"fmt"
	"hash/crc32"
	"strings"
	"time"
)

// restPod is REST v2's Pod.
type restPod struct {
	ID               string            `json:"id"`
	Name             string            `json:"name"`
	Image            string            `json:"image"`
	Args             string            `json:"args"`
	Disk             int               `json:"disk"`
	Ports            []string          `json:"ports"`
	Env              map[string]string `json:"env"`
	Registry         *string           `json:"registry"`
	Status           string            `json:"status"`
	Actions          []string          `json:"actions"`
	Mounts           restMounts        `json:"mounts"`
	GPU              restGPU           `json:"gpu"`
	Cloud            CloudType         `json:"cloud"`
	DataCenterID     string            `json:"dataCenterId"`
	CUDAVersion      string            `json:"cudaVersion"`
	SSH              restSSH           `json:"ssh"`
	Template         *string           `json:"template"`
	Cost             float64           `json:"cost"`
	Locked           bool              `json:"locked"`
	GlobalNetworking restGlobalNetwork `json:"globalNetworking"`
	Runtime          *restRuntime      `json:"runtime"`
	CreatedAt        string            `json:"createdAt"`
	StartedAt        *string           `json:"startedAt"`
}

// restMounts is REST v2's Mounts: at most one of its fields is set.
type restMounts struct {
	Persistent *restPersistentMount `json:"persistent,omitempty"`
	Network    []restNetworkMount   `json:"network,omitempty"`
}

type restPersistentMount struct {
	Size int    `json:"size"`
	Path string `json:"path"`
}

type restNetworkMount struct {
	VolumeID string `json:"volumeId"`
	Path     string `json:"path"`
}

type restGPU struct {
	ID    string `json:"id"`
	Count int    `json:"count"`
}

// restSSH is REST v2's PodSsh; a nil endpoint is null.
type restSSH struct {
	Proxy  *restSSHEndpoint `json:"proxy"`
	Direct *restSSHEndpoint `json:"direct"`
}

type restSSHEndpoint struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Username string `json:"username"`
	Command  string `json:"command"`
}

type restGlobalNetwork struct {
	Enabled     bool   `json:"enabled"`
	IP          string `json:"ip,omitempty"`
	InternalDNS string `json:"internalDns,omitempty"`
}

type restRuntime struct {
	Uptime int               `json:"uptime"`
	GPUs   []restGPUUse      `json:"gpus"`
	CPU    restUse           `json:"cpu"`
	Memory restUse           `json:"memory"`
	Ports  []restRuntimePort `json:"ports"`
}

type restGPUUse struct {
	Util       int `json:"util"`
	MemoryUtil int `json:"memoryUtil"`
}

type restUse struct {
	Util int `json:"util"`
}

type restRuntimePort struct {
	Private int    `json:"private"`
	Public  int    `json:"public"`
	Type    string `json:"type"`
	IP      string `json:"ip"`
}

// restPodOf is the REST v2 Pod for p as of now. Its env never shows the
// pod-scoped key: the container gets that at start only.
func restPodOf(p pod, now time.Time) restPod {
	out := restPod{
		ID: p.id, Name: p.Name, Image: p.image(), Args: p.DockerArgs, Disk: p.ContainerDiskInGb,
		Ports: []string{}, Env: p.envMap(), Status: p.phase(), Actions: p.actions(),
		Mounts: restMountsOf(p), GPU: restGPU{ID: p.gpu.ID, Count: p.GPUCount},
		Cloud: p.cloud, DataCenterID: p.dc.ID, CUDAVersion: hostCUDA, Cost: p.costPerHr(),
		Locked: p.locked, CreatedAt: p.createdAt.UTC().Format(time.RFC3339),
		GlobalNetworking: restGlobalNetwork{Enabled: p.GlobalNetworking},
	}
	if p.Ports != "" {
		out.Ports = strings.Split(p.Ports, ",")
	}
	if p.Registry != "" {
		out.Registry = &p.Registry
	}
	if p.GlobalNetworking {
		h := crc32.ChecksumIEEE([]byte(p.id))
		out.GlobalNetworking.IP = fmt.Sprintf("10.65.%d.%d", h>>8&255, 1+h%254)
		out.GlobalNetworking.InternalDNS = p.id + ".runpod.internal"
	}
	if out.Status == phaseExited {
		out.Cost = 0
	}
	proxyUser := p.podHostID
	out.SSH.Proxy = &restSSHEndpoint{Host: "ssh.runpod.io", Port: 22, Username: proxyUser,
		Command: "ssh " + proxyUser + "@ssh.runpod.io"}
	if p.run != nil {
		out.Runtime = restRuntimeOf(p.run, now)
		out.SSH.Direct = directSSH(p.run, now)
		started := p.run.startedAt.UTC().Format(time.RFC3339)
		out.StartedAt = &started
	}
	return out
}

// restMountsOf is the storage p was created with.
func restMountsOf(p pod) restMounts {
	switch {
	case p.NetworkVolumeID != "":
		return restMounts{Network: []restNetworkMount{{VolumeID: p.NetworkVolumeID, Path: p.VolumeMountPath}}}
	case p.VolumeInGb > 0:
		return restMounts{Persistent: &restPersistentMount{Size: p.VolumeInGb, Path: p.VolumeMountPath}}
	}
	return restMounts{}
}
