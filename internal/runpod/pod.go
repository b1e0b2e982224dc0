// Package runpod is the action's client for RunPod pods: create on demand, get, list, resume,
// stop, terminate and GPU prices. Errors carry a Class that says whether to move to the next
// GPU type, retry, or fail.
package runpod

import (
	"strings"
	"time"
)

// Stopped reports whether a pod of status is not running and may be started: EXITED, or
// REST's ERROR.
func Stopped(status string) bool { return status == StatusExited || status == StatusError }

// Pod statuses the action acts on.
const (
	StatusRunning = "RUNNING"
	StatusExited  = "EXITED"
	// StatusError is REST's failed pod; like EXITED it allows start and terminate
	// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, Pod.status).
	StatusError      = "ERROR"
	StatusTerminated = "TERMINATED"
)

// Endpoint is a public address of a pod's port.
type Endpoint struct {
	Host string
	Port int
}

// Pod is what the action knows of a pod.
type Pod struct {
	ID        string
	Name      string
	Status    string
	Image     string
	GPUType   string // display name of the GPU, e.g. "RTX 4090"
	GPUTypeID string // RunPod's id of the GPU type, e.g. "NVIDIA GeForce RTX 4090"
	GPUCount  int
	// VolumePath is where the pod's volume (or network volume) is mounted, "" without one.
	VolumePath  string
	CostPerHour float64
	Env         map[string]string
	// Booted is true once the container runs (RunPod's runtime is not null).
	Booted bool
	// Starting is true while RunPod starts the container (REST's STARTING): ready is near.
	Starting      bool
	UptimeSeconds int
	// SSH is the public mapping of port 22/tcp, nil until RunPod publishes it.
	SSH *Endpoint
	// Community is true for a pod on a community host, which may never get a public IP
	// (https://github.com/runpod/docs/blob/main/api-reference/openapi.json, supportPublicIp).
	Community        bool
	LastStatusChange string
	// CreatedAt is when the pod was created; LastStartedAt when it was last started (created or
	// resumed). Zero when RunPod did not say.
	CreatedAt, LastStartedAt time.Time
	// StoppedAt is when a stopped pod stopped, when RunPod says (GraphQL's lastStatusChange).
	StoppedAt time.Time
}

// EnvVar is one entry of a pod's environment.
type EnvVar struct {
	Key, Value string
}

// CreateRequest asks for an on-demand pod.
type CreateRequest struct {
	Name            string
	Image           string
	TemplateID      string
	GPUTypeID       string
	GPUCount        int
	CloudType       string // SECURE, COMMUNITY or ALL
	DataCenterID    string // "" lets RunPod choose
	ContainerDiskGB int
	VolumeGB        int
	VolumeMountPath string
	NetworkVolumeID string
	MinVCPUCount    int
	MinMemoryGB     int
	MinCUDAVersion  string
	Ports           []string // 22/tcp is always added
	Env             []EnvVar
	TerminateAfter  time.Time // zero means never
}

// GPUType is a catalog entry with its on-demand price.
type GPUType struct {
	ID             string
	DisplayName    string
	MemoryGB       int
	SecureCloud    bool
	CommunityCloud bool
	// PricePerGPU is the lowest on-demand $/GPU/hour, 0 when RunPod has no offer.
	PricePerGPU float64
	StockStatus string // High, Medium, Low, or "" for none
}

// portsString renders ports as RunPod wants them: "22/tcp,8888/http", 22/tcp first.
func portsString(ports []string) string {
	out := []string{"22/tcp"}
	for _, p := range ports {
		if p != "22/tcp" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ",")
}

// parseTime reads a time as RunPod's APIs write it: RFC 3339 (REST) or Go's time.String form
// "2025-12-16 17:44:56.726 +0000 UTC" (GraphQL). Anything else is the zero time.
func parseTime(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999 -0700 MST"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// stoppedAt reads the time from GraphQL's lastStatusChange of a stopped pod, e.g.
// "Exited by User: Fri Jul 12 2024 15:14:40 GMT+0000 (Coordinated Universal Time)"
// (JavaScript's Date.toString); the zero time for anything else.
func stoppedAt(status, change string) time.Time {
	_, when, ok := strings.Cut(change, ": ")
	if status != StatusExited || !ok || len(when) < 33 {
		return time.Time{}
	}
	t, err := time.Parse("Mon Jan 02 2006 15:04:05 GMT-0700", when[:33])
	if err != nil {
		return time.Time{}
	}
	return t
}

// envMap turns RunPod's ["KEY=VALUE", ...] into a map.
func envMap(env []string) map[string]string {
	m := make(map[string]string, len(env))
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}
