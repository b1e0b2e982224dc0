package registration

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/retry"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

const (
	wfMain = "lab/app/.github/workflows/gpu.yml@refs/heads/main"
	wfSHA  = "d6dc6c96df4f32fa27b039f2084f576ed2c5c2a5"
)

// accessStandIn is organization lab with a private, a public and an internal repository and
// groups that differ in who may use them.
func accessStandIn(t *testing.T) *fakegithub.Server {
	t.Helper()
	return fakegithub.New(fakegithub.Options{
		Tokens:     map[string]fakegithub.Grant{orgTok: {SelfHostedRunners: map[string]fakegithub.Access{"lab": fakegithub.WriteAccess}}},
		Repos:      []string{"lab/app", "lab/site", "lab/tools", "other/app"},
		Visibility: map[string]string{"lab/site": "public", "lab/tools": "internal"},
		Orgs: map[string][]fakegithub.RunnerGroup{"lab": {
			{ID: 1, Name: "Default", Default: true},
			{ID: 2, Name: "open", AllowsPublicRepositories: true},
			{ID: 3, Name: "chosen", Visibility: "selected", SelectedRepositories: []string{"lab/tools"}},
			{ID: 4, Name: "private", Visibility: "private", AllowsPublicRepositories: true},
			{ID: 5, Name: "release", RestrictedToWorkflows: true, SelectedWorkflows: []string{
				"lab/app/.github/workflows/release.yml@refs/heads/main", "lab/app/.github/workflows/gpu.yml@v2"}},
			{ID: 6, Name: "gpu", RestrictedToWorkflows: true, SelectedWorkflows: []string{"lab/app/.github/workflows/gpu.yml@main"}},
		}},
	})
}

func TestGroupsThatCannotTakeTheJob(t *testing.T) {
	t.Parallel()
	srv := accessStandIn(t)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	tests := []struct {
		name, repo, group, workflow string
		want                        int64
		wantErr                     string // "" for none
	}{
		{name: "default group, private repository", repo: "lab/app", want: 1},
		{name: "default group refuses a public repository", repo: "lab/site",
			wantErr: `runner group "Default" (id 1) of organization lab cannot take this job: lab/site is public and the group allows private repositories only`},
		{name: "a group that allows public repositories", repo: "lab/site", group: "open", want: 2},
		{name: "internal repository is not public", repo: "lab/tools", group: "chosen", want: 3},
		{name: "selected repositories leave this one out", repo: "lab/app", group: "chosen",
			wantErr: `runner group "chosen" (id 3) of organization lab cannot take this job: its repository access (selected) does not include lab/app`},
		{name: "private only, public repository", repo: "lab/site", group: "4",
			wantErr: `runner group "private" (id 4) of organization lab cannot take this job: its repository access (private) does not include lab/site`},
		{name: "restricted to other workflows", repo: "lab/app", group: "release", workflow: wfMain,
			wantErr: `runner group "release" (id 5) of organization lab cannot take this job: it takes jobs only of the workflows ` +
				`lab/app/.github/workflows/release.yml@refs/heads/main, lab/app/.github/workflows/gpu.yml@v2, and only of jobs defined in them; ` +
				`this job's workflow is ` + wfMain},
		{name: "restricted to this workflow by its short ref", repo: "lab/app", group: "gpu", workflow: wfMain, want: 6},
		{name: "restricted, workflow unknown outside Actions", repo: "lab/app", group: "release", want: 5},
		{name: "repository of another owner", repo: "other/app",
			wantErr: "runners of organization lab can take jobs only of its own repositories, not of other/app; set organization to other"},
		{name: "no such group", repo: "lab/app", group: "cpu", wantErr: `no runner group "cpu" in organization lab`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			owner, repo, _ := strings.Cut(tt.repo, "/")
			c, err := New(Options{BaseURL: hs.URL, Token: orgTok, Scope: Scope{Org: "lab", Owner: owner, Repo: repo},
				Workflow: tt.workflow, WorkflowSHA: wfSHA, Retry: retry.Policy{Initial: time.Millisecond, MaxAttempts: 2}})
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.GroupID(context.Background(), tt.group)
			switch {
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr) || ClassOf(err) != Invalid):
				t.Errorf("GroupID(%q) = %d, %v; want an Invalid error containing %q", tt.group, got, err, tt.wantErr)
			case tt.wantErr == "" && (err != nil || got != tt.want):
				t.Errorf("GroupID(%q) = %d, %v; want %d", tt.group, got, err, tt.want)
			}
		})
	}
}

func TestWorkflowSelected(t *testing.T) {
	t.Parallel()
	const path = "lab/app/.github/workflows/gpu.yml"
	tests := []struct {
		name, entry, workflow string
		want                  bool
	}{
		{name: "same full ref", entry: path + "@refs/heads/main", workflow: path + "@refs/heads/main", want: true},
		{name: "short branch", entry: path + "@main", workflow: path + "@refs/heads/main", want: true},
		{name: "short tag", entry: path + "@v2", workflow: path + "@refs/tags/v2", want: true},
		{name: "full SHA of the workflow", entry: path + "@" + wfSHA, workflow: path + "@refs/heads/main", want: true},
		{name: "no ref in the entry", entry: path, workflow: path + "@refs/heads/feature", want: true},
		{name: "owner in other case", entry: "Lab/App/.github/workflows/gpu.yml@main", workflow: path + "@refs/heads/main", want: true},
		{name: "other branch", entry: path + "@main", workflow: path + "@refs/heads/feature"},
		{name: "pull request merge ref", entry: path + "@refs/heads/main", workflow: path + "@refs/pull/7/merge"},
		{name: "other workflow", entry: "lab/app/.github/workflows/release.yml@main", workflow: path + "@refs/heads/main"},
		{name: "other SHA", entry: path + "@0000000000000000000000000000000000000000", workflow: path + "@refs/heads/main"},
		{name: "yaml extension with @ in the ref", entry: "lab/app/.github/workflows/x.yaml@refs/heads/a@b",
			workflow: "lab/app/.github/workflows/x.yaml@refs/heads/a@b", want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := workflowSelected([]string{tt.entry}, tt.workflow, wfSHA); got != tt.want {
				t.Errorf("workflowSelected(%q, %q) = %t, want %t", tt.entry, tt.workflow, got, tt.want)
			}
		})
	}
}
