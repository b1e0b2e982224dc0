package scale

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actions/scaleset"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/runpod-runner/runpod-runner/internal/config"
)

var sorted = cmpopts.SortSlices(func(a, b string) bool { return a < b })

type rig struct {
	s     *setScaler
	pods  *fakePods
	api   *fakeAPI
	clock *clock
	m     *Metrics
}

func newRig(t *testing.T, set ScaleSet, maxSpend float64) *rig {
	t.Helper()
	if set.Name == "" {
		set.Name = "gpu"
	}
	if set.Pod == nil {
		set.Pod = &config.Config{GPUTypes: []string{"A40", "L4"}, RunnerVersion: "latest"}
	}
	if set.MaxRunners == 0 {
		set.MaxRunners = 2
	}
	if set.IdleTimeout == 0 {
		set.IdleTimeout = 10 * time.Minute
	}
	if set.WarmMaxAge == 0 {
		set.WarmMaxAge = 24 * time.Hour
	}
	r := &rig{pods: newFakePods(), api: newFakeAPI(), clock: &clock{now: time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)}, m: NewMetrics([]ScaleSet{set})}
	var mu sync.Mutex
	n := byte(0)
	random := func(b []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		n++
		for i := range b {
			b[i] = 0
		}
		b[len(b)-1] = n
		return len(b), nil
	}
	d := Deps{Pods: r.pods, Log: quietLog(), Now: r.clock.Now, Metrics: r.m, Random: random}
	r.s = newSetScaler(&set, 7, r.api, d, breakers{gpus: newBreaker(r.clock.Now), dcs: newBreaker(r.clock.Now)}, newBudget(maxSpend))
	return r
}

// want asks for assigned jobs and waits for what that set off.
func (r *rig) want(t *testing.T, assigned int) int {
	t.Helper()
	n, err := r.s.HandleDesiredRunnerCount(context.Background(), assigned)
	if err != nil {
		t.Fatal(err)
	}
	r.s.wg.Wait()
	return n
}

func (r *rig) complete(t *testing.T, name string) {
	t.Helper()
	r.api.finish(name)
	if err := r.s.HandleJobCompleted(context.Background(), &scaleset.JobCompleted{Result: "succeeded", RunnerName: name}); err != nil {
		t.Fatal(err)
	}
	r.s.wg.Wait()
}

func (r *rig) state() map[string]string {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	out := map[string]string{}
	for name, sl := range r.s.slots {
		out[name] = sl.state + " " + sl.podID
	}
	for _, w := range r.s.warm {
		out[w.name] = "warm " + w.id
	}
	return out
}

func TestDesiredIsMinOfMaxAndMinPlusAssigned(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		min, max      int
		assigned      int
		wantDesired   int
		wantCreations int
	}{
		{name: "capped_by_max", max: 2, assigned: 3, wantDesired: 2, wantCreations: 2},
		{name: "min_plus_assigned", min: 1, max: 4, assigned: 2, wantDesired: 3, wantCreations: 3},
		{name: "min_when_idle", min: 1, max: 4, wantDesired: 1, wantCreations: 1},
		{name: "nothing", max: 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, ScaleSet{MinRunners: tc.min, MaxRunners: tc.max}, 0)
			if got := r.want(t, tc.assigned); got != tc.wantDesired {
				t.Errorf("desired %d, want %d", got, tc.wantDesired)
			}
			if got := len(r.pods.Calls()); got != tc.wantCreations {
				t.Errorf("%d creations %v, want %d", got, r.pods.Calls(), tc.wantCreations)
			}
			if got := testutil.ToFloat64(r.m.created.WithLabelValues("gpu")); int(got) != tc.wantCreations {
				t.Errorf("pods_created_total %v, want %d", got, tc.wantCreations)
			}
		})
	}
}

// TestWarmPoolLifeCycle: a finished job's pod is stopped while the pool has room, else
// terminated; the next scale-up resumes the warm pod instead of creating one.
func TestWarmPoolLifeCycle(t *testing.T) {
	t.Parallel()
	r := newRig(t, ScaleSet{MaxRunners: 2, WarmPool: 1}, 0)
	r.want(t, 2)
	r.complete(t, "gpu-00000001")
	r.complete(t, "gpu-00000002")
	r.want(t, 0)
	r.want(t, 1)
	want := []string{
		"create gpu-00000001 on [A40 L4]", "create gpu-00000002 on [A40 L4]",
		"stop pod1", "terminate pod2",
		"resume pod1 as gpu-00000001",
	}
	if diff := cmp.Diff(want[:2], r.pods.Calls()[:2], sorted); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[2:], r.pods.Calls()[2:]); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"gpu-00000001": "idle pod1"}, r.state()); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	if got := testutil.ToFloat64(r.m.resumed.WithLabelValues("gpu")); got != 1 {
		t.Errorf("pods_resumed_total %v, want 1", got)
	}
}

// TestIdleTimeout: an idle runner above min-runners is removed once idle-timeout has passed,
// not before; min-runners stay.
func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	r := newRig(t, ScaleSet{MinRunners: 1, MaxRunners: 3, IdleTimeout: 5 * time.Minute}, 0)
	r.want(t, 2)
	r.clock.Add(4 * time.Minute)
	r.want(t, 0)
	if n := len(r.state()); n != 3 {
		t.Fatalf("%d runners before idle-timeout, want 3: %v", n, r.state())
	}
	r.clock.Add(2 * time.Minute)
	r.want(t, 0)
	if diff := cmp.Diff(map[string]string{"gpu-00000003": "idle pod3"}, r.state()); diff != "" {
		t.Errorf("after idle-timeout (-want +got):\n%s", diff)
	}
	calls := r.pods.Calls()
	if diff := cmp.Diff([]string{"terminate pod1", "terminate pod2"}, calls[3:], sorted); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

// TestBusyRunnerNotRemoved: an idle runner that took a job before its removal stays.
func TestBusyRunnerNotRemoved(t *testing.T) {
	t.Parallel()
	r := newRig(t, ScaleSet{MaxRunners: 1, IdleTimeout: time.Minute}, 0)
	r.want(t, 1)
	r.api.busy["gpu-00000001"] = true
	r.clock.Add(2 * time.Minute)
	r.want(t, 0)
	if diff := cmp.Diff(map[string]string{"gpu-00000001": "busy pod1"}, r.state()); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
}

// TestWarmPoolTrim: warm pods stopped longer than warm-max-age, or beyond warm-pool, go.
func TestWarmPoolTrim(t *testing.T) {
	t.Parallel()
	r := newRig(t, ScaleSet{MaxRunners: 3, WarmPool: 2, WarmMaxAge: time.Hour}, 0)
	r.want(t, 3)
	r.complete(t, "gpu-00000001")
	r.clock.Add(50 * time.Minute)
	r.complete(t, "gpu-00000002")
	r.complete(t, "gpu-00000003") // pool full: terminated
	r.clock.Add(20 * time.Minute) // pod1 now 70 minutes stopped
	r.want(t, 0)
	if diff := cmp.Diff(map[string]string{"gpu-00000002": "warm pod2"}, r.state()); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	calls := r.pods.Calls()
	if diff := cmp.Diff([]string{"stop pod1", "stop pod2", "terminate pod3", "terminate pod1"}, calls[3:]); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

// TestBreaker: a GPU type without capacity is skipped for a cool-down that doubles while it
// keeps failing, and shows in the metric.
func TestBreaker(t *testing.T) {
	t.Parallel()
	r := newRig(t, ScaleSet{MaxRunners: 8}, 0)
	r.pods.noCapacity["A40"] = true
	r.want(t, 1) // A40 fails, L4 used; A40 cools down 1m
	r.want(t, 2)
	r.clock.Add(61 * time.Second)
	r.want(t, 3) // A40 tried again, fails: 2m
	r.clock.Add(61 * time.Second)
	r.want(t, 4) // still cooling
	want := []string{
		"create gpu-00000001 on [A40 L4]", "create gpu-00000002 on [L4]",
		"create gpu-00000003 on [A40 L4]", "create gpu-00000004 on [L4]",
	}
	if diff := cmp.Diff(want, r.pods.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if got := testutil.ToFloat64(r.m.breaker.WithLabelValues("gpu", "A40")); got != 1 {
		t.Errorf("breaker_open{A40} %v, want 1", got)
	}
	r.pods.noCapacity["L4"] = true
	r.want(t, 5) // L4 fails now: capacity error, both cooling
	r.want(t, 6)
	if got := testutil.ToFloat64(r.m.failures.WithLabelValues("gpu", "capacity")); got != 1 {
		t.Errorf("provision_failures_total{capacity} %v, want 1", got)
	}
	if got := testutil.ToFloat64(r.m.held.WithLabelValues("gpu", "breaker")); got < 1 {
		t.Errorf("scale_up_held_total{breaker} %v, want at least 1", got)
	}
}

// TestDataCenterBreaker: a data center without capacity is skipped for a cool-down that doubles
// while it keeps failing, with one log line and the metric; placing a pod there forgets it, and
// when every data center cools down the scale-up is held.
func TestDataCenterBreaker(t *testing.T) {
	t.Parallel()
	r := newRig(t, ScaleSet{MaxRunners: 8, Pod: &config.Config{GPUTypes: []string{"L4"}, DataCenterIDs: []string{"EU-RO-1", "US-TX-3"}}}, 0)
	var buf strings.Builder
	var mu sync.Mutex
	r.s.log = slogTo(&buf, &mu)
	open := func(dc string) float64 { return testutil.ToFloat64(r.m.breakerDC.WithLabelValues("gpu", dc)) }
	r.pods.noCapacity["EU-RO-1"] = true
	r.want(t, 1) // EU-RO-1 fails, US-TX-3 used; EU-RO-1 cools down 1m
	r.want(t, 2)
	if open("EU-RO-1") != 1 || open("US-TX-3") != 0 {
		t.Errorf("data_center_breaker_open EU-RO-1 %v US-TX-3 %v, want 1 and 0", open("EU-RO-1"), open("US-TX-3"))
	}
	r.clock.Add(61 * time.Second)
	r.want(t, 3) // EU-RO-1 tried again, fails: 2m
	r.clock.Add(61 * time.Second)
	r.want(t, 4) // still cooling
	r.clock.Add(61 * time.Second)
	r.pods.noCapacity["EU-RO-1"] = false
	r.want(t, 5) // cooled down, places a pod: forgotten
	r.want(t, 6)
	want := []string{
		"create gpu-00000001 on [L4] in [EU-RO-1 US-TX-3]", "create gpu-00000002 on [L4] in [US-TX-3]",
		"create gpu-00000003 on [L4] in [EU-RO-1 US-TX-3]", "create gpu-00000004 on [L4] in [US-TX-3]",
		"create gpu-00000005 on [L4] in [EU-RO-1 US-TX-3]", "create gpu-00000006 on [L4] in [EU-RO-1 US-TX-3]",
	}
	if diff := cmp.Diff(want, r.pods.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if open("EU-RO-1") != 0 {
		t.Errorf("data_center_breaker_open{EU-RO-1} %v after it placed a pod, want 0", open("EU-RO-1"))
	}
	mu.Lock()
	log := buf.String()
	mu.Unlock()
	for _, line := range []string{
		`msg="skipping data center" data_center=EU-RO-1 reason="no capacity" cool_down=1m0s`,
		`msg="skipping data center" data_center=EU-RO-1 reason="no capacity" cool_down=2m0s`,
	} {
		if !strings.Contains(log, line) {
			t.Errorf("log lacks %s:\n%s", line, log)
		}
	}
	if strings.Contains(log, `msg="skipping GPU type"`) {
		t.Errorf("log skips L4, which placed every pod:\n%s", log)
	}
	r.pods.noCapacity["EU-RO-1"], r.pods.noCapacity["US-TX-3"] = true, true
	r.want(t, 7) // both fail: a capacity error, both cooling
	r.want(t, 8)
	if n := len(r.pods.Calls()); n != 7 {
		t.Errorf("%d creations, want 7: none while every data center cools down", n)
	}
	if got := testutil.ToFloat64(r.m.held.WithLabelValues("gpu", "breaker")); got < 1 {
		t.Errorf("scale_up_held_total{breaker} %v, want at least 1", got)
	}
	if got := testutil.ToFloat64(r.m.failures.WithLabelValues("gpu", "capacity")); got != 1 {
		t.Errorf("provision_failures_total{capacity} %v, want 1", got)
	}
}

// TestBudget: beyond max-hourly-spend the autoscaler does not scale up and says why.
func TestBudget(t *testing.T) {
	t.Parallel()
	r := newRig(t, ScaleSet{MaxRunners: 4, MaxPricePerHour: 0.6}, 1.0)
	r.want(t, 3)
	if n := len(r.pods.Calls()); n != 1 {
		t.Errorf("%d creations under a $1/h budget at $0.60 a pod, want 1: %v", n, r.pods.Calls())
	}
	if got := testutil.ToFloat64(r.m.held.WithLabelValues("gpu", "budget")); got < 1 {
		t.Errorf("scale_up_held_total{budget} %v, want at least 1", got)
	}
	if got := testutil.ToFloat64(r.m.cost.WithLabelValues("gpu")); got != 0.5 {
		t.Errorf("cost_per_hour_dollars %v, want 0.5", got)
	}
}

// TestAdopt: after a restart, stopped pods join the warm pool, a pod whose runner runs a job is
// kept, and a running pod without a live runner has its registration removed and is parked.
func TestAdopt(t *testing.T) {
	t.Parallel()
	r := newRig(t, ScaleSet{MaxRunners: 3, WarmPool: 1}, 0)
	now := r.clock.Now()
	r.pods.pods = map[string]*Pod{
		"p1": {ID: "p1", Name: "gpu-a", Running: false, Since: now.Add(-time.Hour)},
		"p2": {ID: "p2", Name: "gpu-b", Running: true},
		"p3": {ID: "p3", Name: "gpu-c", Running: true},
	}
	r.api.runners = map[string]int{"gpu-b": 1, "gpu-c": 2}
	r.api.busy["gpu-b"] = true
	if err := r.s.adopt(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.s.wg.Wait()
	if diff := cmp.Diff(map[string]string{"gpu-a": "warm p1", "gpu-b": "busy p2"}, r.state()); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"terminate p3"}, r.pods.Calls()); diff != "" {
		t.Errorf("pod calls (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"remove gpu-c"}, r.api.calls); diff != "" {
		t.Errorf("runner calls (-want +got):\n%s", diff)
	}
}

// TestLogsOneLinePerDecision: each decision is one structured line with its reason.
func TestLogsOneLinePerDecision(t *testing.T) {
	t.Parallel()
	r := newRig(t, ScaleSet{MaxRunners: 1}, 0)
	var buf strings.Builder
	var mu sync.Mutex
	r.s.log = slogTo(&buf, &mu)
	r.want(t, 1)
	mu.Lock()
	defer mu.Unlock()
	for _, want := range []string{`msg="scaling up"`, `how=create`, `reason="1 assigned jobs, 0 min-runners, 1 max-runners: want 1 runners, have 0"`, `msg="runner online"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, buf.String())
		}
	}
}
