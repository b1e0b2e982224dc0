package fakegithub

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// Fault describes a failure injected into one request.
type Fault struct {
	// Status is the status to answer with. Zero means no failure: the
	// request is only delayed and then served normally.
	Status int
	// Body is the response body; empty means a GitHub-style JSON error.
	Body string
	// RetryAfter, when positive, is sent as the Retry-After header
	// (whole seconds, rounded up).
	RetryAfter time.Duration
	// Delay is how long to wait before answering.
	Delay time.Duration
	// AfterCommit serves the request (registers the runner, deletes it, …) before failing it
	// with Status, as when GitHub commits and its answer is lost or turns into a 5xx.
	AfterCommit bool
}

// FailNext injects f into the next request to the endpoint with the given
// key ("generate-jitconfig", "get-runner", "delete-runner", "list-runners",
// "runner-groups", "downloads", or a broker key such as "broker-message").
// Several calls queue up, one fault per request.
func (s *Server) FailNext(endpoint string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[endpoint] = append(s.faults[endpoint], f)
}

// takeFault removes and returns the next fault queued for the endpoint.
func (s *Server) takeFault(endpoint string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[endpoint]
	if len(q) == 0 {
		return Fault{}, false
	}
	s.faults[endpoint] = q[1:]
	return q[0], true
}

// applyFault applies the next fault queued for endpoint, if any. It reports
// whether it answered the request.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, endpoint string) bool {
	f, ok := s.takeFault(endpoint)
	if !ok {
		return false
	}
	return s.answerFault(w, r, f)
}

// answerFault answers the request with f, after its delay; it reports whether it answered.
func (s *Server) answerFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true
		}
	}
	if f.Status == 0 {
		return false
	}
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds()))))
	}
	if f.Body == "" {
		writeError(w, f.Status, http.StatusText(f.Status), docRoot)
		return true
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(f.Body))
	return true
}
