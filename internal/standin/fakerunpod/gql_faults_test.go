package fakerunpod

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		fault          Fault
		clientTimeout  time.Duration // 0: wait for the answer
		wantStatus     int           // 0: the client gave up
		wantBody       string        // "" to skip
		wantRetryAfter string
		wantPods       int
		minTime        time.Duration
	}{
		{name: "502 before the create", fault: Fault{Status: http.StatusBadGateway},
			wantStatus: http.StatusBadGateway, wantBody: "Bad Gateway\n", wantPods: 0},
		{name: "500 before the create", fault: Fault{Status: http.StatusInternalServerError},
			wantStatus: http.StatusInternalServerError, wantPods: 0,
			wantBody: `{"errors":[{"message":"Something went wrong. Please try again later or contact support.","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`},
		{name: "429 with Retry-After", fault: Fault{Status: http.StatusTooManyRequests, RetryAfter: 1500 * time.Millisecond},
			wantStatus: http.StatusTooManyRequests, wantRetryAfter: "2", wantPods: 0},
		{name: "GraphQL error", fault: Fault{GraphQLError: MsgNoInstances}, wantStatus: http.StatusOK, wantPods: 0,
			wantBody: `{"errors":[{"message":"` + MsgNoInstances + `","path":["podFindAndDeployOnDemand"]}],"data":{"podFindAndDeployOnDemand":null}}`},
		{name: "502 after the create", fault: Fault{Status: http.StatusBadGateway, AfterCommit: true},
			wantStatus: http.StatusBadGateway, wantPods: 1},
		{name: "GraphQL error after the create", fault: Fault{GraphQLError: MsgSomethingWentWrong, AfterCommit: true},
			wantStatus: http.StatusOK, wantPods: 1,
			wantBody: `{"errors":[{"message":"` + MsgSomethingWentWrong + `","path":["podFindAndDeployOnDemand"]}],"data":{"podFindAndDeployOnDemand":null}}`},
		{name: "slow answer", fault: Fault{Delay: 150 * time.Millisecond},
			wantStatus: http.StatusOK, wantPods: 1, minTime: 150 * time.Millisecond},
		{name: "client times out before the create", fault: Fault{Delay: 5 * time.Second},
			clientTimeout: 100 * time.Millisecond, wantPods: 0},
		{name: "client times out after the create", fault: Fault{Delay: 5 * time.Second, AfterCommit: true},
			clientTimeout: 100 * time.Millisecond, wantPods: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, ts := newServer(t, Options{})
			srv.FailNext("podFindAndDeployOnDemand", tc.fault)
			ctx := context.Background()
			if tc.clientTimeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.clientTimeout)
				defer cancel()
			}
			start := time.Now()
			resp, err := send(ctx, ts.URL, testKey, createDoc, input(createInput()))
			if took := time.Since(start); took < tc.minTime {
				t.Errorf("answered after %v, want at least %v", took, tc.minTime)
			}
			if (err != nil) != (tc.wantStatus == 0) {
				t.Fatalf("send error = %v, want an error: %v", err, tc.wantStatus == 0)
			}
			if resp.status != tc.wantStatus {
				t.Errorf("status = %d, want %d; body %s", resp.status, tc.wantStatus, resp.body)
			}
			if tc.wantBody != "" {
				if diff := cmp.Diff(tc.wantBody, resp.body); diff != "" {
					t.Errorf("body mismatch (-want +got):\n%s", diff)
				}
			}
			if got := resp.header.Get("Retry-After"); got != tc.wantRetryAfter {
				t.Errorf("Retry-After = %q, want %q", got, tc.wantRetryAfter)
			}
			waitFor(t, 5*time.Second, "the request to be recorded", func() bool { return len(srv.Requests()) == 1 })
			if got := len(srv.Pods()); got != tc.wantPods {
				t.Errorf("%d pods, want %d", got, tc.wantPods)
			}
			if got := srv.Requests()[0].Status; got != tc.wantStatus {
				t.Errorf("recorded status = %d, want %d", got, tc.wantStatus)
			}
			if got := post(t, ts.URL, testKey, createDoc, input(createInput())).status; got != http.StatusOK {
				t.Errorf("the next create: status %d, want 200 (a fault is used once)", got)
			}
		})
	}
}

func TestFaultsApplyToTheirFieldOnly(t *testing.T) {
	t.Parallel()
	srv, ts := newServer(t, Options{})
	srv.FailNext("pod", Fault{Status: http.StatusServiceUnavailable})
	srv.FailNext("pod", Fault{GraphQLError: "boom"})
	if got := post(t, ts.URL, testKey, listDoc, nil).status; got != http.StatusOK {
		t.Errorf("myself: status %d, want 200", got)
	}
	if got := post(t, ts.URL, testKey, `query { myself { id } }`, nil).status; got != http.StatusOK {
		t.Errorf("myself again: status %d, want 200", got)
	}
	if got := post(t, ts.URL, testKey, getPodDoc, podInput("x")).status; got != http.StatusServiceUnavailable {
		t.Errorf("first pod: status %d, want 503", got)
	}
	want := `{"errors":[{"message":"boom","path":["pod"]}],"data":{"pod":null}}`
	if diff := cmp.Diff(want, post(t, ts.URL, testKey, getPodDoc, podInput("x")).body); diff != "" {
		t.Errorf("second pod mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(`{"data":{"pod":null}}`, post(t, ts.URL, testKey, getPodDoc, podInput("x")).body); diff != "" {
		t.Errorf("third pod mismatch (-want +got):\n%s", diff)
	}
}
