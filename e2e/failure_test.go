package e2e

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// TestRunnerNeverOnline: the pod exists but the runner never comes online within the
// deadline. The step fails with the runner's log tail; after the post step nothing is left.
func TestRunnerNeverOnline(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		w.GitHub.SetBehaviour("gha-"+w.run.ID, fakegithub.BehaviourNeverOnline)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		key, err := remote.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		main, post, err := w.job("start").Start(ctx, map[string]string{"startup-timeout-minutes": "0.5", "ssh-private-key": key.PEM})
		if err != nil {
			t.Fatal(err)
		}
		if main.ExitCode != 1 || !strings.Contains(main.Stdout, "::error title=runpod-runner failed in phase wait-online::") {
			t.Errorf("main step: exit %d, want 1 with an error for phase wait-online\n%s", main.ExitCode, main.Stdout)
		}
		if !strings.Contains(main.Stdout, "Runner log tail:") || !strings.Contains(main.Stdout, "_diag/Runner_") {
			t.Errorf("main step did not print the runner's log tail:\n%s", main.Stdout)
		}
		if api == "rest" && !strings.Contains(main.Stdout, "RunPod's log of pod") {
			t.Errorf("main step did not print the pod's log from RunPod's logs endpoint:\n%s", main.Stdout)
		}
		if main.State["pod-id"] == "" || main.State["runner-id"] == "" {
			t.Errorf("state lacks the pod or runner id: %v", main.State)
		}
		if post.ExitCode != 0 {
			t.Errorf("post step: exit %d\n%s", post.ExitCode, post.Stdout)
		}
		w.checkEmpty(t)
		w.checkNoLeaks(t, map[string]string{"ssh-private-key": key.PEM}, main, post)
	})
}

// TestKilledStartIsCleanedByPost: the main step is killed outright mid-start (no chance to
// clean up); its post step removes the pod and the runner registration from saved state.
func TestKilledStartIsCleanedByPost(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		w.GitHub.SetBehaviour("gha-"+w.run.ID, fakegithub.BehaviourNeverOnline)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		job := w.job("start")
		main, err := job.Main(ctx, "start", nil, sandbox.Step{Signal: syscall.SIGKILL, SignalAfter: 4 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if main.ExitCode != -1 || main.State["pod-id"] == "" || main.State["phase"] == "ready" {
			t.Fatalf("main step: exit %d, state %v; want it killed after the pod existed", main.ExitCode, main.State)
		}
		if len(w.RunPod.Pods()) != 1 {
			t.Fatalf("the killed step left %d pods, want 1 for the post step", len(w.RunPod.Pods()))
		}
		post, err := job.Post(ctx, "start", nil, main.State)
		if err != nil {
			t.Fatal(err)
		}
		if post.ExitCode != 0 || !strings.Contains(post.Stdout, "removing what it made") {
			t.Errorf("post step: exit %d\n%s", post.ExitCode, post.Stdout)
		}
		w.checkEmpty(t)
		w.checkNoLeaks(t, nil, main, post)
	})
}

// TestBadInputCreatesNothing: each bad input gives one ::error:: naming it, exit 1, and not a
// single request to RunPod or GitHub.
func TestBadInputCreatesNothing(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		for _, tc := range []struct {
			name, input, value string
		}{
			{name: "unknown_mode", input: "mode", value: "launch"},
			{name: "gpu_count_zero", input: "gpu-count", value: "0"},
			{name: "bad_env_line", input: "env", value: "GOOD=1\nnot a pair"},
			{name: "unknown_cloud_type", input: "cloud-type", value: "PRIVATE"},
			{name: "missing_key", input: "runpod-api-key", value: ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				job := w.job("bad-" + tc.name)
				res, _, err := job.Start(context.Background(), map[string]string{tc.input: tc.value})
				if err != nil {
					t.Fatal(err)
				}
				errs := errorLines(res.Stdout)
				if res.ExitCode != 1 || len(errs) != 1 || !strings.Contains(errs[0], "title=Invalid input "+tc.input+"::input "+tc.input+":") {
					t.Errorf("exit %d, errors %q; want exit 1 and one error naming %s", res.ExitCode, errs, tc.input)
				}
			})
		}
		if n := len(w.RunPod.Requests()); n != 0 {
			t.Errorf("bad input made %d RunPod requests", n)
		}
		if n := len(w.GitHub.Requests()); n != 0 {
			t.Errorf("bad input made %d GitHub requests", n)
		}
	})
}

func errorLines(stdout string) []string {
	var out []string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(l, "::error") {
			out = append(out, l)
		}
	}
	return out
}
