package fakerunpod

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
)

// restReply is a complete REST answer.
type restReply struct {
	status   int // 0: the client went away; answer nothing
	header   http.Header
	body     []byte
	messages []string // a problem's detail and errors, for the record
	// stream, if set, writes more of the body after it, until ctx ends.
	stream func(ctx context.Context, w http.ResponseWriter, flush func() error)
}

// problemBody is an RFC 9457 problem, as RunPod's ErrorResponse.
type problemBody struct {
	Title  string   `json:"title"`
	Status int      `json:"status"`
	Detail string   `json:"detail"`
	Errors []string `json:"errors,omitempty"`
}

// problem is a problem answer.
func problem(status int, detail string, errs ...string) restReply {
	rep := jsonReply(status, problemBody{Title: http.StatusText(status), Status: status, Detail: detail, Errors: errs})
	rep.header.Set("Content-Type", "application/problem+json")
	rep.messages = append([]string{detail}, errs...)
	return rep
}

// jsonReply is a JSON answer of v.
func jsonReply(status int, v any) restReply {
	b, err := json.Marshal(v)
	if err != nil {
		return problem(http.StatusInternalServerError, MsgSomethingWentWrong)
	}
	return restReply{status: status, header: http.Header{"Content-Type": {"application/json"}}, body: b}
}

// noContent is a 204 answer.
func noContent() restReply {
	return restReply{status: http.StatusNoContent, header: http.Header{}}
}

// write sends rep, then its stream, if any.
func (rep restReply) write(w http.ResponseWriter, r *http.Request) {
	if rep.status == 0 {
		return
	}
	for k, v := range rep.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body)
	if rep.stream == nil {
		return
	}
	rc := http.NewResponseController(w)
	if rc.Flush() == nil {
		rep.stream(r.Context(), w, rc.Flush)
	}
}

// failureReply is the answer to a failure of the simulated API.
func failureReply(err error) restReply {
	var fl *failure
	if !errors.As(err, &fl) {
		return problem(http.StatusInternalServerError, MsgSomethingWentWrong)
	}
	switch fl.kind {
	case failInvalid, failUnavailable:
		return problem(http.StatusBadRequest, fl.message)
	case failNoCapacity:
		return problem(http.StatusBadRequest, MsgNotPlaced)
	case failNotFound:
		return problem(http.StatusNotFound, MsgPodNotFound)
	case failConflict:
		return problem(http.StatusConflict, fl.message)
	}
	return problem(http.StatusInternalServerError, MsgSomethingWentWrong)
}

// runREST runs an admitted request, through its queued fault if any.
func (s *Server) runREST(c restCall) restReply {
	exec := func() restReply { return s.runOp(c) }
	f, ok := s.takeFault([]string{c.route.op})
	if !ok {
		return exec()
	}
	forced := func(msg string) restReply { return problem(http.StatusBadRequest, msg) }
	return withFault(c.r.Context(), f, exec, forced, restFaultReply)
}

// restFaultReply is the REST answer to a fault with an HTTP status.
func restFaultReply(f Fault) restReply {
	detail := f.GraphQLError
	switch {
	case detail != "":
	case f.Status == http.StatusInternalServerError:
		detail = MsgSomethingWentWrong
	default:
		detail = http.StatusText(f.Status)
	}
	rep := problem(f.Status, detail)
	if f.RetryAfter > 0 {
		rep.header.Set("Retry-After", retryAfter(f.RetryAfter))
	}
	return rep
}

// runOp runs one operation.
func (s *Server) runOp(c restCall) restReply {
	id := c.route.podID
	switch c.route.op {
	case opListPods:
		return s.listPodsREST()
	case opCreatePod:
		return s.createPodREST(c.body)
	case opGetPod:
		return s.getPodREST(id)
	case opUpdatePod:
		return s.updatePodREST(id, c.body)
	case opDeletePod:
		return s.deletePodREST(id)
	case opPodAction:
		return s.podActionREST(id, c.body)
	case opGetPodLogs:
		return s.podLogsREST(c.r, id)
	case opGetNetworkVolume:
		return s.networkVolumeREST(c.route.resID)
	case opGetTemplate:
		return s.templateREST(c.route.resID)
	}
	return s.gpuTypesREST(c.r.URL.Query())
}
