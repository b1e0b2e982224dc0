package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// TestRunnerPastSupportWindowFailsBeforeAPod: a pinned runner-version older than a release
// published more than 30 days ago gets no jobs from GitHub
// (https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/autoscaling-with-self-hosted-runners#controlling-runner-software-updates-on-self-hosted-runners);
// the start fails naming the input, the version and the oldest accepted, with no pod.
func TestRunnerPastSupportWindowFailsBeforeAPod(t *testing.T) {
	t.Parallel()
	opts := sandbox.Options{}
	opts.GitHub.RunnerReleases = []fakegithub.Release{{Version: sandbox.RunnerVersion, Published: time.Now().AddDate(0, 0, -40)},
		{Version: "2.337.0", Published: time.Now().AddDate(0, 0, -70)}}
	w := newWorld(t, "rest", opts)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	main, post, err := w.job("start").Start(ctx, map[string]string{"runner-version": "2.337.0"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"::error title=Invalid input runner-version::", "runner 2.337.0 is past GitHub's support window",
		"the oldest version accepted now is " + sandbox.RunnerVersion} {
		if main.ExitCode != 1 || !strings.Contains(main.Stdout, want) {
			t.Errorf("start: exit %d, want 1 with %q\n%s", main.ExitCode, want, main.Stdout)
		}
	}
	if n := w.RunPod.Counts()["createPod"]; n != 0 {
		t.Errorf("the start asked RunPod for %d pod(s), want none", n)
	}
	if post.ExitCode != 0 {
		t.Errorf("post step: exit %d\n%s", post.ExitCode, post.Stdout)
	}
	w.checkEmpty(t)
}
