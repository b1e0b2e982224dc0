package fakerunpod

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// after runs f once d has passed, unless the timer is cancelled or the
// world closes first. The caller holds w.mu and has checked w.closed.
func (w *world) after(d time.Duration, f func()) *time.Timer {
	w.wg.Add(1)
	return time.AfterFunc(d, func() {
		defer w.wg.Done()
		f()
	})
}

// cancel stops *t if it has not fired yet. The caller holds w.mu.
func (w *world) cancel(t **time.Timer) {
	if *t != nil && (*t).Stop() {
		w.wg.Done()
	}
	*t = nil
}

// scheduleBoot starts the pod's container once the boot delay has passed.
func (w *world) scheduleBoot(p *pod) {
	gen := p.gen
	p.timers.boot = w.after(w.bootDelay, func() { w.boot(p, gen) })
}

// scheduleDeadlines arms the pod's stopAfter and terminateAfter.
func (w *world) scheduleDeadlines(p *pod, now time.Time) {
	if !p.StopAfter.IsZero() {
		p.timers.stop = w.after(p.StopAfter.Sub(now), func() { _, _ = w.stop(p.id) })
	}
	if !p.TerminateAfter.IsZero() {
		p.timers.terminate = w.after(p.TerminateAfter.Sub(now), func() { _ = w.terminate(p.id) })
	}
}

// boot starts the container of p, unless p has been stopped, resumed or
// terminated since the boot was scheduled (gen), or is stuck.
func (w *world) boot(p *pod, gen int) {
	w.mu.Lock()
	if p.gen != gen || w.closed || w.stuckGPU[p.GPUTypeID] || w.stuckPod[p.id] {
		w.mu.Unlock()
		return
	}
	env := p.envMap()
	// RunPod adds these to every container's environment.
	env["RUNPOD_POD_ID"], env["RUNPOD_GPU_COUNT"] = p.id, strconv.Itoa(p.GPUCount)
	ticket := p.slot.take()
	w.mu.Unlock()
	p.slot.wait(ticket)
	defer p.slot.done()
	ip, port, err := w.host.Start(p.id, env)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		p.hostErr = fmt.Sprintf("start: %v", err)
		return
	}
	p.slot.up = true
	if p.gen == gen { // else a stop or terminate holds a later ticket and will halt it
		p.run = newRuntime(p, ip, port, time.Now(), w.portsDelay)
	}
}

// stop halts a pod; its volume stays. Stopping a stopped pod changes nothing.
func (w *world) stop(id string) (pod, error) {
	w.mu.Lock()
	p, ok := w.pods[id]
	if !ok || w.closed {
		w.mu.Unlock()
		return pod{}, fail(failNotFound, "pod not found to stop")
	}
	if p.status == statusExited {
		snap := *p
		w.mu.Unlock()
		return snap, nil
	}
	p.status, p.run = statusExited, nil
	p.lastStatusChange = "Exited by User: " + statusTime(time.Now())
	p.gen++
	w.cancel(&p.timers.boot)
	snap, ticket := *p, p.slot.take()
	w.mu.Unlock()
	return snap, w.halt(p, ticket, false)
}

// resume starts a stopped pod again on its machine, with gpuCount GPUs if
// that is above 0. Resuming a running pod changes nothing.
func (w *world) resume(id string, gpuCount int) (pod, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	p, ok := w.pods[id]
	switch {
	case !ok || w.closed:
		return pod{}, fail(failNotFound, "pod not found to resume")
	case p.status == statusRunning:
		return *p, nil
	case w.noResume[id] || gpuCount > p.gpu.maxCount():
		return pod{}, fail(failUnavailable, MsgNotEnoughGPUs)
	}
	if gpuCount > 0 {
		p.GPUCount = gpuCount
	}
	now := time.Now()
	p.status, p.lastStartedAt = statusRunning, now
	p.lastStatusChange = "Rented by User: " + statusTime(now)
	p.gen++
	w.scheduleBoot(p)
	return *p, nil
}

// terminate deletes a pod and everything it had.
func (w *world) terminate(id string) error {
	w.mu.Lock()
	p, ok := w.pods[id]
	if !ok || w.closed {
		w.mu.Unlock()
		return fail(failNotFound, MsgPodNotFoundToTerminate)
	}
	delete(w.pods, id)
	for i, q := range w.live {
		if q == p {
			w.live = append(w.live[:i:i], w.live[i+1:]...)
			break
		}
	}
	p.status, p.run = statusTerminated, nil
	p.gen++
	w.cancel(&p.timers.boot)
	w.cancel(&p.timers.stop)
	w.cancel(&p.timers.terminate)
	ticket := p.slot.take()
	w.mu.Unlock()
	return w.halt(p, ticket, true)
}

// halt stops p's container if it runs and, if remove, deletes everything
// the pod had, when ticket's turn comes.
func (w *world) halt(p *pod, ticket uint64, remove bool) error {
	p.slot.wait(ticket)
	defer p.slot.done()
	var err error
	if p.slot.up {
		err = w.host.Stop(p.id)
		p.slot.up = false
	}
	if remove {
		err = errors.Join(err, w.host.Remove(p.id))
	}
	if err == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	p.hostErr = fmt.Sprintf("halt: %v", err)
	return fail(failInternal, MsgSomethingWentWrong)
}

// close cancels every pending event and waits for those already running.
func (w *world) close() {
	w.mu.Lock()
	w.closed = true
	for _, p := range w.live {
		w.cancel(&p.timers.boot)
		w.cancel(&p.timers.stop)
		w.cancel(&p.timers.terminate)
	}
	w.mu.Unlock()
	w.wg.Wait()
}

// podRuntime is what a running container shows.
type podRuntime struct {
	startedAt, portsAt time.Time // ports are published from portsAt on
	sshIP              string
	sshPort            int
	ports              []portMapping
	gpuIDs             []string
}

// portMapping is one published port of a running pod.
type portMapping struct {
	ip                      string
	public                  bool
	privatePort, publicPort int
	typ                     string
}

// newRuntime publishes p's ports: 22/tcp at the Host's address, other tcp
// ports at made-up public ports, http ports on an internal address. A
// community pod without supportPublicIp gets no public address at all.
func newRuntime(p *pod, ip string, port int, now time.Time, portsDelay time.Duration) *podRuntime {
	rt := &podRuntime{startedAt: now, portsAt: now.Add(portsDelay), sshIP: ip, sshPort: port}
	internal := fmt.Sprintf("100.65.%d.%d", rand.IntN(256), 1+rand.IntN(254))
	public := p.cloud == Secure || p.SupportPublicIP
	specs, _ := parsePorts(p.Ports) // checked on create
	for _, s := range specs {
		m := portMapping{ip: internal, privatePort: s.port, publicPort: 60000 + rand.IntN(5000), typ: s.typ}
		switch {
		case s.typ != "tcp" || !public:
		case s.port == 22:
			m.ip, m.public, m.publicPort = ip, true, port
		default:
			m.ip, m.public, m.publicPort = ip, true, 10000+rand.IntN(10000)
		}
		rt.ports = append(rt.ports, m)
	}
	for range p.GPUCount {
		rt.gpuIDs = append(rt.gpuIDs, fmt.Sprintf("GPU-%08x-%04x-%04x-%04x-%012x",
			rand.Uint32(), rand.IntN(1<<16), rand.IntN(1<<16), rand.IntN(1<<16), rand.Uint64()&(1<<48-1)))
	}
	return rt
}
