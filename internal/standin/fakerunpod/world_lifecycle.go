package fakerunpod

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// after runs f once d has passed, unless the timer is cancelled or the
// world closes first. The caller holds w.mu and has checked w.closed.
func (w *world) after(d time.Duration, f func()) Timer {
	w.wg.Add(1)
	return w.clock.AfterFunc(d, func() {
		defer w.wg.Done()
		f()
	})
}

// cancel stops *t if it has not fired yet. The caller holds w.mu.
func (w *world) cancel(t *Timer) {
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
	p.placed = true
	env := p.envMap()
	// RunPod adds these to every container's environment; the key may act
	// on this pod only.
	env["RUNPOD_POD_ID"], env["RUNPOD_GPU_COUNT"] = p.id, strconv.Itoa(p.GPUCount)
	env["RUNPOD_API_KEY"] = p.apiKey
	p.log.add(w.clock.Now(), logSystem, "image pull: "+p.image())
	volume := "" // a pod volume, not a network one
	if p.VolumeInGb > 0 && p.NetworkVolumeID == "" {
		volume = p.VolumeMountPath
	}
	ticket := p.slot.take()
	w.mu.Unlock()
	p.slot.wait(ticket)
	defer p.slot.done()
	if vh, ok := w.host.(VolumeHost); ok && volume != "" {
		vh.MountVolume(p.id, volume)
	}
	ip, port, err := w.host.Start(p.id, env)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		p.hostErr = fmt.Sprintf("start: %v", err)
		p.log.add(w.clock.Now(), logSystem, "container start failed: "+err.Error())
		return
	}
	p.slot.up = true
	if p.gen == gen { // else a stop or terminate holds a later ticket and will halt it
		public := p.cloud == Secure || p.SupportPublicIP || w.publicIPHosts[p.dc.ID]
		p.run = newRuntime(p, ip, port, public, w.clock.Now(), w.portsDelay)
		w.readyAt[p.id] = p.run.portsAt
		p.log.add(w.clock.Now(), logSystem, "container started")
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
	snap, ticket := w.stopLocked(p)
	w.mu.Unlock()
	return snap, w.halt(p, ticket, false)
}

// stopLocked marks p stopped and takes the Host ticket that halts its
// container. The caller holds w.mu and then calls halt without it.
func (w *world) stopLocked(p *pod) (pod, uint64) {
	now := w.clock.Now()
	p.status, p.run = statusExited, nil
	p.lastStatusChange = "Exited by User: " + statusTime(now)
	p.gen++
	w.cancel(&p.timers.boot)
	p.log.add(now, logSystem, "stop: container stopped, volume kept")
	return *p, p.slot.take()
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
	}
	return w.resumeLocked(p, gpuCount)
}

// resumeLocked starts stopped p again, unless its host lost its GPUs. The
// caller holds w.mu.
func (w *world) resumeLocked(p *pod, gpuCount int) (pod, error) {
	if w.noResume[p.id] || gpuCount > p.gpu.maxCount() {
		return pod{}, fail(failUnavailable, MsgNotEnoughGPUs)
	}
	if gpuCount > 0 {
		p.GPUCount = gpuCount
	}
	now := w.clock.Now()
	p.status, p.lastStartedAt = statusRunning, now
	p.lastStatusChange = "Rented by User: " + statusTime(now)
	p.gen++
	p.log.add(now, logSystem, "start: resuming on machine "+p.machineID)
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
	ticket := w.terminateLocked(p)
	w.mu.Unlock()
	return w.halt(p, ticket, true)
}

// terminateLocked removes p from the world and takes the Host ticket that
// deletes it. The caller holds w.mu and then calls halt without it.
func (w *world) terminateLocked(p *pod) uint64 {
	delete(w.pods, p.id)
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
	return p.slot.take()
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
