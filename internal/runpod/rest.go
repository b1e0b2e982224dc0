package runpod

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/retry"
)

// REST talks to RunPod's REST API v2 (https://docs.runpod.io/api-reference-v2).
type REST struct {
	hc      *http.Client
	base    string
	timeout time.Duration
	policy  retry.Policy
	notify  retry.Notify
	budget  *budget
}

// NewREST returns a client for RunPod's REST API v2; o.URL is its root, e.g.
// https://api.runpod.io.
func NewREST(o Options) *REST {
	hc, b, o := o.client()
	return &REST{hc: hc, base: strings.TrimSuffix(o.URL, "/"), timeout: o.Timeout, policy: o.Retry, notify: o.Notify, budget: b}
}

// call is one REST operation: method and path, a JSON body (or nil), where to decode a 2xx
// answer (or nil), and whether it places a pod on a GPU (which changes what 400 and 403 mean).
type call struct {
	op, method, path string
	body, out        any
	idempotent       bool
	places           placement
}

// placement is what a call asks RunPod to place.
type placement int

const (
	placesNothing placement = iota
	placesNew               // createPod: one candidate of many
	placesResume            // the start action: the pod's own host
)

func (r *REST) do(ctx context.Context, c call) error {
	p := r.policy
	if !c.idempotent {
		p.MaxAttempts = 1
	}
	return retry.Do(ctx, p, func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, r.timeout)
		defer cancel()
		return r.once(ctx, c)
	}, retry.Retryable, r.notify)
}

func (r *REST) once(ctx context.Context, c call) error {
	var body io.Reader
	if c.body != nil {
		b, err := json.Marshal(c.body)
		if err != nil {
			return fmt.Errorf("runpod: %s: encoding the request: %w", c.op, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, r.base+c.path, body)
	if err != nil {
		return fmt.Errorf("runpod: %s: %w", c.op, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			return err
		}
		return &Error{Op: c.op, Class: transport(err), Message: err.Error()}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return &Error{Op: c.op, Class: Transient, Message: "reading the answer: " + err.Error()}
	}
	if resp.StatusCode >= 300 {
		return problem(c, resp, data)
	}
	if c.out == nil || len(data) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, c.out); err != nil {
		return &Error{Op: c.op, Class: Transient, Message: "decoding the answer: " + err.Error()}
	}
	return nil
}

// problem turns an RFC 9457 problem answer into an *Error with RunPod's documented meaning of
// each status (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, createPod):
// 400 is "breaks a cross-field rule" or "could not be placed", told apart only by its detail;
// 402 balance; 403 no access to the pool, or a key that may not write; 404 gone; 409 state;
// 422 request; 429 and 5xx retry. An answer that is not a problem (an HTML page, a GraphQL
// error) is never read as capacity.
func problem(c call, resp *http.Response, data []byte) error {
	var p struct {
		Title  string   `json:"title"`
		Detail string   `json:"detail"`
		Errors []string `json:"errors"`
	}
	isProblem := json.Unmarshal(data, &p) == nil && (p.Title != "" || p.Detail != "")
	msg := strings.TrimSpace(strings.Join(append([]string{p.Detail}, p.Errors...), "; "))
	if !isProblem || msg == "" || msg == ";" {
		msg = firstLine(string(data))
	}
	e := &Error{Op: c.op, Status: resp.StatusCode, Message: msg, RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"))}
	switch s := resp.StatusCode; {
	case s == 400:
		e.Class = badRequest(c.places, isProblem, msg)
	case s == 402:
		e.Class, e.Message = Invalid, "insufficient balance: "+msg
	case s == 403 && c.places == placesNew:
		e.Class = Forbidden
	case s == 409:
		e.Class = Conflict
	default:
		e.Class = classifyStatus(s)
	}
	return e
}

// badRequest classes a 400: capacity only when RunPod's own problem detail says the pod could
// not be placed (or, for a start, whatever the problem: the pod's host is the only place);
// for a create, any other problem is Rejected, which the caller reads as invalid when every
// candidate gives it.
func badRequest(places placement, isProblem bool, msg string) Class {
	switch {
	case !isProblem:
		return Invalid
	case places != placesNothing && classifyMessage(msg) == Capacity:
		return Capacity
	case places == placesNew:
		return Rejected
	case places == placesResume:
		return Capacity
	}
	return Invalid
}

// Calls is how many requests the client has sent.
func (r *REST) Calls() int64 { return r.budget.calls.Load() }
