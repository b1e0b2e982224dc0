package fakerunpod

import (
	"strings"
	"sync"
	"time"
)

// setFlag sets or clears m[k] under mu.
func setFlag[K comparable](mu *sync.Mutex, m map[K]bool, k K, on bool) {
	mu.Lock()
	defer mu.Unlock()
	if on {
		m[k] = true
	} else {
		delete(m, k)
	}
}

// SetCapacity says whether pods of a GPU type can be created. Without
// capacity, a create for it fails with MsgNoInstances.
func (s *Server) SetCapacity(gpuTypeID string, available bool) {
	setFlag(&s.world.mu, s.world.capacity.noGPU, gpuTypeID, !available)
}

// SetDataCenterCapacity says whether pods can be created in a data center.
func (s *Server) SetDataCenterCapacity(dataCenterID string, available bool) {
	setFlag(&s.world.mu, s.world.capacity.noDC, dataCenterID, !available)
}

// SetCloudCapacity says whether pods can be created in a cloud.
func (s *Server) SetCloudCapacity(cloud CloudType, available bool) {
	setFlag(&s.world.mu, s.world.capacity.noCloud, cloud, !available)
}

// SetCommunityPublicIP says whether the community hosts of a data center have
// public IPs. By default they have none: a community pod gets one only when
// its create asked with GraphQL's supportPublicIp, which REST v2 cannot ask
// (https://github.com/runpod/docs/blob/main/api-reference/openapi.json,
// supportPublicIp). Pods booted after the call see the change.
func (s *Server) SetCommunityPublicIP(dataCenterID string, public bool) {
	setFlag(&s.world.mu, s.world.publicIPHosts, dataCenterID, public)
}

// SetResumeCapacity says whether a stopped pod's host still has its GPUs.
// Without them, resuming the pod fails with MsgNotEnoughGPUs.
func (s *Server) SetResumeCapacity(podID string, available bool) {
	setFlag(&s.world.mu, s.world.noResume, podID, !available)
}

// SetGPUTypeStuck makes pods of a GPU type hang from their next boot on:
// RUNNING, with no runtime, forever.
func (s *Server) SetGPUTypeStuck(gpuTypeID string, stuck bool) {
	setFlag(&s.world.mu, s.world.stuckGPU, gpuTypeID, stuck)
}

// SetPodStuck makes one pod hang from its next boot on.
func (s *Server) SetPodStuck(podID string, stuck bool) {
	setFlag(&s.world.mu, s.world.stuckPod, podID, stuck)
}

// PodSnapshot is the state of one simulated pod, for tests.
type PodSnapshot struct {
	ID, Name       string
	Status         string // RUNNING or EXITED
	GPUTypeID      string
	GPUCount       int
	CloudType      CloudType
	DataCenterID   string
	Ports          string // as created, such as "22/tcp,8888/http"
	Env            map[string]string
	SSHIP          string // the Host's address for port 22; empty until the container runs
	SSHPort        int
	Booted         bool // the container runs
	HostErr        string
	APIKey         string // the pod-scoped key its container gets as RUNPOD_API_KEY
	CreatedAt      time.Time
	StopAfter      time.Time // zero if not set
	TerminateAfter time.Time // zero if not set
}

// Pods returns every pod not terminated, oldest first.
func (s *Server) Pods() []PodSnapshot {
	var out []PodSnapshot
	for _, p := range s.world.list() {
		snap := PodSnapshot{
			ID: p.id, Name: p.Name, Status: p.status, GPUTypeID: p.GPUTypeID, GPUCount: p.GPUCount,
			CloudType: p.cloud, DataCenterID: p.dc.ID, Ports: p.Ports, Env: p.envMap(), HostErr: p.hostErr, APIKey: p.apiKey,
			CreatedAt: p.createdAt, StopAfter: p.StopAfter, TerminateAfter: p.TerminateAfter,
		}
		if p.run != nil {
			snap.SSHIP, snap.SSHPort, snap.Booted = p.run.sshIP, p.run.sshPort, true
		}
		out = append(out, snap)
	}
	return out
}

// ReadyAt is when the pod last published its ports (its SSH address): the moment a client can
// first see that it is ready. Zero if it never did; kept after the pod is gone.
func (s *Server) ReadyAt(podID string) time.Time {
	s.world.mu.Lock()
	defer s.world.mu.Unlock()
	return s.world.readyAt[podID]
}

// Backdate moves a pod's past back by d, as if it had been created, started and (when stopped)
// stopped d earlier: for tests of what happens to old pods.
func (s *Server) Backdate(podID string, d time.Duration) bool {
	s.world.mu.Lock()
	defer s.world.mu.Unlock()
	p, ok := s.world.pods[podID]
	if !ok {
		return false
	}
	p.createdAt, p.lastStartedAt = p.createdAt.Add(-d), p.lastStartedAt.Add(-d)
	if what, when, ok := strings.Cut(p.lastStatusChange, ": "); ok && len(when) >= 33 {
		if t, err := time.Parse("Mon Jan 02 2006 15:04:05 GMT-0700", when[:33]); err == nil {
			p.lastStatusChange = what + ": " + statusTime(t.Add(-d))
		}
	}
	if p.run != nil {
		p.run.startedAt = p.run.startedAt.Add(-d)
	}
	return true
}
