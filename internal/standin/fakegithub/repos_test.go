package fakegithub_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

// accessOptions is an organization whose groups differ in who may use them.
func accessOptions() fakegithub.Options {
	opts := testOptions()
	opts.Repos = []string{"acme/app", "acme/site", "acme/tools"}
	opts.Visibility = map[string]string{"acme/site": "public", "acme/tools": "internal"}
	opts.Orgs = map[string][]fakegithub.RunnerGroup{"acme": {
		{ID: 1, Name: "Default", Default: true},
		{ID: 3, Name: "private only", Visibility: "private"},
		{ID: 4, Name: "chosen", Visibility: "selected", SelectedRepositories: []string{"acme/site"}},
		{ID: 6, Name: "release", AllowsPublicRepositories: true, RestrictedToWorkflows: true,
			SelectedWorkflows: []string{"acme/app/.github/workflows/release.yml@refs/heads/main"}},
	}}
	return opts
}

func TestRunnerGroupsVisibleToRepository(t *testing.T) {
	t.Parallel()
	_, ts := start(t, accessOptions())
	c := client(t, ts, orgRead)
	tests := []struct {
		name, repo string
		wantIDs    []int64
	}{
		{name: "all groups without the filter", repo: "", wantIDs: []int64{1, 3, 4, 6}},
		{name: "private repository", repo: "app", wantIDs: []int64{1, 3, 6}},
		{name: "internal repository", repo: "tools", wantIDs: []int64{1, 3, 6}},
		{name: "public repository chosen", repo: "site", wantIDs: []int64{1, 4, 6}},
		{name: "unknown repository", repo: "nope", wantIDs: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, _, err := c.Actions.ListOrganizationRunnerGroups(context.Background(), "acme",
				&github.ListOrgRunnerGroupOptions{VisibleToRepository: tt.repo})
			if err != nil {
				t.Fatalf("list groups: %v", err)
			}
			var ids []int64
			for _, g := range got.RunnerGroups {
				ids = append(ids, g.GetID())
			}
			if diff := cmp.Diff(tt.wantIDs, ids); diff != "" {
				t.Errorf("groups visible to %q (-want +got):\n%s", tt.repo, diff)
			}
		})
	}
}

func TestRestrictedGroupFields(t *testing.T) {
	t.Parallel()
	_, ts := start(t, accessOptions())
	got, _, err := client(t, ts, orgRead).Actions.ListOrganizationRunnerGroups(context.Background(), "acme",
		&github.ListOrgRunnerGroupOptions{VisibleToRepository: "site"})
	if err != nil {
		t.Fatalf("list groups: %v", err)
	}
	type fields struct {
		Visibility, ReposURL string
		Public, Restricted   bool
		Workflows            []string
	}
	var out []fields
	for _, g := range got.RunnerGroups[1:] {
		out = append(out, fields{g.GetVisibility(), g.GetSelectedRepositoriesURL(), g.GetAllowsPublicRepositories(),
			g.GetRestrictedToWorkflows(), g.SelectedWorkflows})
	}
	want := []fields{
		{Visibility: "selected", ReposURL: ts.URL + "/orgs/acme/actions/runner-groups/4/repositories", Workflows: []string{}},
		{Visibility: "all", Public: true, Restricted: true, Workflows: []string{"acme/app/.github/workflows/release.yml@refs/heads/main"}},
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("group fields (-want +got):\n%s", diff)
	}
}

func TestGetRepository(t *testing.T) {
	t.Parallel()
	_, ts := start(t, accessOptions())
	tests := []struct {
		name, tok, repo string
		wantVisibility  string // "" for 404
		wantPrivate     bool
	}{
		{name: "public to any token", tok: noGrant, repo: "site", wantVisibility: "public"},
		{name: "private to its admin", tok: repoRead, repo: "app", wantVisibility: "private", wantPrivate: true},
		{name: "private hidden from others", tok: orgAdmin, repo: "app"},
		{name: "internal hidden from others", tok: noGrant, repo: "tools"},
		{name: "unknown", tok: repoRead, repo: "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, resp, err := client(t, ts, tt.tok).Repositories.Get(context.Background(), "acme", tt.repo)
			if tt.wantVisibility == "" {
				if resp == nil || resp.StatusCode != 404 {
					t.Errorf("Get(%s) = %v, %v; want 404", tt.repo, got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Get(%s): %v", tt.repo, err)
			}
			if got.GetVisibility() != tt.wantVisibility || got.GetPrivate() != tt.wantPrivate || got.GetFullName() != "acme/"+tt.repo {
				t.Errorf("Get(%s) = visibility %q private %t name %q", tt.repo, got.GetVisibility(), got.GetPrivate(), got.GetFullName())
			}
		})
	}
}
