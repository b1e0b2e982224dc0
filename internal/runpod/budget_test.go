package runpod

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestBudgetSpreadsTheLastRequests: with RateLimit saying one request is left and the window
// resets in 2 s (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json,
// components.headers.RateLimit), the next request waits for its share of the window instead of
// meeting a 429; every request is counted.
func TestBudgetSpreadsTheLastRequests(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("RateLimit-Policy", `"minute";q=60;w=60`)
		w.Header().Set("RateLimit", `"minute";r=1;t=2`)
		_, _ = w.Write([]byte(`{"pods":[]}`))
	}))
	t.Cleanup(srv.Close)
	c := NewREST(Options{URL: srv.URL, APIKey: "k"})
	ctx := context.Background()
	if _, err := c.List(ctx); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if _, err := c.List(ctx); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(began); took < 800*time.Millisecond {
		t.Errorf("the request after a low RateLimit went out after %s, want about 1 s", took)
	}
	if n := c.Calls(); n != 2 {
		t.Errorf("Calls() = %d, want 2", n)
	}
}

// TestBudgetPacesRequestsMadeAtOnce: once RateLimit runs low, requests that wait at the same
// time leave one share of the window apart, not together into a 429 each.
func TestBudgetPacesRequestsMadeAtOnce(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var arrived []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		arrived = append(arrived, time.Now())
		mu.Unlock()
		w.Header().Set("RateLimit", `"second";r=1;t=1`) // the next request a half second later
		_, _ = w.Write([]byte(`{"pods":[]}`))
	}))
	t.Cleanup(srv.Close)
	c := NewREST(Options{URL: srv.URL, APIKey: "k"})
	ctx := context.Background()
	if _, err := c.List(ctx); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if _, err := c.List(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if spread := arrived[len(arrived)-1].Sub(arrived[1]); spread < 900*time.Millisecond {
		t.Errorf("three requests made at once arrived within %s, want them a half second apart", spread)
	}
}
