package fakerunpod

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// requestKey returns the key a request carries, preferring the header. A
// header that is not a Bearer token yields an empty key, which no
// configured key matches.
func requestKey(r *http.Request) (string, AuthMethod) {
	if h := r.Header.Get("Authorization"); h != "" {
		key, _ := strings.CutPrefix(h, "Bearer ")
		if key == h {
			key = ""
		}
		return strings.TrimSpace(key), AuthHeader
	}
	if key := r.URL.Query().Get("api_key"); key != "" {
		return key, AuthQueryParam
	}
	return "", AuthNone
}

// allPublic reports whether every root field may be asked without a key:
// RunPod answers its catalog to anyone.
func allPublic(fields []string) bool {
	for _, f := range fields {
		switch f {
		case "gpuTypes", "dataCenters", "countryCodes", "__typename":
		default:
			return false
		}
	}
	return true
}

// limiter is a token bucket per key.
type limiter struct {
	rate    float64 // tokens per second
	burst   float64
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64) *limiter {
	return &limiter{rate: rate, burst: math.Max(1, math.Ceil(rate)), buckets: map[string]*bucket{}}
}

// take spends a token of key's bucket, or says how long until one is there.
func (l *limiter) take(key string, now time.Time) (time.Duration, bool) {
	_, wait, ok := l.spend(key, now)
	return wait, ok
}

// spend spends a token of key's bucket and says how many whole tokens are
// left, or says how long until one is there.
func (l *limiter) spend(key string, now time.Time) (left int, wait time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return int(b.tokens), 0, true
	}
	return 0, time.Duration((1 - b.tokens) / l.rate * float64(time.Second)), false
}

// retryAfter is the Retry-After header value for d: whole seconds, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(int(math.Max(1, math.Ceil(d.Seconds()))))
}
