package fakegithub

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// quota tracks the primary (hourly) and secondary (per second) rate limits
// of one token.
type quota struct {
	reset  time.Time
	used   int
	tokens float64
	filled time.Time
}

// admit charges one request to key, sets the X-RateLimit-* headers and
// answers the rate-limit error itself when the request is over a limit.
// An empty key is the unauthenticated quota, which is never enforced here
// because such requests fail authentication anyway.
func (s *Server) admit(w http.ResponseWriter, key string, limit int) bool {
	s.mu.Lock()
	now := s.now()
	q := s.quotas[key]
	if q == nil {
		q = &quota{tokens: s.burst(), filled: now}
		s.quotas[key] = q
	}
	if !now.Before(q.reset) {
		q.reset, q.used = now.Add(time.Hour), 0
	}
	over := key != "" && q.used >= limit
	if !over {
		q.used++
	}
	setRateHeaders(w, limit, q)
	wait := time.Duration(0)
	if !over && key != "" {
		wait = s.takeToken(q, now)
	}
	s.mu.Unlock()
	switch {
	case over:
		writeError(w, http.StatusForbidden, "API rate limit exceeded for user ID 1.",
			docLimits+"#about-the-primary-rate-limit")
		return false
	case wait > 0:
		secs := int(math.Ceil(wait.Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
		writeError(w, http.StatusTooManyRequests,
			"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
			docLimits+"#about-secondary-rate-limits")
		return false
	}
	return true
}

// burst is the size of the secondary-limit token bucket.
func (s *Server) burst() float64 {
	return max(1, math.Ceil(s.opts.RateLimit))
}

// takeToken refills the bucket and takes one token. It returns how long
// the caller must wait when the bucket is empty, or zero.
func (s *Server) takeToken(q *quota, now time.Time) time.Duration {
	rate := s.opts.RateLimit
	if rate <= 0 {
		return 0
	}
	q.tokens = min(s.burst(), q.tokens+now.Sub(q.filled).Seconds()*rate)
	q.filled = now
	if q.tokens < 1 {
		return time.Duration((1 - q.tokens) / rate * float64(time.Second))
	}
	q.tokens--
	return 0
}

// setRateHeaders writes the primary rate-limit headers.
func setRateHeaders(w http.ResponseWriter, limit int, q *quota) {
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(limit-q.used, 0)))
	h.Set("X-RateLimit-Used", strconv.Itoa(q.used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(q.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}
