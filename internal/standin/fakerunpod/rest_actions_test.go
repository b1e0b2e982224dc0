package fakerunpod

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRESTActions(t *testing.T) {
	t.Parallel()
	conflict := problemOf{ContentType: "application/problem+json", Status: 409, Detail: MsgActionNotValid}
	tests := []struct {
		name       string
		bootDelay  time.Duration
		before     []string // actions applied first, each awaited to its settled status
		lock       bool
		action     string
		wantStatus int
		wantPod    string     // the pod's status in a 200 answer
		want       *problemOf // the problem otherwise
	}{
		{name: "start a running pod", action: "start", want: &conflict},
		{name: "restart a stopped pod", before: []string{"stop"}, action: "restart", want: &conflict},
		{name: "stop a stopped pod", before: []string{"stop"}, action: "stop", want: &conflict},
		{name: "start a provisioning pod", bootDelay: time.Hour, action: "start", want: &conflict},
		{name: "stop a provisioning pod", bootDelay: time.Hour, action: "stop", wantStatus: 200, wantPod: "EXITED"},
		{name: "restart a running pod", action: "restart", wantStatus: 200, wantPod: "STARTING"},
		{name: "start a stopped pod", before: []string{"stop"}, action: "start", wantStatus: 200, wantPod: "STARTING"},
		{name: "stop a locked pod", lock: true, action: "stop", want: &conflict},
		{name: "terminate a locked pod", lock: true, action: "terminate", wantStatus: 204},
		{name: "terminate a stopped pod", before: []string{"stop"}, action: "terminate", wantStatus: 204},
	}
	type server struct {
		srv *Server
		ts  *httptest.Server
	}
	servers := map[time.Duration]server{}
	for _, tc := range tests {
		if _, ok := servers[tc.bootDelay]; !ok {
			srv, ts := newRESTServer(t, Options{BootDelay: tc.bootDelay})
			servers[tc.bootDelay] = server{srv, ts}
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, ts := servers[tc.bootDelay].srv, servers[tc.bootDelay].ts
			id := createREST(t, srv, ts, createBody())
			act := func(action string) restResponse {
				return call(t, srv, ts, testKey, http.MethodPost, "/v2/pods/"+id+"/action", map[string]any{"action": action})
			}
			if tc.bootDelay == 0 {
				waitForREST(t, srv, ts, id, "RUNNING")
			}
			for _, a := range tc.before {
				if resp := act(a); resp.status != http.StatusOK {
					t.Fatalf("%s: status %d, body %s", a, resp.status, resp.body)
				}
			}
			if tc.lock {
				call(t, srv, ts, testKey, http.MethodPatch, "/v2/pods/"+id, map[string]any{"locked": true})
			}
			resp := act(tc.action)
			if tc.want != nil {
				if diff := cmp.Diff(*tc.want, readProblem(t, resp)); diff != "" {
					t.Errorf("problem mismatch (-want +got):\n%s", diff)
				}
				return
			}
			if resp.status != tc.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", resp.status, tc.wantStatus, resp.body)
			}
			if got, _ := resp.json(t)["status"].(string); got != tc.wantPod {
				t.Errorf("pod status = %q, want %q", got, tc.wantPod)
			}
		})
	}
}

func TestRESTRestartMovesThePort(t *testing.T) {
	t.Parallel()
	host := &restHost{}
	srv, ts := newRESTServer(t, Options{Host: host})
	id := createREST(t, srv, ts, createBody())
	waitForREST(t, srv, ts, id, "RUNNING")
	call(t, srv, ts, testKey, http.MethodPost, "/v2/pods/"+id+"/action", map[string]any{"action": "restart"})
	pod := waitForREST(t, srv, ts, id, "RUNNING")
	if got := at(pod, "ssh", "direct", "port"); got != 30002.0 {
		t.Errorf("ssh.direct.port after restart = %v, want 30002", got)
	}
	if n := len(host.Starts()); n != 2 {
		t.Errorf("%d starts, want 2", n)
	}
}
