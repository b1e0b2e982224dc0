package fakerunpod

import (
	"slices"
)

// REST v2's pod statuses, as the world's state maps onto them.
const (
	phaseProvisioning = "PROVISIONING" // created; no boot has begun
	phaseStarting     = "STARTING"     // booting: no container yet
	phaseRunning      = "RUNNING"      // the container runs
	phaseExited       = "EXITED"       // stopped
)

// REST v2's pod actions.
const (
	actionStart     = "start"
	actionStop      = "stop"
	actionRestart   = "restart"
	actionTerminate = "terminate"
)

// phase is the pod's REST v2 status.
func (p *pod) phase() string {
	switch {
	case p.status == statusExited:
		return phaseExited
	case p.run != nil:
		return phaseRunning
	case p.placed:
		return phaseStarting
	}
	return phaseProvisioning
}

// actions are the REST v2 actions the pod's status allows. A locked pod
// may not be stopped or restarted.
func (p *pod) actions() []string {
	var out []string
	switch p.phase() {
	case phaseRunning:
		out = []string{actionStop, actionRestart, actionTerminate}
	case phaseExited:
		out = []string{actionStart, actionTerminate}
	default:
		out = []string{actionStop, actionTerminate}
	}
	if p.locked {
		out = slices.DeleteFunc(out, func(a string) bool { return a == actionStop || a == actionRestart })
	}
	return out
}

// act applies a REST v2 action to a pod if its status allows it, checking
// and changing the status at once. Terminate returns no pod.
func (w *world) act(id, action string) (pod, error) {
	w.mu.Lock()
	p, ok := w.pods[id]
	switch {
	case !ok || w.closed:
		w.mu.Unlock()
		return pod{}, fail(failNotFound, MsgPodNotFound)
	case !slices.Contains(p.actions(), action):
		w.mu.Unlock()
		return pod{}, fail(failConflict, MsgActionNotValid)
	case action == actionStart:
		defer w.mu.Unlock()
		return w.resumeLocked(p, 0)
	case action == actionTerminate:
		ticket := w.terminateLocked(p)
		w.mu.Unlock()
		return pod{}, w.halt(p, ticket, true)
	}
	var snap pod
	var ticket uint64
	if action == actionRestart {
		snap, ticket = w.restartLocked(p)
	} else {
		snap, ticket = w.stopLocked(p)
	}
	w.mu.Unlock()
	return snap, w.halt(p, ticket, false)
}

// restartLocked restarts p's container in place: it takes the ticket that
// halts the container and schedules a new boot, which comes after it. The
// caller holds w.mu and then calls halt without it.
func (w *world) restartLocked(p *pod) (pod, uint64) {
	now := w.clock.Now()
	p.run, p.lastStartedAt = nil, now
	p.gen++
	w.cancel(&p.timers.boot)
	p.log.add(now, logSystem, "restart: container restarting")
	ticket := p.slot.take()
	w.scheduleBoot(p)
	return *p, ticket
}

// update applies change to the pod with id under the world's lock. change
// must check everything before it changes anything, and says why it
// cannot apply.
func (w *world) update(id string, change func(p *pod) error) (pod, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	p, ok := w.pods[id]
	if !ok || w.closed {
		return pod{}, fail(failNotFound, MsgPodNotFound)
	}
	if err := change(p); err != nil {
		return pod{}, err
	}
	return *p, nil
}

// podForKey returns the id of the pod whose pod-scoped key is key.
func (w *world) podForKey(key string) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.live {
		if p.apiKey == key {
			return p.id, true
		}
	}
	return "", false
}
