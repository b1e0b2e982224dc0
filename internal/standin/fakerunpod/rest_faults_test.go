package fakerunpod

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRESTFaultsPerOperation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op, method, path string // POD stands for a pod's id
		body             any
	}{
		{op: "listPods", method: http.MethodGet, path: "/v2/pods"},
		{op: "createPod", method: http.MethodPost, path: "/v2/pods", body: createBody()},
		{op: "getPod", method: http.MethodGet, path: "/v2/pods/POD"},
		{op: "updatePod", method: http.MethodPatch, path: "/v2/pods/POD", body: map[string]any{"name": "x"}},
		{op: "deletePod", method: http.MethodDelete, path: "/v2/pods/POD"},
		{op: "podAction", method: http.MethodPost, path: "/v2/pods/POD/action", body: map[string]any{"action": "stop"}},
		{op: "getPodLogs", method: http.MethodGet, path: "/v2/pods/POD/logs"},
		{op: "listGpuTypes", method: http.MethodGet, path: "/v2/catalog/gpus"},
	}
	for _, tc := range tests {
		t.Run(tc.op, func(t *testing.T) {
			t.Parallel()
			srv, ts := newRESTServer(t, Options{})
			id := createREST(t, srv, ts, createBody())
			for _, other := range restOperations() {
				if other != tc.op {
					srv.FailNext(other, Fault{Status: http.StatusTeapot}) // must stay unused
				}
			}
			srv.FailNext(tc.op, Fault{Status: http.StatusServiceUnavailable, RetryAfter: 2 * time.Second})
			path := strings.ReplaceAll(tc.path, "POD", id)
			resp := call(t, srv, ts, testKey, tc.method, path, tc.body)
			want := problemOf{ContentType: "application/problem+json", Status: 503, Detail: "Service Unavailable"}
			if diff := cmp.Diff(want, readProblem(t, resp)); diff != "" {
				t.Errorf("problem mismatch (-want +got):\n%s", diff)
			}
			if got := resp.header.Get("Retry-After"); got != "2" {
				t.Errorf("Retry-After = %q, want 2", got)
			}
			if got := srv.Counts()[tc.op]; got != 1+btoi(tc.op == opCreatePod) {
				t.Errorf("Counts()[%s] = %d", tc.op, got)
			}
			if tc.op == opGetPodLogs {
				return // a second request would stream
			}
			if got := call(t, srv, ts, testKey, tc.method, path, tc.body).status; got >= 300 {
				t.Errorf("the next request: status %d, want success (a fault is used once)", got)
			}
		})
	}
}

// btoi is 1 for true.
func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestRESTFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		fault         Fault
		clientTimeout time.Duration // 0: wait for the answer
		wantStatus    int           // 0: the client gave up
		wantDetail    string
		wantPods      int
	}{
		{name: "502 before the create", fault: Fault{Status: http.StatusBadGateway}, wantStatus: 502, wantDetail: "Bad Gateway"},
		{name: "500 before the create", fault: Fault{Status: http.StatusInternalServerError}, wantStatus: 500, wantDetail: MsgSomethingWentWrong},
		{name: "status with a message", fault: Fault{Status: http.StatusForbidden, GraphQLError: "no access to this pool"},
			wantStatus: 403, wantDetail: "no access to this pool"},
		{name: "message alone", fault: Fault{GraphQLError: MsgNotPlaced}, wantStatus: 400, wantDetail: MsgNotPlaced},
		{name: "502 after the create", fault: Fault{Status: http.StatusBadGateway, AfterCommit: true}, wantStatus: 502, wantDetail: "Bad Gateway", wantPods: 1},
		{name: "slow answer", fault: Fault{Delay: 150 * time.Millisecond}, wantStatus: 201, wantPods: 1},
		{name: "client times out before the create", fault: Fault{Delay: 5 * time.Second}, clientTimeout: 100 * time.Millisecond},
		{name: "client times out after the create", fault: Fault{Delay: 5 * time.Second, AfterCommit: true},
			clientTimeout: 100 * time.Millisecond, wantPods: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, ts := newRESTServer(t, Options{})
			srv.FailNext("createPod", tc.fault)
			ctx := context.Background()
			if tc.clientTimeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.clientTimeout)
				defer cancel()
			}
			resp, err := sendREST(ctx, ts.URL, testKey, http.MethodPost, "/v2/pods", createBody())
			if (err != nil) != (tc.wantStatus == 0) {
				t.Fatalf("send error = %v, want an error: %v", err, tc.wantStatus == 0)
			}
			if err == nil {
				checkWire(t, srv, http.MethodPost, "/v2/pods", resp)
			}
			if resp.status != tc.wantStatus {
				t.Errorf("status = %d, want %d; body %s", resp.status, tc.wantStatus, resp.body)
			}
			if got := readProblemIf(t, resp).Detail; got != tc.wantDetail {
				t.Errorf("detail = %q, want %q", got, tc.wantDetail)
			}
			waitFor(t, 5*time.Second, "the request to be recorded", func() bool { return len(srv.Requests()) == 1 })
			if got := len(srv.Pods()); got != tc.wantPods {
				t.Errorf("%d pods, want %d", got, tc.wantPods)
			}
			if got := srv.Requests()[0].Status; got != tc.wantStatus {
				t.Errorf("recorded status = %d, want %d", got, tc.wantStatus)
			}
		})
	}
}

// readProblemIf reads resp as a problem if it is one.
func readProblemIf(t *testing.T, resp restResponse) problemOf {
	t.Helper()
	if !strings.HasPrefix(resp.header.Get("Content-Type"), "application/problem+json") {
		return problemOf{}
	}
	return readProblem(t, resp)
}

func TestRESTRateLimit(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	srv, ts := newRESTServer(t, Options{RateLimit: 1, Clock: clock, Keys: map[string]KeyAccess{testKey: ReadWrite, "rpa_OTHER": ReadWrite}})
	first := call(t, srv, ts, testKey, http.MethodGet, "/v2/pods", nil)
	second := call(t, srv, ts, testKey, http.MethodGet, "/v2/pods", nil)
	other := call(t, srv, ts, "rpa_OTHER", http.MethodGet, "/v2/pods", nil)
	type seen struct {
		Status                        int
		RetryAfter, RateLimit, Policy string
	}
	see := func(r restResponse) seen {
		return seen{r.status, r.header.Get("Retry-After"), r.header.Get("RateLimit"), r.header.Get("RateLimit-Policy")}
	}
	want := []seen{
		{Status: 200, RateLimit: `"second";r=0;t=1`, Policy: `"second";q=1;w=1`},
		{Status: 429, RetryAfter: "1", RateLimit: `"second";r=0;t=1`, Policy: `"second";q=1;w=1`},
		{Status: 200, RateLimit: `"second";r=0;t=1`, Policy: `"second";q=1;w=1`},
	}
	if diff := cmp.Diff(want, []seen{see(first), see(second), see(other)}); diff != "" {
		t.Errorf("answers mismatch (-want +got):\n%s", diff)
	}
	wantProblem := problemOf{ContentType: "application/problem+json", Status: 429, Detail: "rate limit exceeded for the second window"}
	if diff := cmp.Diff(wantProblem, readProblem(t, second)); diff != "" {
		t.Errorf("problem mismatch (-want +got):\n%s", diff)
	}
	clock.Advance(1100 * time.Millisecond)
	if got := call(t, srv, ts, testKey, http.MethodGet, "/v2/pods", nil).status; got != http.StatusOK {
		t.Errorf("after a second: status %d, want 200", got)
	}
}
