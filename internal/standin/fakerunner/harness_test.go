package fakerunner_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

const (
	testToken   = "tok-admin"
	waitTimeout = 20 * time.Second
)

// rig is a fakegithub server with a client allowed to manage acme/app runners.
type rig struct {
	t    *testing.T
	fake *fakegithub.Server
	ts   *httptest.Server
	gh   *github.Client
}

// newRig starts a fakegithub server with short timings.
func newRig(t *testing.T) *rig {
	t.Helper()
	fake := fakegithub.New(fakegithub.Options{
		Tokens: map[string]fakegithub.Grant{testToken: {
			Administration: map[string]fakegithub.Access{"acme/app": fakegithub.WriteAccess},
		}},
		Repos:          []string{"acme/app"},
		OfflineAfter:   600 * time.Millisecond,
		ListenerGiveUp: 2 * time.Second,
	})
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	gh := github.NewClient(nil).WithAuthToken(testToken)
	u, err := gh.BaseURL.Parse(ts.URL + "/")
	if err != nil {
		t.Fatalf("parse base URL: %v", err)
	}
	gh.BaseURL = u
	return &rig{t: t, fake: fake, ts: ts, gh: gh}
}

// jit registers a runner through the REST API and returns its ID and
// encoded configuration.
func (r *rig) jit(name string, labels ...string) (int64, string) {
	r.t.Helper()
	cfg, _, err := r.gh.Actions.GenerateRepoJITConfig(context.Background(), "acme", "app",
		&github.GenerateJITConfigRequest{Name: name, RunnerGroupID: 1, Labels: labels})
	if err != nil {
		r.t.Fatalf("generate jitconfig: %v", err)
	}
	return cfg.GetRunner().GetID(), cfg.GetEncodedJITConfig()
}

// state returns "online", "offline" (with "/busy" when busy) or "gone".
func (r *rig) state(id int64) string {
	for _, run := range r.fake.Runners() {
		if run.ID == id {
			if run.Busy {
				return run.Status + "/busy"
			}
			return run.Status
		}
	}
	return "gone"
}

// waitState waits until the runner reaches a state.
func (r *rig) waitState(id int64, want string) {
	r.t.Helper()
	waitFor(r.t, func() bool { return r.state(id) == want }, "runner "+want)
}

// waitFor polls cond until it holds or waitTimeout passes.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// install extracts the test tarball into a fresh directory with tar, as a
// pod would, and returns the runner root.
func install(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("tar"); err != nil {
		t.Skip("tar not available")
	}
	root := t.TempDir()
	cmd := exec.Command("tar", "-xzf", "-", "-C", root)
	cmd.Stdin = bytes.NewReader(artifacts.tarball)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("extract tarball: %v: %s", err, out)
	}
	return root
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// proc is a started runner process.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	done           chan struct{}
	code           int
}

// baseEnv is the test environment without runner variables.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RUNNER_ALLOW_RUNASROOT=") && !strings.HasPrefix(kv, "ACTIONS_RUNNER_INPUT_") {
			env = append(env, kv)
		}
	}
	return env
}

// startProc starts exe in its own process group and kills the group when
// the test ends.
func startProc(t *testing.T, exe string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(exe, args...), stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd.Env = append(baseEnv(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	go func() {
		_ = p.cmd.Wait()
		p.code = p.cmd.ProcessState.ExitCode()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	})
	return p
}

// wait waits for the process to exit and returns its exit code.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
		return p.code
	case <-time.After(waitTimeout):
		t.Fatalf("process still running after %v; stdout:\n%s\nstderr:\n%s", waitTimeout, p.stdout, p.stderr)
		return -1
	}
}

// running reports whether the process has not exited.
func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// runSh starts <root>/run.sh allowed to run as root with the
// configuration in the environment.
func runSh(t *testing.T, root, jit string) *proc {
	t.Helper()
	return startProc(t, filepath.Join(root, "run.sh"),
		[]string{"RUNNER_ALLOW_RUNASROOT=1", "ACTIONS_RUNNER_INPUT_JITCONFIG=" + jit})
}
