package fakegithub_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

func TestRunnerGroups(t *testing.T) {
	t.Parallel()
	_, ts := start(t, testOptions())
	c := client(t, ts, orgRead)
	tests := []struct {
		name      string
		opts      *github.ListOrgRunnerGroupOptions
		wantIDs   []int64
		wantTotal int
		wantNext  int
	}{
		{name: "all", opts: nil, wantIDs: []int64{1, 2, 5}, wantTotal: 3},
		{name: "first page", opts: &github.ListOrgRunnerGroupOptions{ListOptions: github.ListOptions{PerPage: 2}},
			wantIDs: []int64{1, 2}, wantTotal: 3, wantNext: 2},
		{name: "second page", opts: &github.ListOrgRunnerGroupOptions{ListOptions: github.ListOptions{PerPage: 2, Page: 2}},
			wantIDs: []int64{5}, wantTotal: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, resp, err := c.Actions.ListOrganizationRunnerGroups(context.Background(), "acme", tt.opts)
			if err != nil {
				t.Fatalf("list groups: %v", err)
			}
			var ids []int64
			for _, g := range got.RunnerGroups {
				ids = append(ids, g.GetID())
			}
			want := []any{tt.wantTotal, tt.wantIDs, tt.wantNext}
			if diff := cmp.Diff(want, []any{got.TotalCount, ids, resp.NextPage}); diff != "" {
				t.Errorf("groups mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunnerGroupFields(t *testing.T) {
	t.Parallel()
	opts := testOptions()
	opts.Orgs = map[string][]fakegithub.RunnerGroup{"solo": nil}
	opts.Tokens[orgRead] = fakegithub.Grant{SelfHostedRunners: map[string]fakegithub.Access{"solo": fakegithub.ReadAccess}}
	_, ts := start(t, opts)
	got, _, err := client(t, ts, orgRead).Actions.ListOrganizationRunnerGroups(context.Background(), "solo", nil)
	if err != nil {
		t.Fatalf("list groups: %v", err)
	}
	want := &github.RunnerGroups{TotalCount: 1, RunnerGroups: []*github.RunnerGroup{{
		ID: github.Int64(1), Name: github.String("Default"), Visibility: github.String("all"),
		Default: github.Bool(true), RunnersURL: github.String(ts.URL + "/orgs/solo/actions/runner-groups/1/runners"),
		Inherited: github.Bool(false), AllowsPublicRepositories: github.Bool(false),
		RestrictedToWorkflows: github.Bool(false), SelectedWorkflows: []string{},
		WorkflowRestrictionsReadOnly: github.Bool(false),
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups mismatch (-want +got):\n%s", diff)
	}
}

func TestDownloads(t *testing.T) {
	t.Parallel()
	opts := testOptions()
	opts.Downloads = []fakegithub.Download{{
		OS: "linux", Architecture: "x64", DownloadURL: "http://127.0.0.1:1/runner.tar.gz",
		Filename: "actions-runner-linux-x64-2.336.0.tar.gz", SHA256Checksum: "abc",
	}}
	fake, ts := start(t, opts)
	ctx := context.Background()
	want := []*github.RunnerApplicationDownload{{
		OS: github.String("linux"), Architecture: github.String("x64"),
		DownloadURL: github.String("http://127.0.0.1:1/runner.tar.gz"),
		Filename:    github.String("actions-runner-linux-x64-2.336.0.tar.gz"), SHA256Checksum: github.String("abc"),
	}}
	repo, _, err := client(t, ts, repoRead).Actions.ListRunnerApplicationDownloads(ctx, "acme", "app")
	if err != nil {
		t.Fatalf("repo downloads: %v", err)
	}
	if diff := cmp.Diff(want, repo); diff != "" {
		t.Errorf("repo downloads (-want +got):\n%s", diff)
	}
	org, _, err := client(t, ts, orgRead).Actions.ListOrganizationRunnerApplicationDownloads(ctx, "acme")
	if err != nil {
		t.Fatalf("org downloads: %v", err)
	}
	if diff := cmp.Diff(want, org); diff != "" {
		t.Errorf("org downloads (-want +got):\n%s", diff)
	}
	fake.SetDownloads(nil)
	empty, _, err := client(t, ts, repoRead).Actions.ListRunnerApplicationDownloads(ctx, "acme", "app")
	if err != nil || empty == nil || len(empty) != 0 {
		t.Errorf("after SetDownloads(nil) = %v, %v; want an empty list", empty, err)
	}
}
