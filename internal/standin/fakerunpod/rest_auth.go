package fakerunpod

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
)

// restCaller is whom a REST request comes from.
type restCaller struct {
	key    string
	access KeyAccess // of an account key; 0 for a pod-scoped key
	podID  string    // the pod a pod-scoped key belongs to
}

// callerOf finds the caller of r from its Bearer token. REST v2 takes
// the key in the Authorization header only, and no request without one.
func (s *Server) callerOf(r *http.Request) (restCaller, AuthMethod, *restReply) {
	h := r.Header.Get("Authorization")
	if h == "" {
		rep := problem(http.StatusUnauthorized, "missing bearer token")
		return restCaller{}, AuthNone, &rep
	}
	key, ok := strings.CutPrefix(h, "Bearer ")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		rep := problem(http.StatusUnauthorized, "malformed bearer token")
		return restCaller{}, AuthHeader, &rep
	}
	if access, ok := s.keys[key]; ok {
		return restCaller{key: key, access: access}, AuthHeader, nil
	}
	if id, ok := s.world.podForKey(key); ok {
		return restCaller{key: key, podID: id}, AuthHeader, nil
	}
	rep := problem(http.StatusUnauthorized, "invalid bearer token")
	return restCaller{}, AuthHeader, &rep
}

// allows reports whether the caller may run route. Read-only keys may
// only read; a pod-scoped key may only get, act on and delete its pod.
func (c restCaller) allows(route restRoute) bool {
	if c.podID != "" {
		switch route.op {
		case opGetPod, opPodAction, opDeletePod:
			return route.podID == c.podID
		}
		return false
	}
	switch route.op {
	case opCreatePod, opUpdatePod, opDeletePod, opPodAction:
		return c.access == ReadWrite
	}
	return true
}

// restRate spends a request of key's rate limit. It returns the
// RateLimit and RateLimit-Policy headers (none without a limit) and, if
// the limit is spent, the 429 to answer. The limit is a token bucket
// refilled every second, which the headers describe as a one-second window
// whose quota is the bucket's size.
func (s *Server) restRate(key string, now time.Time) (http.Header, *restReply) {
	if s.limiter == nil {
		return nil, nil
	}
	left, wait, ok := s.limiter.spend(key, now)
	reset := int(math.Max(1, math.Ceil(wait.Seconds())))
	h := http.Header{}
	h.Set("RateLimit-Policy", fmt.Sprintf(`"second";q=%d;w=1`, int(s.limiter.burst)))
	h.Set("RateLimit", fmt.Sprintf(`"second";r=%d;t=%d`, left, reset))
	if ok {
		return h, nil
	}
	rep := problem(http.StatusTooManyRequests, "rate limit exceeded for the second window")
	rep.header.Set("Retry-After", retryAfter(wait))
	return h, &rep
}
