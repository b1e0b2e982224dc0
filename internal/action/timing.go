package action

import (
	"time"

	"github.com/runpod-runner/runpod-runner/internal/retry"
)

// Timing paces the flows' retries and polls. A zero field takes its value from DefaultTiming,
// so production passes nothing; tests pass short ones, so that no test waits seconds for a
// retry, a poll or a grace period.
type Timing struct {
	// CapacitySweep paces the sweeps over every candidate while all are out of capacity.
	CapacitySweep retry.Policy
	// CreateRetry paces a create that failed without an answer (it may have made a pod).
	CreateRetry retry.Policy
	// BusyRunner paces the removal of a runner GitHub says is running a job.
	BusyRunner retry.Policy
	// ReadyPoll paces the wait for a pod: while RunPod provisions it, at an eighth of the time
	// waited so far (a small image is seen soon, a long pull is asked about rarely); every
	// Near once its container is starting or up.
	ReadyPoll retry.Interval
	// OnlinePoll paces the wait for GitHub to call the runner online: every Near once the runner
	// said it listens for jobs (GitHub knows by then), else at an eighth of the time waited.
	OnlinePoll retry.Interval
	// PublicIPWait is how long a created community pod may run without a public port 22 before
	// it is terminated for the next candidate (at most an eighth of startup-timeout-minutes).
	PublicIPWait time.Duration
	// CancelGrace is how long a call that makes something (a pod, a runner registration) may
	// go on after its step is cancelled, so that what it made is known and can be removed.
	CancelGrace time.Duration
	// BatchFresh is how old an answer the legs of a fan-out may share.
	BatchFresh time.Duration
	// LostRetry is the pause before the post step asks again whether a call without an answer
	// made something.
	LostRetry time.Duration
	// PostBudget bounds the post step: its lookups and removals, waits for a busy runner included.
	PostBudget time.Duration
}

// DefaultTiming is the pacing the action runs with.
func DefaultTiming() Timing {
	return Timing{
		CapacitySweep: retry.Policy{Initial: 5 * time.Second, Max: 30 * time.Second},
		CreateRetry:   retry.Policy{MaxAttempts: 4},
		BusyRunner:    retry.Policy{Initial: 2 * time.Second, Max: 15 * time.Second},
		// Once close, at most once a second per pod: RunPod's quota is per user and shared by
		// every job using the key.
		ReadyPoll:    retry.Interval{Initial: 500 * time.Millisecond, Max: 5 * time.Second, Near: time.Second},
		OnlinePoll:   retry.Interval{Initial: 250 * time.Millisecond, Max: 3 * time.Second, Near: 200 * time.Millisecond},
		PublicIPWait: 90 * time.Second,
		CancelGrace:  3 * time.Second,
		BatchFresh:   300 * time.Millisecond,
		LostRetry:    2 * time.Second,
		PostBudget:   5 * time.Minute,
	}
}

// timing is d.Timing with every zero field taken from DefaultTiming.
func (d Deps) timing() Timing {
	t, def := d.Timing, DefaultTiming()
	orDefault(&t.CapacitySweep, def.CapacitySweep)
	orDefault(&t.CreateRetry, def.CreateRetry)
	orDefault(&t.BusyRunner, def.BusyRunner)
	orDefault(&t.ReadyPoll, def.ReadyPoll)
	orDefault(&t.OnlinePoll, def.OnlinePoll)
	orDefault(&t.PublicIPWait, def.PublicIPWait)
	orDefault(&t.CancelGrace, def.CancelGrace)
	orDefault(&t.BatchFresh, def.BatchFresh)
	orDefault(&t.LostRetry, def.LostRetry)
	orDefault(&t.PostBudget, def.PostBudget)
	return t
}

func orDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}
