package runpod

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	graphql "github.com/hasura/go-graphql-client"

	"github.com/runpod-runner/runpod-runner/internal/retry"
)

// GraphQL talks to RunPod's GraphQL API.
type GraphQL struct {
	client  *graphql.Client
	timeout time.Duration
	policy  retry.Policy
	notify  retry.Notify
	budget  *budget
	rest    *REST // for what the GraphQL schema cannot ask
}

// Options configures a client.
type Options struct {
	URL        string       // e.g. https://api.runpod.io/graphql
	APIKey     string       // sent as Authorization: Bearer
	HTTPClient *http.Client // its Transport is wrapped; nil means a client with a 60s timeout
	Timeout    time.Duration
	Retry      retry.Policy
	Notify     retry.Notify // hears about retries, for the log
}

// NewGraphQL returns a client for RunPod's GraphQL API.
func NewGraphQL(o Options) *GraphQL {
	ro := o
	ro.URL = restBesideGraphQL(o.URL)
	hc, b, o := o.client()
	return &GraphQL{client: graphql.NewClient(o.URL, hc), timeout: o.Timeout, policy: o.Retry, notify: o.Notify, budget: b,
		rest: NewREST(ro)}
}

// exec sends one operation, retrying transient failures when idempotent.
func (g *GraphQL) exec(ctx context.Context, op, name string, mutation, idempotent bool, v any, vars map[string]any) error {
	p := g.policy
	if !idempotent {
		p.MaxAttempts = 1
	}
	return retry.Do(ctx, p, func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, g.timeout)
		defer cancel()
		ctx, after := withRetryAfter(ctx)
		var err error
		if mutation {
			err = g.client.Mutate(ctx, v, vars, graphql.OperationName(name))
		} else {
			err = g.client.Query(ctx, v, vars, graphql.OperationName(name))
		}
		return classify(op, err, *after)
	}, retry.Retryable, g.notify)
}

// classify turns what the GraphQL library returned into an *Error.
func classify(op string, err error, retryAfter time.Duration) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	var gerrs graphql.Errors
	if !errors.As(err, &gerrs) || len(gerrs) == 0 {
		return &Error{Op: op, Class: transport(err), Message: err.Error()}
	}
	var netErr graphql.NetworkError
	if errors.As(err, &netErr) {
		return &Error{Op: op, Class: classifyStatus(netErr.StatusCode()), Status: netErr.StatusCode(),
			Message: firstLine(netErr.Body()), RetryAfter: retryAfter}
	}
	first := gerrs[0]
	if code, _ := first.Extensions["code"].(string); code == graphql.ErrRequestError || code == graphql.ErrJsonDecode {
		// No answer (timeout, refused connection) or an answer that was not GraphQL.
		return &Error{Op: op, Class: transport(err), Message: first.Message}
	}
	msgs := make([]string, 0, len(gerrs))
	for _, e := range gerrs {
		msgs = append(msgs, e.Message)
	}
	return &Error{Op: op, Class: classifyMessage(first.Message), Message: strings.Join(msgs, "; ")}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// Calls is how many requests the client has sent.
func (g *GraphQL) Calls() int64 { return g.budget.calls.Load() }
