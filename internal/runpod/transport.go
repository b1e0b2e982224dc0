package runpod

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// bearer adds the API key to every request as an Authorization header (never as the api_key
// query parameter, which ends up in logs) and records the server's Retry-After.
type bearer struct {
	key    string
	next   http.RoundTripper
	budget *budget
}

func (b *bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := b.budget.wait(req.Context()); err != nil {
		return nil, err
	}
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+b.key)
	req.Header.Set("User-Agent", "runpod-runner")
	resp, err := b.next.RoundTrip(req)
	if err == nil {
		b.budget.observe(resp.Header.Get("RateLimit"))
		if slot, ok := req.Context().Value(retryAfterKey{}).(*time.Duration); ok {
			*slot = parseRetryAfter(resp.Header.Get("Retry-After"))
		}
	}
	return resp, err
}

type retryAfterKey struct{}

// withRetryAfter returns a context whose request will record Retry-After into the result.
func withRetryAfter(ctx context.Context) (context.Context, *time.Duration) {
	slot := new(time.Duration)
	return context.WithValue(ctx, retryAfterKey{}, slot), slot
}

// parseRetryAfter reads seconds or an HTTP date.
func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

// client returns a copy of o.HTTPClient (or a client with a 60 s timeout) that authenticates
// every request with o.APIKey, and o with its per-request timeout defaulted to 30 s.
func (o Options) client() (*http.Client, *budget, Options) {
	hc := &http.Client{Timeout: 60 * time.Second}
	if o.HTTPClient != nil {
		copied := *o.HTTPClient
		hc = &copied
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	b := &budget{}
	hc.Transport = &bearer{key: o.APIKey, next: next, budget: b}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	return hc, b, o
}
