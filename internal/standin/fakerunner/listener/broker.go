package main

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
)

const (
	callTimeout    = 10 * time.Second
	defaultGiveUp  = 30 * time.Second
	maxRetryPause  = 2 * time.Second
	firstRetryWait = 100 * time.Millisecond
)

// brokerClient talks to the broker at serverUrlV2 with the credentials
// token. Every request has a timeout; transient failures are retried until
// the server has been unreachable for giveUp.
type brokerClient struct {
	base   string
	token  string
	hc     *http.Client
	giveUp time.Duration
	lastOK time.Time
}

// newBrokerClient returns a client for the broker at base.
func newBrokerClient(base, token string) *brokerClient {
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return &brokerClient{base: base, token: token, hc: &http.Client{}, giveUp: defaultGiveUp, lastOK: time.Now()}
}

// errLost means the server stayed unreachable for longer than giveUp.
var errLost = errors.New("lost connection to the server")

// call sends a request, retrying transient failures (network errors, 5xx,
// 429). It returns the final HTTP status; a 2xx JSON body is decoded into
// out when out is not nil.
func (b *brokerClient) call(ctx context.Context, method, path string, in, out any, timeout time.Duration) (int, error) {
	pause := firstRetryWait
	for {
		attempt := ctx
		if method == http.MethodPost {
			// A POST once sent is seen through (within timeout) even if a signal arrives, so
			// that what the server made (a session) is known here and undone on the way out.
			attempt = context.WithoutCancel(ctx)
		}
		status, err := b.once(attempt, method, path, in, out, timeout)
		if err == nil && status < 500 && status != http.StatusTooManyRequests {
			b.lastOK = time.Now() // answered: what the server did stands, signal or not
			return status, nil
		}
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if time.Since(b.lastOK) > b.giveUp {
			return 0, fmt.Errorf("%w: %s %s: status %d, %v", errLost, method, path, status, err)
		}
		if err := sleep(ctx, pause); err != nil {
			return 0, err
		}
		pause = min(pause*2, maxRetryPause)
	}
}

// once sends one request with a timeout.
func (b *brokerClient) once(ctx context.Context, method, path string, in, out any, timeout time.Duration) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return 0, fmt.Errorf("encode request: %w", err)
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, body)
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+b.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("send request: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return 0, fmt.Errorf("read response: %w", err)
	}
	if out != nil && resp.StatusCode/100 == 2 && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return 0, fmt.Errorf("decode response: %w", err)
		}
	}
	return resp.StatusCode, nil
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
