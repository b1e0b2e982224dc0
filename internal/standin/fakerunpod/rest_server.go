package fakerunpod

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// The REST v2 operations the server serves, by operationId.
const (
	opListPods     = "listPods"
	opCreatePod    = "createPod"
	opGetPod       = "getPod"
	opUpdatePod    = "updatePod"
	opDeletePod    = "deletePod"
	opPodAction    = "podAction"
	opGetPodLogs   = "getPodLogs"
	opListGpuTypes = "listGpuTypes"
	// Read by creates: a network volume pins the pod's data center, a
	// template gives the fields a create leaves out.
	opGetNetworkVolume = "getNetworkVolume"
	opGetTemplate      = "getTemplate"
)

// restRoute is what a REST request's method and path name.
type restRoute struct {
	op    string // the operationId; "" if the method and path name none
	podID string // the {id} of a pod's path
	resID string // the {id} of a network volume's or template's path
	allow string // the methods the path allows; "" if there is no such path
}

// routeREST finds the operation for method and path.
func routeREST(method, path string) restRoute {
	segs := strings.Split(strings.TrimPrefix(path, "/v2/"), "/")
	var ops map[string]string
	var id string
	switch {
	case len(segs) == 1 && segs[0] == "pods":
		ops = map[string]string{http.MethodGet: opListPods, http.MethodPost: opCreatePod}
	case len(segs) == 2 && segs[0] == "catalog" && segs[1] == "gpus":
		ops = map[string]string{http.MethodGet: opListGpuTypes}
	case len(segs) == 2 && segs[1] != "" && (segs[0] == "network-volumes" || segs[0] == "templates"):
		op := map[string]string{"network-volumes": opGetNetworkVolume, "templates": opGetTemplate}[segs[0]]
		return restRoute{op: map[string]string{http.MethodGet: op}[method], resID: segs[1], allow: http.MethodGet}
	case len(segs) < 2 || len(segs) > 3 || segs[0] != "pods" || segs[1] == "":
		return restRoute{}
	case len(segs) == 2:
		ops = map[string]string{http.MethodGet: opGetPod, http.MethodPatch: opUpdatePod, http.MethodDelete: opDeletePod}
	case segs[2] == "logs":
		ops = map[string]string{http.MethodGet: opGetPodLogs}
	case segs[2] == "action":
		ops = map[string]string{http.MethodPost: opPodAction}
	default:
		return restRoute{}
	}
	if len(segs) > 1 && segs[0] == "pods" {
		id = segs[1]
	}
	allow := strings.Join(slices.Sorted(maps.Keys(ops)), ", ")
	return restRoute{op: ops[method], podID: id, allow: allow}
}

// restCall is one REST request for an operation.
type restCall struct {
	r     *http.Request
	route restRoute
	body  []byte
}

// serveREST answers one REST v2 request and records it.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	rec := Request{Time: s.now(), Method: r.Method, Path: r.URL.Path}
	rep := s.handleREST(r, &rec)
	rec.Status, rec.Errors = rep.status, rep.messages
	s.record(rec)
	rep.write(w, r)
}

// handleREST routes a request, admits it, runs it and checks the answer
// against the OpenAPI description.
func (s *Server) handleREST(r *http.Request, rec *Request) restReply {
	route := routeREST(r.Method, r.URL.Path)
	switch {
	case route.allow == "":
		return problem(http.StatusNotFound, "no such path: "+r.URL.Path)
	case route.op == "":
		rep := problem(http.StatusMethodNotAllowed, "The requested method is not allowed for this path.")
		rep.header.Set("Allow", route.allow)
		return rep
	}
	rec.Operation = route.op
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return restReply{} // the client went away
	}
	rec.Body = string(body)
	c := restCall{r: r, route: route, body: body}
	rep, limits := s.admit(c, rec)
	if rep.status == 0 {
		rep = s.runREST(c)
	}
	if rep.status == 0 {
		return rep
	}
	if rep.header == nil {
		rep.header = http.Header{}
	}
	for k, v := range limits {
		rep.header[k] = v
	}
	return s.checkAnswer(r, rep, rec)
}

// admit checks a request's key, rate, scope and validity. It answers
// the refusal, if any, and the rate-limit headers every answer to the
// caller carries.
func (s *Server) admit(c restCall, rec *Request) (restReply, http.Header) {
	caller, method, refusal := s.callerOf(c.r)
	rec.Auth = method
	if refusal != nil {
		return *refusal, nil
	}
	limits, refusal := s.restRate(caller.key, rec.Time)
	switch {
	case refusal != nil:
		return *refusal, limits
	case !caller.allows(c.route):
		return problem(http.StatusForbidden, "access denied"), limits
	case len(c.body) > 0 && !json.Valid(c.body):
		return problem(http.StatusBadRequest, "request body is not valid JSON"), limits
	}
	if errs := s.rest.checkRequest(c.r, c.route.op, c.body); len(errs) > 0 {
		return problem(http.StatusUnprocessableEntity, "Request validation failed.", errs...), limits
	}
	rec.Validated = true
	return restReply{}, limits
}

// checkAnswer validates rep as the answer to r. An answer that fails is
// recorded and replaced by a 500 that says why.
func (s *Server) checkAnswer(r *http.Request, rep restReply, rec *Request) restReply {
	errs := s.rest.checkResponse(r, rep.status, rep.header, rep.body)
	if len(errs) == 0 {
		return rep
	}
	rec.ResponseErrors = errs
	return problem(http.StatusInternalServerError, "the stand-in's answer failed validation against the OpenAPI description", errs...)
}
