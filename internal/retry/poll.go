package retry

import (
	"context"
	"math/rand/v2"
	"time"
)

// State is what a poll's check found.
type State int

// The states.
const (
	// Waiting: not yet, and not soon: the gap to the next check grows.
	Waiting State = iota
	// Close: not yet, but soon (a pod's container is up, a runner says it listens): check
	// again after the short gap.
	Close
	// Done: stop polling.
	Done
)

// Interval shapes a poll: while Waiting, the gap is an eighth of the time spent so far, between
// Initial and Max, so that what is ready soon is seen soon and what takes minutes is asked
// about rarely; while Close, checks are Near apart. Every gap is jittered by ±20% so that many
// pollers do not march in step.
type Interval struct {
	Initial time.Duration // 0 means 250ms
	Max     time.Duration // 0 means 5s
	Near    time.Duration // 0 means 250ms
}

// Poll calls check until it reports Done or fails, or ctx ends; it returns check's error, or
// ctx's error.
func Poll(ctx context.Context, iv Interval, check func(ctx context.Context) (State, error)) error {
	iv = iv.withDefaults()
	began := time.Now()
	for {
		st, err := check(ctx)
		if err != nil || st == Done {
			return err
		}
		wait := min(max(time.Since(began)/8, iv.Initial), iv.Max)
		if st == Close {
			wait = iv.Near
		}
		t := time.NewTimer(jitter(wait))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (iv Interval) withDefaults() Interval {
	if iv.Initial == 0 {
		iv.Initial = 250 * time.Millisecond
	}
	if iv.Max == 0 {
		iv.Max = 5 * time.Second
	}
	if iv.Near == 0 {
		iv.Near = 250 * time.Millisecond
	}
	return iv
}

func jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}
