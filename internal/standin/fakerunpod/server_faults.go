package fakerunpod

import (
	"context"
	"net/http"
	"time"
)

// Fault is a failure to inject into one request. Fields combine: a Delay
// comes before the answer, AfterCommit applies the request before failing
// it, and Status or GraphQLError say how it fails. A Fault with neither
// answers normally, after its Delay.
type Fault struct {
	// Status, if set and not 200, is the HTTP status to answer with, such
	// as 500, 502 or 429. The body is GraphQLError as a GraphQL error if
	// that is set, RunPod's internal-error answer for 500, else plain text.
	Status int
	// RetryAfter, if set, is sent as the Retry-After header (whole seconds).
	RetryAfter time.Duration
	// GraphQLError, if set (and Status is not), is answered as HTTP 200
	// with errors[0].message = GraphQLError and every root field null.
	GraphQLError string
	// Delay holds the answer back this long. If the client gives up first,
	// it gets nothing, and the request is not applied unless AfterCommit.
	Delay time.Duration
	// AfterCommit applies the request (creates the pod, stops it, …) before
	// the delay and the failure, as when a server fails after committing.
	AfterCommit bool
}

// FailNext queues f for the next GraphQL request that asks for the root
// field field (such as "podFindAndDeployOnDemand", "pod", "myself",
// "podTerminate"), or the next REST v2 request for the operation field
// (its operationId: "listPods", "createPod", "getPod", "updatePod",
// "deletePod", "podAction", "getPodLogs", "listGpuTypes"). Faults for one
// name are used in the order queued, one per request. Requests refused for
// their key, rate or document use none.
//
// On REST, a Status answers a problem of that status, with GraphQLError
// as its detail if set; a GraphQLError alone answers 400 with it as the
// detail, the status RunPod gives a request it refuses (such as
// MsgNotEnoughGPUs).
func (s *Server) FailNext(field string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[field] = append(s.faults[field], f)
}

// takeFault dequeues the fault for the first of fields that has one.
func (s *Server) takeFault(fields []string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range fields {
		if q := s.faults[f]; len(q) > 0 {
			s.faults[f] = q[1:]
			return q[0], true
		}
	}
	return Fault{}, false
}

// withFault answers a request that has fault f: exec runs the request,
// forced answers it with the message f.GraphQLError instead, and failed
// answers it with f.Status. The zero R answers nothing.
func withFault[R any](ctx context.Context, f Fault, exec func() R, forced func(msg string) R, failed func(Fault) R) R {
	var committed R
	if f.AfterCommit {
		committed = exec()
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			var none R // the client went away
			return none
		}
	}
	switch {
	case f.Status != 0 && f.Status != http.StatusOK:
		return failed(f)
	case f.GraphQLError != "":
		return forced(f.GraphQLError)
	case f.AfterCommit:
		return committed
	}
	return exec()
}

// faultReply is the answer to a fault with an HTTP status.
func faultReply(f Fault) reply {
	var r reply
	switch {
	case f.GraphQLError != "":
		r = errorsReply(f.Status, gqlError{message: f.GraphQLError})
	case f.Status == http.StatusInternalServerError:
		r = errorsReply(f.Status, gqlError{message: MsgSomethingWentWrong, code: "INTERNAL_SERVER_ERROR"})
	default:
		r = textReply(f.Status, http.StatusText(f.Status))
	}
	if f.RetryAfter > 0 {
		r.retryAfter = retryAfter(f.RetryAfter)
	}
	return r
}
