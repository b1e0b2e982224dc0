package fakerunner_test

import (
	"context"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

func TestCrashBehaviour(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.fake.SetBehaviour("crashy", fakegithub.BehaviourCrash)
	id, jit := r.jit("pod-crashy-1", "gpu")
	p := runSh(t, install(t), jit)
	code := p.wait(t)
	got := []any{code != 0, strings.Contains(p.stderr.String(), "Unhandled exception"),
		r.state(id), r.fake.Count("broker-session")}
	if diff := cmp.Diff([]any{true, true, "offline", 0}, got); diff != "" {
		t.Errorf("crash (-want +got):\n%s\nstderr:\n%s", diff, p.stderr)
	}
}

func TestNeverOnlineBehaviour(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.fake.SetBehaviour("late", fakegithub.BehaviourNeverOnline)
	id, jit := r.jit("pod-late", "gpu")
	p := runSh(t, install(t), jit)
	waitFor(t, func() bool { return r.fake.Count("broker-config") >= 2 }, "listener to ask for its behaviour")
	// Three more asks, each told to stay offline: the listener keeps waiting
	// rather than going online or giving up.
	asked := r.fake.Count("broker-config")
	waitFor(t, func() bool { return r.fake.Count("broker-config") >= asked+3 }, "listener to ask again")
	got := []any{p.running(), r.state(id), r.fake.Count("broker-session")}
	if diff := cmp.Diff([]any{true, "offline", 0}, got); diff != "" {
		t.Errorf("never-online (-want +got):\n%s", diff)
	}
	r.fake.SetBehaviour("late", fakegithub.BehaviourNormal)
	r.waitState(id, "online")
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("signal: %v", err)
	}
	if code := p.wait(t); code != 0 {
		t.Errorf("exit code after SIGTERM = %d, want 0", code)
	}
}

func TestSIGTERMGoesOffline(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sig  syscall.Signal
	}{
		{name: "SIGTERM", sig: syscall.SIGTERM},
		{name: "SIGINT", sig: syscall.SIGINT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			id, jit := r.jit("pod-term", "gpu")
			p := runSh(t, install(t), jit)
			r.waitState(id, "online")
			if err := p.cmd.Process.Signal(tt.sig); err != nil {
				t.Fatalf("signal: %v", err)
			}
			code := p.wait(t)
			got := []any{code, r.state(id), r.fake.Count("broker-session-delete")}
			if diff := cmp.Diff([]any{0, "offline", 1}, got); diff != "" {
				t.Errorf("after %v (-want +got):\n%s", tt.sig, diff)
			}
		})
	}
}

func TestListenerExits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		act        func(r *rig, id int64)
		wantStderr string
	}{
		{name: "registration deleted", wantStderr: "registration has been deleted",
			act: func(r *rig, id int64) {
				if _, err := r.gh.Actions.RemoveRunner(context.Background(), "acme", "app", id); err != nil {
					r.t.Errorf("remove runner: %v", err)
				}
			}},
		{name: "server lost", wantStderr: "lost connection to the server",
			act: func(r *rig, _ int64) { r.ts.Close() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			id, jit := r.jit("pod-exit", "gpu")
			p := runSh(t, install(t), jit)
			r.waitState(id, "online")
			tt.act(r, id)
			code := p.wait(t)
			if code == 0 || !strings.Contains(p.stderr.String(), tt.wantStderr) {
				t.Errorf("exit code %d, stderr %q; want non-zero and %q", code, p.stderr, tt.wantStderr)
			}
		})
	}
}
