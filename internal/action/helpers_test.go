package action

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/retry"
	"github.com/runpod-runner/runpod-runner/internal/workflow"
)

// harness is one step's world: fakes, workflow files and stdout.
type harness struct {
	pods    *fakePods
	runners *fakeRunners
	shell   *fakeShell
	dialer  *fakeDialer
	out     bytes.Buffer
	files   map[string]string
	env     map[string]string
}

func newHarness(t *testing.T, inputs map[string]string) *harness {
	t.Helper()
	dir := t.TempDir()
	h := &harness{pods: newFakePods(), runners: newFakeRunners(), shell: newFakeShell()}
	h.dialer = &fakeDialer{shell: h.shell}
	h.files = map[string]string{
		"GITHUB_OUTPUT": filepath.Join(dir, "output"), "GITHUB_STATE": filepath.Join(dir, "state"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
	}
	h.env = map[string]string{
		"INPUT_RUNPOD-API-KEY": "rpa_key", "INPUT_GITHUB-TOKEN": "ghp_token", "INPUT_GPU-TYPES": "NVIDIA A40",
		"INPUT_STARTUP-TIMEOUT-MINUTES": "1", "GITHUB_REPOSITORY": "octo/repo", "GITHUB_RUN_ID": "77", "GITHUB_RUN_ATTEMPT": "1",
	}
	for k, v := range h.files {
		h.env[k] = v
	}
	for k, v := range inputs {
		h.env["INPUT_"+strings.ToUpper(k)] = v
	}
	return h
}

func (h *harness) getenv(k string) string { return h.env[k] }

func (h *harness) config(t *testing.T, isPost bool) *config.Config {
	t.Helper()
	cfg, err := config.Load(h.getenv, isPost)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func (h *harness) deps() Deps {
	return Deps{
		Pods: h.pods, Runners: h.runners, SSH: h.dialer, WF: workflow.New(h.getenv, &h.out),
		Now: time.Now, Random: func(b []byte) (int, error) { return copy(b, "abcdefgh"), nil },
		CleanupTimeout: 5 * time.Second, Timing: fastTiming,
	}
}

// fastTiming paces the flows in milliseconds: the fakes answer at once, and a capacity sweep
// gives up after three rounds instead of at the phase's deadline.
var fastTiming = Timing{
	CapacitySweep: retry.Policy{Initial: 5 * time.Millisecond, Max: 20 * time.Millisecond, MaxAttempts: 3},
	CreateRetry:   retry.Policy{Initial: 5 * time.Millisecond, Max: 20 * time.Millisecond, MaxAttempts: 4},
	BusyRunner:    retry.Policy{Initial: 5 * time.Millisecond, Max: 20 * time.Millisecond},
	ReadyPoll:     retry.Interval{Initial: 5 * time.Millisecond, Max: 20 * time.Millisecond, Near: 5 * time.Millisecond},
	OnlinePoll:    retry.Interval{Initial: 5 * time.Millisecond, Max: 20 * time.Millisecond, Near: 5 * time.Millisecond},
	CancelGrace:   time.Second,
}

var reHeredoc = regexp.MustCompile(`(?m)^([^\n<]+)<<(ghadelimiter_[0-9a-f]+)\n((?s:.*?))\n(ghadelimiter_[0-9a-f]+)$`)

// fileCommands parses an output or state file the way the runner does; later values win.
func fileCommands(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range reHeredoc.FindAllStringSubmatch(string(b), -1) {
		if m[2] != m[4] {
			t.Fatalf("mismatched delimiters in %s", path)
		}
		out[m[1]] = m[3]
	}
	return out
}

// carryState makes the main step's saved state visible to a post step, as the runner does.
func (h *harness) carryState(t *testing.T) {
	t.Helper()
	for k, v := range fileCommands(t, h.files["GITHUB_STATE"]) {
		h.env["STATE_"+k] = v
	}
}

func (h *harness) summary(t *testing.T) string {
	t.Helper()
	b, _ := os.ReadFile(h.files["GITHUB_STEP_SUMMARY"])
	return string(b)
}
