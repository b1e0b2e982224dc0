package fakegithub_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

// register creates n repository runners named pod-0..pod-<n-1>.
func register(t *testing.T, c *github.Client, n int) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		cfg, _, err := c.Actions.GenerateRepoJITConfig(context.Background(), "acme", "app",
			jitReq(fmt.Sprintf("pod-%d", i), 1, "gpu"))
		if err != nil {
			t.Fatalf("generate pod-%d: %v", i, err)
		}
		ids = append(ids, cfg.GetRunner().GetID())
	}
	return ids
}

func TestListRunners(t *testing.T) {
	t.Parallel()
	_, ts := start(t, testOptions())
	c := client(t, ts, repoAdmin)
	register(t, c, 5)
	tests := []struct {
		name      string
		opts      *github.ListRunnersOptions
		wantTotal int
		wantNames []string
		wantNext  int
		wantLast  int
	}{
		{name: "all", opts: &github.ListRunnersOptions{}, wantTotal: 5,
			wantNames: []string{"pod-0", "pod-1", "pod-2", "pod-3", "pod-4"}},
		{name: "by name", opts: &github.ListRunnersOptions{Name: github.String("pod-3")}, wantTotal: 1,
			wantNames: []string{"pod-3"}},
		{name: "name is exact", opts: &github.ListRunnersOptions{Name: github.String("pod")}, wantTotal: 0},
		{name: "first page", opts: &github.ListRunnersOptions{ListOptions: github.ListOptions{PerPage: 2}},
			wantTotal: 5, wantNames: []string{"pod-0", "pod-1"}, wantNext: 2, wantLast: 3},
		{name: "last page", opts: &github.ListRunnersOptions{ListOptions: github.ListOptions{PerPage: 2, Page: 3}},
			wantTotal: 5, wantNames: []string{"pod-4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, resp, err := c.Actions.ListRunners(context.Background(), "acme", "app", tt.opts)
			if err != nil {
				t.Fatalf("list: %v", err)
			}
			var names []string
			for _, r := range got.Runners {
				names = append(names, r.GetName())
			}
			want := []any{tt.wantTotal, tt.wantNames, tt.wantNext, tt.wantLast}
			if diff := cmp.Diff(want, []any{got.TotalCount, names, resp.NextPage, resp.LastPage}); diff != "" {
				t.Errorf("list mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGetAndDeleteRunner(t *testing.T) {
	t.Parallel()
	fake, ts := start(t, testOptions())
	c := client(t, ts, repoAdmin)
	ctx := context.Background()
	ids := register(t, c, 2)

	r, _, err := c.Actions.GetRunner(ctx, "acme", "app", ids[0])
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if r.GetName() != "pod-0" || r.GetStatus() != "offline" || r.GetBusy() {
		t.Errorf("runner = %+v, want pod-0 offline idle", r)
	}
	if err := fake.SetBusy(ids[1], true); err != nil {
		t.Fatalf("set busy: %v", err)
	}
	_, err = c.Actions.RemoveRunner(ctx, "acme", "app", ids[1])
	status, msg := apiStatus(t, err)
	want := []any{422, `Bad request - Runner "pod-1" is still running a job"`}
	if diff := cmp.Diff(want, []any{status, msg}); diff != "" {
		t.Errorf("busy delete mismatch (-want +got):\n%s", diff)
	}
	resp, err := c.Actions.RemoveRunner(ctx, "acme", "app", ids[0])
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %v (response %v)", err, resp)
	}
	var left []string
	for _, r := range fake.Runners() {
		left = append(left, r.Name)
	}
	if diff := cmp.Diff([]string{"pod-1"}, left); diff != "" {
		t.Errorf("runners after delete (-want +got):\n%s", diff)
	}
}

func TestRunnerNotFound(t *testing.T) {
	t.Parallel()
	_, ts := start(t, testOptions())
	c := client(t, ts, repoAdmin)
	ids := register(t, c, 1)
	org := client(t, ts, orgAdmin)
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
	}{
		{name: "get unknown", call: func() error { _, _, err := c.Actions.GetRunner(ctx, "acme", "app", 1); return err }},
		{name: "delete unknown", call: func() error { _, err := c.Actions.RemoveRunner(ctx, "acme", "app", 1); return err }},
		{name: "get from org", call: func() error {
			_, _, err := org.Actions.GetOrganizationRunner(ctx, "acme", ids[0])
			return err
		}},
		{name: "unknown repo", call: func() error {
			_, _, err := c.Actions.ListRunners(ctx, "acme", "nope", nil)
			return err
		}},
		{name: "unknown org", call: func() error {
			_, _, err := org.Actions.ListOrganizationRunners(ctx, "nope", nil)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, msg := apiStatus(t, tt.call())
			if diff := cmp.Diff([]any{404, "Not Found"}, []any{status, msg}); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOrgRunners(t *testing.T) {
	t.Parallel()
	fake, ts := start(t, testOptions())
	c := client(t, ts, orgAdmin)
	ctx := context.Background()
	cfg, _, err := c.Actions.GenerateOrgJITConfig(ctx, "acme", jitReq("org-pod", 5, "gpu"))
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	id := cfg.GetRunner().GetID()
	list, _, err := c.Actions.ListOrganizationRunners(ctx, "acme", &github.ListRunnersOptions{Name: github.String("org-pod")})
	if err != nil || list.TotalCount != 1 {
		t.Fatalf("list = %+v, %v; want one runner", list, err)
	}
	if _, _, err := c.Actions.GetOrganizationRunner(ctx, "acme", id); err != nil {
		t.Fatalf("get: %v", err)
	}
	if _, err := c.Actions.RemoveOrganizationRunner(ctx, "acme", id); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if diff := cmp.Diff([]fakegithub.Runner{}, fake.Runners()); diff != "" {
		t.Errorf("runners after delete (-want +got):\n%s", diff)
	}
}
