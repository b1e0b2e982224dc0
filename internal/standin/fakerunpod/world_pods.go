package fakerunpod

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Pod states a simulated pod goes through.
const (
	statusRunning    = "RUNNING"
	statusExited     = "EXITED"
	statusTerminated = "TERMINATED"
)

// defaultContainerDiskInGb is the container disk of a pod created without
// one: REST v2 answers every pod's disk as at least 1 GB.
const defaultContainerDiskInGb = 50

// envVar is one environment variable of a pod, in the order given.
type envVar struct{ key, value string }

// createRequest asks for a new on-demand pod. Transports fill it from
// their own input shapes; zero values mean "not given".
type createRequest struct {
	Name, ImageName, TemplateID, GPUTypeID string
	GPUCount                               int
	Clouds                                 []CloudType // in order of preference
	DataCenterIDs                          []string    // in order of preference; empty: any
	ContainerDiskInGb, VolumeInGb          int
	VolumeMountPath, DockerArgs, Ports     string
	Env                                    []envVar
	SupportPublicIP                        bool
	MinVcpuCount, MinMemoryInGb            int
	NetworkVolumeID                        string
	StopAfter, TerminateAfter              time.Time
	Registry                               string   // a registry credential id; "" for none
	GlobalNetworking                       bool     // REST v2's private cross-data-center address
	CUDAVersions                           []string // acceptable host CUDA versions; empty: any
	MinCUDAVersion                         string   // the lowest acceptable host CUDA version
}

// pod is a simulated pod. The world's mutex guards every field except
// slot, which guards itself; copies of a pod are snapshots.
type pod struct {
	createRequest
	id, machineID, podHostID string
	gpu                      GPUType
	cloud                    CloudType
	dc                       DataCenter
	status, lastStatusChange string
	createdAt, lastStartedAt time.Time
	run                      *podRuntime // nil until the container is up
	hostErr                  string      // the Host's last error, if any
	gen                      int         // bumped on every stop, resume and terminate
	timers                   podTimers
	slot                     *hostSlot
	apiKey                   string // the pod-scoped key its container gets as RUNPOD_API_KEY
	placed                   bool   // a boot has begun since the pod was created
	locked                   bool   // REST v2: stop and restart are refused
	log                      podLog
}

// podTimers are the pending events of a pod.
type podTimers struct{ boot, stop, terminate Timer }

// costPerHr is what the pod costs per hour while it runs.
func (p *pod) costPerHr() float64 {
	return math.Round(p.gpu.Price*float64(p.GPUCount)*1000) / 1000
}

// image is the pod's image: the one asked for, or its template's.
func (p *pod) image() string {
	if p.ImageName == "" {
		return "runpod/template:" + p.TemplateID
	}
	return p.ImageName
}

// envMap returns the pod's environment as a map.
func (p *pod) envMap() map[string]string {
	m := make(map[string]string, len(p.Env))
	for _, e := range p.Env {
		m[e.key] = e.value
	}
	return m
}

// world holds the simulated pods and the catalog they come from. It knows
// nothing of GraphQL, so that every transport can share it.
type world struct {
	host                  Host
	clock                 Clock
	bootDelay, portsDelay time.Duration
	gpus                  []GPUType
	dcs                   []DataCenter

	mu       sync.Mutex
	pods     map[string]*pod
	live     []*pod // in creation order
	capacity capacity
	noResume map[string]bool
	stuckGPU map[string]bool
	stuckPod map[string]bool
	readyAt  map[string]time.Time // when each pod last published its ports
	// publicIPHosts are the data centers whose community hosts have public IPs.
	publicIPHosts map[string]bool
	volumes       map[string]NetworkVolume // the account's network volumes, by id
	templates     map[string]Template      // the account's templates, by id
	closed        bool
	wg            sync.WaitGroup // pending timer callbacks
}

func newWorld(host Host, clock Clock, gpus []GPUType, dcs []DataCenter, bootDelay, portsDelay time.Duration) *world {
	return &world{
		host: host, clock: clock, gpus: gpus, dcs: dcs, bootDelay: bootDelay, portsDelay: portsDelay,
		pods: map[string]*pod{}, capacity: newCapacity(),
		noResume: map[string]bool{}, stuckGPU: map[string]bool{}, stuckPod: map[string]bool{},
		readyAt: map[string]time.Time{}, publicIPHosts: map[string]bool{},
		volumes: map[string]NetworkVolume{}, templates: map[string]Template{},
	}
}

// gpuType looks a GPU type up by id.
func (w *world) gpuType(id string) (GPUType, bool) {
	for _, g := range w.gpus {
		if g.ID == id {
			return g, true
		}
	}
	return GPUType{}, false
}

// create places and starts a new pod, or says why it cannot.
func (w *world) create(req createRequest) (pod, error) {
	w.fromTemplate(&req)
	if err := w.pinToVolume(&req); err != nil {
		return pod{}, err
	}
	if err := checkCreate(req); err != nil {
		return pod{}, err
	}
	if req.ContainerDiskInGb == 0 {
		req.ContainerDiskInGb = defaultContainerDiskInGb
	}
	now := w.clock.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return pod{}, fail(failInternal, MsgSomethingWentWrong)
	}
	g, ok := w.gpuType(req.GPUTypeID)
	if !ok {
		return pod{}, fail(failNoCapacity, MsgNoInstances)
	}
	cloud, dc, ok := w.capacity.place(g, req.GPUCount, req.Clouds, req.DataCenterIDs, w.dcs)
	if !ok || !hostCUDAFits(req.CUDAVersions, req.MinCUDAVersion) {
		return pod{}, fail(failNoCapacity, MsgNoInstances)
	}
	id := randomString(14)
	for w.pods[id] != nil {
		id = randomString(14)
	}
	p := &pod{
		createRequest: req, id: id, machineID: randomString(12),
		podHostID: fmt.Sprintf("%s-%08x", id, rand.Uint32()),
		gpu:       g, cloud: cloud, dc: dc, status: statusRunning,
		lastStatusChange: "Rented by User: " + statusTime(now),
		createdAt:        now, lastStartedAt: now, slot: newHostSlot(),
		apiKey: "rpa_pod_" + id + "_" + randomString(24),
	}
	p.log.add(now, logSystem, fmt.Sprintf("create: pod %s placed on machine %s in %s (%s)", id, p.machineID, dc.ID, cloud))
	w.pods[id] = p
	w.live = append(w.live, p)
	w.scheduleBoot(p)
	w.scheduleDeadlines(p, now)
	return *p, nil
}

// checkCreate rejects a request no pod can be made from.
func checkCreate(req createRequest) error {
	if req.ImageName == "" && req.TemplateID == "" {
		return fail(failInvalid, "Either imageName or templateId must be provided.")
	}
	if req.GPUCount < 1 {
		return fail(failInvalid, "gpuCount must be at least 1.")
	}
	if _, err := parsePorts(req.Ports); err != nil {
		return err
	}
	return nil
}

// get returns a snapshot of the pod with id, if it exists.
func (w *world) get(id string) (pod, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	p, ok := w.pods[id]
	if !ok {
		return pod{}, false
	}
	return *p, true
}

// list returns snapshots of every pod not terminated, oldest first.
func (w *world) list() []pod {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]pod, len(w.live))
	for i, p := range w.live {
		out[i] = *p
	}
	return out
}

// portSpec is one entry of a pod's ports string, such as 22/tcp.
type portSpec struct {
	port int
	typ  string
}

// parsePorts parses "22/tcp,8888/http". Like RunPod's, it takes no spaces.
func parsePorts(s string) ([]portSpec, error) {
	if s == "" {
		return nil, nil
	}
	var out []portSpec
	for _, entry := range strings.Split(s, ",") {
		num, typ, _ := strings.Cut(entry, "/")
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || n > 65535 || (typ != "tcp" && typ != "http") {
			return nil, fail(failInvalid, fmt.Sprintf("Invalid port %q: expected <port>/tcp or <port>/http.", entry))
		}
		out = append(out, portSpec{port: n, typ: typ})
	}
	return out, nil
}
