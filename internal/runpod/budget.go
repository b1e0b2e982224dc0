package runpod

import (
	"context"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// budget counts the requests a client sends and keeps it within RunPod's rate limit: REST v2
// reports the quota left on every answer in the RateLimit header, e.g. `"minute";r=5;t=30`
// (r requests left, t seconds until the window resets; the quota is per user, shared by every
// job using the key: https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json,
// components.headers.RateLimit). When little is left, requests are spread over what remains
// of the window instead of spending it at once and meeting 429s.
type budget struct {
	calls atomic.Int64

	mu     sync.Mutex
	nextAt time.Time     // no request before this
	gap    time.Duration // while low: how far apart requests leave
}

// lowBudget is how many requests left count as low.
const lowBudget = 5

var reRateLimit = regexp.MustCompile(`;\s*r=([0-9]+)\s*;\s*t=([0-9]+)`)

// wait holds a request back until the budget allows it, or ctx ends; it counts the request.
// While the budget is low, each request takes the next slot and pushes the one after it a share
// of the window later, so that requests made at once leave one by one rather than together.
func (b *budget) wait(ctx context.Context) error {
	b.calls.Add(1)
	b.mu.Lock()
	at := b.nextAt
	if b.gap > 0 {
		at = later(at, time.Now())
		b.nextAt = at.Add(b.gap)
	}
	b.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// observe reads an answer's RateLimit header: with few requests left in the window, the next
// one waits for its share of the time that remains, and so does each after it (wait); with
// enough left, requests go at once again.
func (b *budget) observe(header string) {
	m := reRateLimit.FindStringSubmatch(header)
	if m == nil {
		return
	}
	left, _ := strconv.Atoi(m[1])
	reset, _ := strconv.Atoi(m[2])
	b.mu.Lock()
	defer b.mu.Unlock()
	if left >= lowBudget || reset <= 0 {
		b.gap = 0
		return
	}
	b.gap = time.Duration(reset) * time.Second / time.Duration(left+1)
	b.nextAt = later(b.nextAt, time.Now().Add(b.gap))
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
