package scale

import (
	"sync"
	"time"
)

// Breaker cool-downs: the first "no capacity" skips a GPU type or data center for breakerBase, each further
// one doubles it, up to breakerMax.
const (
	breakerBase = time.Minute
	breakerMax  = 30 * time.Minute
)

// breaker skips GPU types (or data centers) that answered "no capacity" for a cool-down that
// doubles while they keep failing, and forgets them once they place a pod.
type breaker struct {
	mu    sync.Mutex
	now   func() time.Time
	trips map[string]trip
}

type trip struct {
	failures int
	until    time.Time
}

// breakers are the autoscaler's two: one for GPU types, one for data centers; every scale set
// shares them, as RunPod's capacity is the account's.
type breakers struct{ gpus, dcs *breaker }

func newBreaker(now func() time.Time) *breaker {
	return &breaker{now: now, trips: map[string]trip{}}
}

// allowed returns the GPU types not cooling down, in order.
func (b *breaker) allowed(types []string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, t := range types {
		if b.now().After(b.trips[t].until) || b.trips[t].until.IsZero() {
			out = append(out, t)
		}
	}
	return out
}

// fail records "no capacity" on a GPU type and returns its cool-down.
func (b *breaker) fail(gpuType string) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.trips[gpuType]
	t.failures++
	cool := breakerBase << min(t.failures-1, 10)
	cool = min(cool, breakerMax)
	t.until = b.now().Add(cool)
	b.trips[gpuType] = t
	return cool
}

// succeed forgets a GPU type's failures.
func (b *breaker) succeed(gpuType string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.trips, gpuType)
}

// open reports whether the GPU type is being skipped now.
func (b *breaker) open(gpuType string) bool {
	return len(b.allowed([]string{gpuType})) == 0
}

// budget is max-hourly-spend over every scale set: the price of each runner's pod, by runner
// name, from the moment it is decided (so that runners starting at once cannot overshoot).
type budget struct {
	mu    sync.Mutex
	limit float64 // 0: none
	pods  map[string]float64
}

func newBudget(limit float64) *budget { return &budget{limit: limit, pods: map[string]float64{}} }

// reserve books price for the runner name when the spend stays within the limit; it returns
// whether it did, and the spend before.
func (b *budget) reserve(name string, price float64) (bool, float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	spend := b.spendLocked()
	if b.limit > 0 && spend+price > b.limit {
		return false, spend
	}
	b.pods[name] = price
	return true, spend
}

// set records the price the pod really has; release forgets the runner's pod.
func (b *budget) set(name string, price float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pods[name] = price
}

func (b *budget) release(name string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.pods, name)
}

func (b *budget) spendLocked() float64 {
	spend := 0.0
	for _, p := range b.pods {
		spend += p
	}
	return spend
}
