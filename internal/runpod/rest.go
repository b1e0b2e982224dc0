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
}

// NewREST returns a client for RunPod's REST API v2; o.URL is its root, e.g.
// https://api.runpod.io.
func NewREST(o Options) *REST {
	hc, o := o.client()
	return &REST{hc: hc, base: strings.TrimSuffix(o.URL, "/"), timeout: o.Timeout, policy: o.Retry, notify: o.Notify}
}

// call is one REST operation: method and path, a JSON body (or nil), where to decode a 2xx
// answer (or nil), and how to classify a 400.
type call struct {
	op, method, path string
	body, out        any
	idempotent       bool
	badRequest       Class // the class of a 400: Capacity for a create, else Invalid
}

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
// each status: 400 placement (next candidate) or rule, 402 balance, 403 pool or key, 404 gone,
// 409 state, 422 request, 429 and 5xx retry.
func problem(c call, resp *http.Response, data []byte) error {
	var p struct {
		Title  string   `json:"title"`
		Detail string   `json:"detail"`
		Errors []string `json:"errors"`
	}
	_ = json.Unmarshal(data, &p)
	msg := strings.TrimSpace(strings.Join(append([]string{p.Detail}, p.Errors...), "; "))
	if msg == "" || msg == ";" {
		msg = firstLine(string(data))
	}
	e := &Error{Op: c.op, Status: resp.StatusCode, Message: msg, RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"))}
	switch s := resp.StatusCode; {
	case s == 400:
		e.Class = c.badRequest
		if cl := classifyMessage(msg); cl == Capacity {
			e.Class = Capacity
		}
	case s == 402:
		e.Class, e.Message = Invalid, "insufficient balance: "+msg
	case s == 403 && c.badRequest == Capacity:
		e.Class = Capacity // no access to this GPU pool: skip the candidate
	case s == 409:
		e.Class = Conflict
	default:
		e.Class = classifyStatus(s)
	}
	return e
}
