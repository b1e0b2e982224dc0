package fakerunpod

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRESTLifecycle(t *testing.T) {
	t.Parallel()
	host := &restHost{hold: make(chan struct{})}
	srv, ts := newRESTServer(t, Options{Host: host, BootDelay: 200 * time.Millisecond})
	get := func() map[string]any {
		resp := call(t, srv, ts, testKey, http.MethodGet, "/v2/pods/"+srv.Pods()[0].ID, nil)
		if resp.status != http.StatusOK {
			t.Fatalf("get: status %d, body %s", resp.status, resp.body)
		}
		return resp.json(t)
	}
	resp := call(t, srv, ts, testKey, http.MethodPost, "/v2/pods", with(createBody(), map[string]any{
		"ports": []any{"22/tcp", "8888/http"}, "dataCenterIds": []any{"US-TX-3"},
		"mounts": map[string]any{"persistent": map[string]any{"size": 20, "path": "/workspace"}},
	}))
	created := resp.json(t)
	id, _ := created["id"].(string)
	proxyUser, _ := at(created, "ssh", "proxy", "username").(string)
	want := map[string]any{
		"id": id, "name": "gha-repo-1-1", "image": "runpod/base:0.6.2", "args": "", "disk": 20.0,
		"ports": []any{"22/tcp", "8888/http"}, "env": map[string]any{"PUBLIC_KEY": "ssh-ed25519 AAAA test"},
		"registry": nil, "status": "PROVISIONING", "actions": []any{"stop", "terminate"},
		"mounts": map[string]any{"persistent": map[string]any{"size": 20.0, "path": "/workspace"}},
		"gpu":    map[string]any{"id": "NVIDIA GeForce RTX 4090", "count": 1.0},
		"cloud":  "SECURE", "dataCenterId": "US-TX-3", "cudaVersion": "12.8",
		"ssh": map[string]any{"direct": nil, "proxy": map[string]any{
			"host": "ssh.runpod.io", "port": 22.0, "username": proxyUser, "command": "ssh " + proxyUser + "@ssh.runpod.io"}},
		"template": nil, "cost": 0.69, "locked": false, "globalNetworking": map[string]any{"enabled": false},
		"runtime": nil, "createdAt": created["createdAt"], "startedAt": nil,
	}
	if resp.status != http.StatusCreated {
		t.Errorf("create: status %d, want 201", resp.status)
	}
	if diff := cmp.Diff(want, created); diff != "" {
		t.Errorf("created pod mismatch (-want +got):\n%s", diff)
	}
	if !regexp.MustCompile(`^` + id + `-[0-9a-f]{8}$`).MatchString(proxyUser) {
		t.Errorf("proxy username %q, want %s-<8 hex>", proxyUser, id)
	}
	if _, err := time.Parse(time.RFC3339, created["createdAt"].(string)); err != nil {
		t.Errorf("createdAt: %v", err)
	}

	waitFor(t, 5*time.Second, "STARTING", func() bool { return get()["status"] == "STARTING" })
	gql := getPod(t, ts.URL, id)
	if at(gql, "desiredStatus") != "RUNNING" || at(gql, "runtime") != nil || at(gql, "env", 0) != "PUBLIC_KEY=ssh-ed25519 AAAA test" {
		t.Errorf("GraphQL sees %v, want RUNNING, runtime null, env [PUBLIC_KEY=…]", gql)
	}
	host.hold <- struct{}{}
	var pod map[string]any
	waitFor(t, 5*time.Second, "RUNNING", func() bool { pod = get(); return pod["status"] == "RUNNING" })
	wantDirect := map[string]any{"host": "203.0.113.7", "port": 30001.0, "username": "root", "command": "ssh root@203.0.113.7 -p 30001"}
	if diff := cmp.Diff(wantDirect, at(pod, "ssh", "direct")); diff != "" {
		t.Errorf("ssh.direct mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{"stop", "restart", "terminate"}, pod["actions"]); diff != "" {
		t.Errorf("actions mismatch (-want +got):\n%s", diff)
	}
	if pod["startedAt"] == nil || at(pod, "runtime", "ports", 0, "public") != 30001.0 {
		t.Errorf("running pod: startedAt %v, runtime %v", pod["startedAt"], pod["runtime"])
	}
	if gql := getPod(t, ts.URL, id); sshPort(gql) != 30001 {
		t.Errorf("GraphQL ssh port %d, want 30001", sshPort(gql))
	}
	env := host.Starts()[0]
	wantEnv := map[string]string{"PUBLIC_KEY": "ssh-ed25519 AAAA test", "RUNPOD_POD_ID": id, "RUNPOD_GPU_COUNT": "1", "RUNPOD_API_KEY": srv.Pods()[0].APIKey}
	if diff := cmp.Diff(wantEnv, env); diff != "" {
		t.Errorf("container env mismatch (-want +got):\n%s", diff)
	}

	stopped := call(t, srv, ts, testKey, http.MethodPost, "/v2/pods/"+id+"/action", map[string]any{"action": "stop"}).json(t)
	wantStopped := map[string]any{"status": "EXITED", "actions": []any{"start", "terminate"}, "direct": nil, "runtime": nil, "cost": 0.0}
	gotStopped := map[string]any{"status": stopped["status"], "actions": stopped["actions"], "direct": at(stopped, "ssh", "direct"),
		"runtime": stopped["runtime"], "cost": stopped["cost"]}
	if diff := cmp.Diff(wantStopped, gotStopped); diff != "" {
		t.Errorf("stopped pod mismatch (-want +got):\n%s", diff)
	}
	started := call(t, srv, ts, testKey, http.MethodPost, "/v2/pods/"+id+"/action", map[string]any{"action": "start"}).json(t)
	if started["status"] != "STARTING" {
		t.Errorf("start: status %v, want STARTING", started["status"])
	}
	host.hold <- struct{}{}
	waitFor(t, 5*time.Second, "RUNNING again", func() bool { pod = get(); return pod["status"] == "RUNNING" })
	if got := at(pod, "ssh", "direct", "port"); got != 30002.0 {
		t.Errorf("ssh.direct.port after start = %v, want the new port 30002", got)
	}

	resp = call(t, srv, ts, testKey, http.MethodPost, "/v2/pods/"+id+"/action", map[string]any{"action": "terminate"})
	if resp.status != http.StatusNoContent || resp.body != "" {
		t.Errorf("terminate: status %d, body %q; want 204 and none", resp.status, resp.body)
	}
	for _, method := range []string{http.MethodGet, http.MethodDelete} {
		if got := call(t, srv, ts, testKey, method, "/v2/pods/"+id, nil); got.status != http.StatusNotFound {
			t.Errorf("%s after terminate: status %d, want 404", method, got.status)
		}
	}
	if got := getPod(t, ts.URL, id); got != nil {
		t.Errorf("GraphQL pod after terminate = %v, want null", got)
	}
	if diff := cmp.Diff(`{"pods":[]}`, call(t, srv, ts, testKey, http.MethodGet, "/v2/pods", nil).body); diff != "" {
		t.Errorf("list after terminate mismatch (-want +got):\n%s", diff)
	}
}
