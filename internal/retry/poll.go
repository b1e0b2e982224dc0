package retry

import (
	"context"
	"math/rand/v2"
	"time"
)

// Interval shapes a poll: checks start Initial apart and the gap grows by half each time up to
// Max, each gap jittered by ±20% so that many pollers do not march in step.
type Interval struct {
	Initial time.Duration // 0 means 250ms
	Max     time.Duration // 0 means 5s
}

// Poll calls check until it reports done or fails, or ctx ends; it returns check's error, or
// ctx's error joined with the last one.
func Poll(ctx context.Context, iv Interval, check func(ctx context.Context) (done bool, err error)) error {
	gap, limit := iv.Initial, iv.Max
	if gap == 0 {
		gap = 250 * time.Millisecond
	}
	if limit == 0 {
		limit = 5 * time.Second
	}
	for {
		done, err := check(ctx)
		if err != nil || done {
			return err
		}
		t := time.NewTimer(jitter(gap))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		gap = min(gap*3/2, limit)
	}
}

func jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}
