package fakerunner_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRunnerTakesOneJob(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		viaArg     bool
		script     string
		wantResult string
		wantCode   int
		wantOutput string
	}{
		{name: "env config, job succeeds", wantResult: "Succeeded", wantCode: 0,
			script:     `echo "hello from $RUNNER_NAME"; test -z "${ACTIONS_RUNNER_INPUT_JITCONFIG:-}"; echo "in $(pwd)"`,
			wantOutput: "hello from pod-1\nin {dir}\n"},
		{name: "arg config, job fails", viaArg: true, wantResult: "Failed", wantCode: 3,
			script: "echo before; (exit 3); echo after", wantOutput: "before\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			id, jit := r.jit("pod-1", "gpu", "runpod")
			root := install(t)
			env := []string{"RUNNER_ALLOW_RUNASROOT=1", "ACTIONS_RUNNER_INPUT_JITCONFIG=" + jit}
			var args []string
			if tt.viaArg {
				env, args = env[:1], []string{"--jitconfig", jit}
			}
			p := startProc(t, filepath.Join(root, "run.sh"), env, args...)
			r.waitState(id, "online")
			jobID := r.fake.QueueJob([]string{"gpu"}, tt.script)
			ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
			defer cancel()
			st, err := r.fake.WaitJob(ctx, jobID)
			if err != nil {
				t.Fatalf("wait job: %v; stdout:\n%s\nstderr:\n%s", err, p.stdout, p.stderr)
			}
			dir := filepath.Join(root, "_work", fmt.Sprint(jobID))
			want := []any{tt.wantResult, tt.wantCode, strings.ReplaceAll(tt.wantOutput, "{dir}", dir), id}
			if diff := cmp.Diff(want, []any{st.Result, st.ExitCode, st.Output, st.RunnerID}); diff != "" {
				t.Errorf("job (-want +got):\n%s", diff)
			}
			if code := p.wait(t); code != 0 {
				t.Errorf("exit code = %d, want 0; stderr:\n%s", code, p.stderr)
			}
			if got := r.state(id); got != "gone" {
				t.Errorf("registration after the job: %s, want gone", got)
			}
			checkConsole(t, p.stdout.String(), jobID, tt.wantResult)
			checkFiles(t, root, dir)
		})
	}
}

// checkConsole compares the listener's console output with the real
// runner's lines.
func checkConsole(t *testing.T, stdout string, jobID int64, result string) {
	t.Helper()
	stamp := regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ: `)
	got := strings.Split(strings.TrimSpace(stamp.ReplaceAllString(stdout, "<time>: ")), "\n")
	want := []string{
		"√ Connected to GitHub", "", "Current runner version: '2.336.0'", "<time>: Listening for Jobs",
		fmt.Sprintf("<time>: Running job: %d", jobID),
		fmt.Sprintf("<time>: Job %d completed with result: %s", jobID, result),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("console (-want +got):\n%s", diff)
	}
}

// checkFiles checks that the configuration is gone and the diag log and
// the work directory exist.
func checkFiles(t *testing.T, root, workDir string) {
	t.Helper()
	for _, name := range []string{".runner", ".credentials", ".credentials_rsaparams"} {
		if _, err := os.Stat(filepath.Join(root, name)); !os.IsNotExist(err) {
			t.Errorf("%s still present (err %v)", name, err)
		}
	}
	logs, err := filepath.Glob(filepath.Join(root, "_diag", "Runner_*-utc.log"))
	if err != nil || len(logs) != 1 {
		t.Errorf("diag logs = %v (%v), want one", logs, err)
	}
	if fi, err := os.Stat(workDir); err != nil || !fi.IsDir() {
		t.Errorf("work dir %s: %v", workDir, err)
	}
}

func TestRootRefusal(t *testing.T) {
	t.Parallel()
	if os.Getuid() != 0 {
		t.Skip("needs to run as root")
	}
	tests := []struct {
		name string
		exe  string
	}{
		{name: "run.sh", exe: "run.sh"},
		{name: "listener", exe: "bin/Runner.Listener"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			id, jit := r.jit("pod-root", "gpu")
			root := install(t)
			p := startProc(t, filepath.Join(root, tt.exe), []string{"ACTIONS_RUNNER_INPUT_JITCONFIG=" + jit})
			got := []any{p.wait(t), p.stdout.String(), r.state(id), r.fake.Count("broker-config")}
			if diff := cmp.Diff([]any{1, "Must not run with sudo\n", "offline", 0}, got); diff != "" {
				t.Errorf("refusal (-want +got):\n%s", diff)
			}
			if _, err := os.Stat(filepath.Join(root, ".runner")); !os.IsNotExist(err) {
				t.Errorf(".runner written despite the refusal (err %v)", err)
			}
		})
	}
}

func TestSignalDuringJobCancelsIt(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	id, jit := r.jit("pod-cancel", "gpu")
	p := runSh(t, install(t), jit)
	r.waitState(id, "online")
	jobID := r.fake.QueueJob(nil, "echo started; sleep 60")
	waitFor(t, func() bool { st, _ := r.fake.Job(jobID); return st.Status == "in_progress" }, "job start")
	waitFor(t, func() bool { return strings.Contains(p.stdout.String(), "Running job") }, "job output")
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("signal: %v", err)
	}
	code := p.wait(t)
	st, _ := r.fake.Job(jobID)
	got := []any{code, st.Status, st.Result, r.state(id)}
	if diff := cmp.Diff([]any{0, "completed", "Canceled", "gone"}, got); diff != "" {
		t.Errorf("cancel (-want +got):\n%s", diff)
	}
}
