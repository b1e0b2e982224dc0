package fakerunpod

import "time"

// Request is what the server saw of one HTTP request and answered. The
// GraphQL fields are empty for a REST v2 request, and the REST ones for
// a GraphQL request.
type Request struct {
	// Time is when the request arrived.
	Time time.Time
	// OperationName is the body's operationName, else the name of the
	// operation run, if known.
	OperationName string
	// RootFields are the names (not aliases) of the root fields the
	// operation asked for, in order; empty if the document never parsed.
	RootFields []string
	// Query is the document text as sent.
	Query string
	// Variables is the variables JSON as sent, or "".
	Variables string
	// Method and Path are the HTTP method and URL path of a REST request.
	Method, Path string
	// Operation is the operationId of the REST operation the method and
	// path name, such as "createPod"; empty if they name none.
	Operation string
	// Body is the REST request body as sent, or "".
	Body string
	// Validated reports whether a REST request passed validation against
	// the OpenAPI description: its parameters and its body.
	Validated bool
	// ResponseErrors say why the REST answer the server made failed
	// validation against the OpenAPI description; it answered 500 instead.
	ResponseErrors []string
	// Auth is how the request carried its key.
	Auth AuthMethod
	// Status is the HTTP status answered; 0 if the client went away first.
	Status int
	// Errors are the messages of the errors answered, if any: for REST,
	// the problem's detail, then its errors.
	Errors []string
}

// record keeps r.
func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
}

// Requests returns every request seen so far, GraphQL and REST, oldest
// first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.RootFields = append([]string(nil), r.RootFields...)
		r.Errors = append([]string(nil), r.Errors...)
		r.ResponseErrors = append([]string(nil), r.ResponseErrors...)
		out[i] = r
	}
	return out
}

// Counts returns how many requests asked for each GraphQL root field and
// each REST operation (by operationId), whatever they were answered.
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for _, r := range s.requests {
		for _, f := range r.RootFields {
			out[f]++
		}
		if r.Operation != "" {
			out[r.Operation]++
		}
	}
	return out
}

// AuthMethod is how a request carried its API key.
type AuthMethod string

// The ways a key can come.
const (
	// AuthNone: the request had no key.
	AuthNone AuthMethod = "none"
	// AuthHeader: "Authorization: Bearer <key>", as current clients send it.
	AuthHeader AuthMethod = "header"
	// AuthQueryParam: "?api_key=<key>", which RunPod still accepts but which
	// leaks the key into URLs and logs.
	AuthQueryParam AuthMethod = "query"
)
