package fakerunpod

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sshPort returns the public port of 22/tcp in a GetPod answer, or 0.
func sshPort(pod any) int {
	ports, _ := at(pod, "runtime", "ports").([]any)
	for _, p := range ports {
		if at(p, "privatePort") == 22.0 && at(p, "isIpPublic") == true && at(p, "type") == "tcp" {
			return int(at(p, "publicPort").(float64))
		}
	}
	return 0
}

func TestPodLifecycle(t *testing.T) {
	t.Parallel()
	host := &recordingHost{}
	clock := newTestClock()
	srv, ts := newServer(t, Options{Host: host, BootDelay: 500 * time.Millisecond, Clock: clock})
	in := createInput()
	in["ports"] = "22/tcp,8888/http"
	in["gpuCount"] = 2
	resp := post(t, ts.URL, testKey, createDoc, input(in))
	created := at(decode(t, resp.body), "data", "podFindAndDeployOnDemand")
	id, _ := at(created, "id").(string)
	if len(id) != 14 || strings.ToLower(id) != id {
		t.Fatalf("pod id %q: want 14 lowercase characters", id)
	}
	wantCreated := map[string]any{
		"id": id, "name": "gha-repo-1-1", "desiredStatus": "RUNNING", "imageName": "runpod/base:0.6.2",
		"costPerHr": 1.38, "gpuCount": 2.0, "lastStatusChange": at(created, "lastStatusChange"),
		"machineId": at(created, "machineId"), "env": []any{"PUBLIC_KEY=ssh-ed25519 AAAA test"},
		"machine": map[string]any{"podHostId": at(created, "machine", "podHostId"), "gpuDisplayName": "RTX 4090", "location": "RO"},
	}
	if diff := cmp.Diff(wantCreated, created); diff != "" {
		t.Errorf("create answer mismatch (-want +got):\n%s", diff)
	}
	if h, _ := at(created, "machine", "podHostId").(string); !strings.HasPrefix(h, id+"-") || len(h) != len(id)+9 {
		t.Errorf("podHostId = %q, want %s-<8 hex>", h, id)
	}

	if rt := at(getPod(t, ts.URL, id), "runtime"); rt != nil {
		t.Errorf("runtime right after create = %v, want null", rt)
	}
	clock.Advance(499 * time.Millisecond)
	if rt := at(getPod(t, ts.URL, id), "runtime"); rt != nil {
		t.Errorf("runtime before the boot delay = %v, want null", rt)
	}
	clock.Advance(time.Millisecond)
	pod := getPod(t, ts.URL, id)
	wantPorts := []any{
		map[string]any{"ip": "203.0.113.7", "isIpPublic": true, "privatePort": 22.0, "publicPort": 30001.0, "type": "tcp"},
		map[string]any{"ip": at(pod, "runtime", "ports", 1, "ip"), "isIpPublic": false, "privatePort": 8888.0,
			"publicPort": at(pod, "runtime", "ports", 1, "publicPort"), "type": "http"},
	}
	if diff := cmp.Diff(wantPorts, at(pod, "runtime", "ports")); diff != "" {
		t.Errorf("runtime ports mismatch (-want +got):\n%s", diff)
	}
	if ip, _ := at(pod, "runtime", "ports", 1, "ip").(string); !strings.HasPrefix(ip, "100.65.") {
		t.Errorf("http port ip = %q, want 100.65.x.x", ip)
	}
	if gpus, _ := at(pod, "runtime", "gpus").([]any); len(gpus) != 2 {
		t.Errorf("runtime.gpus = %v, want 2 entries", gpus)
	}

	stopped := at(decode(t, post(t, ts.URL, testKey, stopDoc, podInput(id)).body), "data", "podStop")
	if got := at(stopped, "desiredStatus"); got != "EXITED" {
		t.Errorf("stop: desiredStatus = %v, want EXITED", got)
	}
	if rt := at(getPod(t, ts.URL, id), "runtime"); rt != nil {
		t.Errorf("runtime after stop = %v, want null", rt)
	}
	resumed := at(decode(t, post(t, ts.URL, testKey, resumeDoc, podInput(id)).body), "data", "podResume")
	if got := at(resumed, "desiredStatus"); got != "RUNNING" {
		t.Errorf("resume: desiredStatus = %v, want RUNNING", got)
	}
	if rt := at(getPod(t, ts.URL, id), "runtime"); rt != nil {
		t.Errorf("runtime right after resume = %v, want null", rt)
	}
	clock.Advance(500 * time.Millisecond)
	pod = getPod(t, ts.URL, id)
	if got := sshPort(pod); got != 30002 {
		t.Errorf("ssh port after resume = %d, want the host's new port 30002", got)
	}

	resp = post(t, ts.URL, testKey, termDoc, podInput(id))
	if diff := cmp.Diff(`{"data":{"podTerminate":null}}`, resp.body); diff != "" {
		t.Errorf("terminate answer mismatch (-want +got):\n%s", diff)
	}
	if got := getPod(t, ts.URL, id); got != nil {
		t.Errorf("pod after terminate = %v, want null", got)
	}
	if got := post(t, ts.URL, testKey, listDoc, nil).body; got != `{"data":{"myself":{"id":"user_fakerunpod","pods":[]}}}` {
		t.Errorf("pods after terminate: %s", got)
	}
	resp = post(t, ts.URL, testKey, termDoc, podInput(id))
	want := `{"errors":[{"message":"pod not found to terminate","path":["podTerminate"]}],"data":{"podTerminate":null}}`
	if diff := cmp.Diff(want, resp.body); diff != "" {
		t.Errorf("second terminate mismatch (-want +got):\n%s", diff)
	}

	key := "ssh-ed25519 AAAA test"
	wantCalls := []string{"start " + id + " " + key, "stop " + id, "start " + id + " " + key, "stop " + id, "remove " + id}
	if diff := cmp.Diff(wantCalls, host.Calls()); diff != "" {
		t.Errorf("host calls mismatch (-want +got):\n%s", diff)
	}
	if n := len(srv.Pods()); n != 0 {
		t.Errorf("%d pods left, want 0", n)
	}
}

func TestPortsAppearAfterPortsDelay(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	_, ts := newServer(t, Options{PortsDelay: 300 * time.Millisecond, Clock: clock})
	id := createPod(t, ts.URL, createInput())
	clock.Advance(299 * time.Millisecond) // boots at once, ports 1 ms short
	pod := getPod(t, ts.URL, id)
	if ports, _ := at(pod, "runtime", "ports").([]any); at(pod, "runtime") == nil || len(ports) != 0 {
		t.Errorf("runtime before the ports delay = %v, want no ports", at(pod, "runtime"))
	}
	clock.Advance(time.Millisecond)
	if got := sshPort(getPod(t, ts.URL, id)); got != firstNoopPort {
		t.Errorf("ssh port after the ports delay = %d, want %d", got, firstNoopPort)
	}
}

func TestUnknownPodIsNull(t *testing.T) {
	t.Parallel()
	_, ts := newServer(t, Options{})
	resp := post(t, ts.URL, testKey, getPodDoc, podInput("nosuchpod00000"))
	if diff := cmp.Diff(`{"data":{"pod":null}}`, resp.body); diff != "" {
		t.Errorf("body mismatch (-want +got):\n%s", diff)
	}
}

func TestStuckPodsNeverBoot(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		stick func(srv *Server, podID string)
	}{
		{name: "gpu type", stick: func(srv *Server, _ string) { srv.SetGPUTypeStuck("NVIDIA GeForce RTX 4090", true) }},
		{name: "pod", stick: func(srv *Server, id string) { srv.SetPodStuck(id, true) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			host := &recordingHost{}
			clock := newTestClock()
			srv, ts := newServer(t, Options{Host: host, BootDelay: 30 * time.Millisecond, Clock: clock})
			id := createPod(t, ts.URL, createInput())
			clock.Advance(30 * time.Millisecond)
			post(t, ts.URL, testKey, stopDoc, podInput(id))
			tc.stick(srv, id)
			post(t, ts.URL, testKey, resumeDoc, podInput(id))
			clock.Advance(time.Hour) // the boot comes due and is skipped
			pod := getPod(t, ts.URL, id)
			if at(pod, "desiredStatus") != "RUNNING" || at(pod, "runtime") != nil {
				t.Errorf("pod = %v, want RUNNING with runtime null", pod)
			}
			if diff := cmp.Diff([]string{"start " + id + " ssh-ed25519 AAAA test", "stop " + id}, host.Calls()); diff != "" {
				t.Errorf("host calls mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHostStartFailureLeavesPodStuck(t *testing.T) {
	t.Parallel()
	host := &recordingHost{startErr: errors.New("no sshd")}
	srv, ts := newServer(t, Options{Host: host})
	id := createPod(t, ts.URL, createInput())
	waitFor(t, 5*time.Second, "the host error", func() bool { return len(srv.Pods()) == 1 && srv.Pods()[0].HostErr != "" })
	if got := srv.Pods()[0].HostErr; got != "start: no sshd" {
		t.Errorf("HostErr = %q, want %q", got, "start: no sshd")
	}
	if rt := at(getPod(t, ts.URL, id), "runtime"); rt != nil {
		t.Errorf("runtime = %v, want null", rt)
	}
}

func TestDeadlines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		field     string
		wantCalls func(id string) []string
		wantPods  int
	}{
		{name: "terminateAfter", field: "terminateAfter", wantPods: 0,
			wantCalls: func(id string) []string {
				return []string{"start " + id + " ssh-ed25519 AAAA test", "stop " + id, "remove " + id}
			}},
		{name: "stopAfter", field: "stopAfter", wantPods: 1,
			wantCalls: func(id string) []string { return []string{"start " + id + " ssh-ed25519 AAAA test", "stop " + id} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			host := &recordingHost{}
			clock := newTestClock()
			srv, ts := newServer(t, Options{Host: host, Clock: clock})
			in := createInput()
			in[tc.field] = clock.Now().Add(time.Hour).UTC().Format(time.RFC3339Nano)
			id := createPod(t, ts.URL, in)
			clock.Advance(time.Hour - time.Millisecond)
			if diff := cmp.Diff(tc.wantCalls(id)[:1], host.Calls()); diff != "" {
				t.Errorf("host calls before the %s (-want +got):\n%s", tc.field, diff)
			}
			clock.Advance(time.Millisecond)
			if diff := cmp.Diff(tc.wantCalls(id), host.Calls()); diff != "" {
				t.Errorf("host calls mismatch (-want +got):\n%s", diff)
			}
			if got := len(srv.Pods()); got != tc.wantPods {
				t.Errorf("%d pods, want %d", got, tc.wantPods)
			}
		})
	}
}
