package scale

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDrainWaitsForARunnerThatTookAJobAsItWasRemoved: a runner that comes online as the session
// closes can take a job while the drain removes it. The drain then waits for that job like any
// other, and parks the pod only once the runner is gone.
func TestDrainWaitsForARunnerThatTookAJobAsItWasRemoved(t *testing.T) {
	t.Parallel()
	r := newRig(t, ScaleSet{MaxRunners: 1, WarmPool: 1}, 0)
	r.want(t, 1)
	var name string
	for n := range r.state() {
		name = n
	}
	r.api.mu.Lock()
	r.api.busy[name] = true // the job came as the drain began
	r.api.mu.Unlock()
	a := &Autoscaler{cfg: &Config{DrainTimeout: time.Minute}, d: r.s.d, sets: []*setScaler{r.s}}
	drained := make(chan struct{})
	go func() { a.drain(); close(drained) }()
	select {
	case <-drained:
		t.Fatalf("the drain ended while runner %s ran a job; pods: %v", name, r.pods.Calls())
	case <-time.After(1500 * time.Millisecond):
	}
	before := len(r.pods.Calls())
	r.api.finish(name) // the ephemeral runner ends with its job and removes itself
	select {
	case <-drained:
	case <-time.After(30 * time.Second):
		t.Fatal("the drain did not end after the job finished")
	}
	if parked := r.pods.Calls()[before:]; !slices.ContainsFunc(parked, func(c string) bool { return strings.HasPrefix(c, "stop") }) {
		t.Errorf("pod calls after the job %v, want the pod stopped into the warm pool", parked)
	}
	if st := r.state(); len(st) != 1 || !strings.HasPrefix(st[name], "warm") {
		t.Errorf("after the drain %v, want the pod in the warm pool", st)
	}
}
