package scale

import (
	"context"
	"encoding/hex"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/actions/scaleset"
	"github.com/actions/scaleset/listener"
)

// Runner and pod states.
const (
	stateStarting = "starting"
	stateIdle     = "idle"
	stateBusy     = "busy"
	stateWarm     = "warm"
	stateLeaving  = "leaving" // being removed after idle-timeout
)

// slot is one runner of the scale set and its pod.
type slot struct {
	name     string
	podID    string
	runnerID int64
	state    string
	warm     bool // resumed from the warm pool
	// provisioning is set while its start runs; done when its job completed meanwhile.
	provisioning, done bool
	since              time.Time
	cost               float64
}

// warmPod is a stopped pod kept for resume.
type warmPod struct {
	id, name string
	since    time.Time
}

// setScaler keeps one scale set's runners at the desired count. The listener calls it.
type setScaler struct {
	set     *ScaleSet
	id      int // the scale set's id at GitHub
	api     ScaleSetAPI
	d       Deps
	breaker *breaker // GPU types
	dcs     *breaker // data centers
	budget  *budget
	log     *slog.Logger
	work    context.Context // provisioning runs under it; drain cancels it
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	mu       sync.Mutex
	slots    map[string]*slot
	warm     []warmPod
	parking  int // pods being stopped into the warm pool
	assigned int
	draining bool
	lastCost float64 // the price of the set's last pod, to estimate the next
}

var _ listener.Scaler = (*setScaler)(nil)

func newSetScaler(set *ScaleSet, id int, api ScaleSetAPI, d Deps, br breakers, bu *budget) *setScaler {
	work, cancel := context.WithCancel(context.Background())
	return &setScaler{set: set, id: id, api: api, d: d, breaker: br.gpus, dcs: br.dcs, budget: bu, work: work, cancel: cancel,
		log: d.Log.With("scale_set", set.Name), slots: map[string]*slot{}}
}

// desired is min(max-runners, min-runners + assigned jobs).
func (s *setScaler) desiredLocked() int { return min(s.set.MaxRunners, s.set.MinRunners+s.assigned) }

// HandleDesiredRunnerCount reconciles towards the scale set's assigned jobs, and returns the
// runners it wants.
func (s *setScaler) HandleDesiredRunnerCount(_ context.Context, assigned int) (int, error) {
	s.mu.Lock()
	s.assigned = assigned
	desired := s.desiredLocked()
	s.mu.Unlock()
	s.d.Metrics.desired.WithLabelValues(s.set.Name).Set(float64(desired))
	s.reconcile()
	return desired, nil
}

// reconcile scales up to the desired count, removes idle runners above it after idle-timeout,
// and trims the warm pool.
func (s *setScaler) reconcile() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.draining {
		return
	}
	now := s.d.Now()
	desired, active := s.desiredLocked(), s.activeLocked()
	// Pods still being parked count against max-runners, so that no more pods run at once.
	for range min(desired-active, s.set.MaxRunners-len(s.slots)) {
		if !s.startLocked(now) {
			break
		}
	}
	s.removeIdleLocked(now, active-desired)
	s.trimWarmLocked(now)
	s.gaugesLocked()
}

func (s *setScaler) activeLocked() int {
	n := 0
	for _, sl := range s.slots {
		if sl.state != stateLeaving {
			n++
		}
	}
	return n
}

// removeIdleLocked removes up to n runners that have been idle for idle-timeout, longest
// idle first.
func (s *setScaler) removeIdleLocked(now time.Time, n int) {
	var idle []*slot
	for _, sl := range s.slots {
		if sl.state == stateIdle && now.Sub(sl.since) >= s.set.IdleTimeout {
			idle = append(idle, sl)
		}
	}
	slices.SortFunc(idle, func(a, b *slot) int {
		if c := a.since.Compare(b.since); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	for _, sl := range idle[:max(0, min(n, len(idle)))] {
		sl.state = stateLeaving
		s.log.Info("removing idle runner", "runner", sl.name, "pod", sl.podID, "reason",
			"idle for "+now.Sub(sl.since).Round(time.Second).String()+", above the desired count")
		s.go_(func(ctx context.Context) { s.retire(ctx, sl) })
	}
}

// parkTimeout bounds removing one runner and stopping or terminating its pod.
const parkTimeout = 2 * time.Minute

// go_ runs f in the background: provisioning under the work context, which drain cancels;
// anything else (removing runners, parking pods) to its end, within parkTimeout.
func (s *setScaler) go_(f func(ctx context.Context)) { s.run(false, f) }

func (s *setScaler) goProvision(f func(ctx context.Context)) { s.run(true, f) }

func (s *setScaler) run(provision bool, f func(ctx context.Context)) {
	s.wg.Add(1)
	ctx := s.work
	go func() {
		defer s.wg.Done()
		if !provision {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(context.Background(), parkTimeout)
			defer cancel()
		}
		f(ctx)
	}()
}

// HandleJobStarted marks the job's runner busy.
func (s *setScaler) HandleJobStarted(_ context.Context, j *scaleset.JobStarted) error {
	s.d.Metrics.jobsStarted.WithLabelValues(s.set.Name).Inc()
	s.mu.Lock()
	defer s.mu.Unlock()
	if sl := s.slots[j.RunnerName]; sl != nil {
		sl.state, sl.since, sl.runnerID = stateBusy, s.d.Now(), int64(j.RunnerID)
		s.log.Info("runner busy", "runner", sl.name, "pod", sl.podID, "reason", "job "+j.JobDisplayName+" started")
	}
	s.gaugesLocked()
	return nil
}

// HandleJobCompleted sends the pod of the job's runner to the warm pool or terminates it: the
// runner is ephemeral and has exited.
func (s *setScaler) HandleJobCompleted(_ context.Context, j *scaleset.JobCompleted) error {
	s.d.Metrics.jobsDone.WithLabelValues(s.set.Name, j.Result).Inc()
	s.mu.Lock()
	defer s.mu.Unlock()
	sl := s.slots[j.RunnerName]
	if sl == nil || j.RunnerName == "" {
		return nil
	}
	s.log.Info("job completed", "runner", sl.name, "pod", sl.podID, "result", j.Result, "reason", "the ephemeral runner has exited")
	if sl.provisioning {
		sl.done = true // the runner was quicker than its start: provision retires it
		return nil
	}
	sl.state = stateLeaving
	s.go_(func(ctx context.Context) { s.retire(ctx, sl) })
	s.gaugesLocked()
	return nil
}

// name is a new runner (and pod) name: the scale set's name and a random suffix.
func (s *setScaler) name() string {
	b := make([]byte, 4)
	_, _ = s.d.Random(b)
	return s.set.Name + "-" + hex.EncodeToString(b)
}
