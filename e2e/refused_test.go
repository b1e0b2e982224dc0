package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// TestRestrictedRunnerGroupFailsBeforeAPod: an organization runner group restricted to other
// workflows would register the runner and never give it this job
// (https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/managing-access-to-self-hosted-runners-using-groups);
// the start fails in the jit phase naming the group and the reason, with no pod and no runner.
func TestRestrictedRunnerGroupFailsBeforeAPod(t *testing.T) {
	t.Parallel()
	org, _, _ := strings.Cut(sandbox.Repository, "/")
	forEachAPI(t, func(t *testing.T, api string) {
		opts := sandbox.Options{}
		opts.GitHub.Tokens = map[string]fakegithub.Grant{sandbox.GitHubToken: {
			Administration:    map[string]fakegithub.Access{sandbox.Repository: fakegithub.WriteAccess},
			SelfHostedRunners: map[string]fakegithub.Access{org: fakegithub.WriteAccess}}}
		opts.GitHub.Orgs = map[string][]fakegithub.RunnerGroup{org: {
			{ID: 1, Name: "Default", Default: true},
			{ID: 9, Name: "release gpus", RestrictedToWorkflows: true,
				SelectedWorkflows: []string{sandbox.Repository + "/.github/workflows/release.yml@refs/heads/main"}},
		}}
		w := newWorld(t, api, opts)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		main, post, err := w.job("start").Start(ctx, map[string]string{"organization": org, "runner-group": "release gpus"})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"::error title=runpod-runner failed in phase jit::", `runner group "release gpus" (id 9)`,
			"takes jobs only of the workflows", "/.github/workflows/" + sandbox.WorkflowFile + "@refs/heads/main"} {
			if main.ExitCode != 1 || !strings.Contains(main.Stdout, want) {
				t.Errorf("start: exit %d, want 1 with %q\n%s", main.ExitCode, want, main.Stdout)
			}
		}
		counts := w.RunPod.Counts()
		if n := counts["createPod"] + counts["podFindAndDeployOnDemand"] + counts["podRentInterruptable"]; n != 0 {
			t.Errorf("the start asked RunPod for %d pod(s), want none", n)
		}
		if n := w.GitHub.Count("generate-jitconfig"); n != 0 {
			t.Errorf("the start registered %d runner(s), want none", n)
		}
		if post.ExitCode != 0 {
			t.Errorf("post step: exit %d\n%s", post.ExitCode, post.Stdout)
		}
		w.checkEmpty(t)
		w.checkNoLeaks(t, nil, main, post)
	})
}

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
