package fakegithub_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

func TestRunnerReleases(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	opts := testOptions()
	opts.RunnerReleases = []fakegithub.Release{
		{Version: "2.336.0", Published: day},
		{Version: "2.338.0", Published: day.AddDate(0, 0, 20)},
		{Version: "2.339.0", Published: day.AddDate(0, 0, 25), Draft: true},
		{Version: "2.337.0", Published: day.AddDate(0, 0, 10), Prerelease: true},
	}
	_, ts := start(t, opts)
	type rel struct {
		Tag        string
		Published  time.Time
		Pre, Draft bool
	}
	tests := []struct {
		name, tok, repo string
		opts            *github.ListOptions
		want            []rel
		wantNext        int
		wantStatus      int
	}{
		{name: "any token reads the public list, newest first, no drafts", tok: noGrant, repo: "actions/runner", want: []rel{
			{Tag: "v2.338.0", Published: day.AddDate(0, 0, 20)}, {Tag: "v2.337.0", Published: day.AddDate(0, 0, 10), Pre: true},
			{Tag: "v2.336.0", Published: day}}},
		{name: "paged", tok: repoRead, repo: "actions/runner", opts: &github.ListOptions{PerPage: 1, Page: 2},
			want: []rel{{Tag: "v2.337.0", Published: day.AddDate(0, 0, 10), Pre: true}}, wantNext: 3},
		{name: "a repository without releases", tok: repoRead, repo: "acme/app", want: nil},
		{name: "a private repository hidden from the token", tok: orgRead, repo: "acme/app", wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			owner, repo, _ := strings.Cut(tt.repo, "/")
			list, resp, err := client(t, ts, tt.tok).Repositories.ListReleases(context.Background(), owner, repo, tt.opts)
			if tt.wantStatus != 0 {
				if resp == nil || resp.StatusCode != tt.wantStatus {
					t.Errorf("ListReleases(%s) = %v, %v; want HTTP %d", tt.repo, list, err, tt.wantStatus)
				}
				return
			}
			if err != nil {
				t.Fatalf("ListReleases(%s): %v", tt.repo, err)
			}
			var got []rel
			for _, r := range list {
				got = append(got, rel{r.GetTagName(), r.GetPublishedAt().Time, r.GetPrerelease(), r.GetDraft()})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" || resp.NextPage != tt.wantNext {
				t.Errorf("releases of %s (-want +got):\n%s\nnext page %d, want %d", tt.repo, diff, resp.NextPage, tt.wantNext)
			}
		})
	}
}
