package fakegithub_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

// newOrgListener registers an organization runner of acme in a group and connects it.
func newOrgListener(t *testing.T, ts *httptest.Server, group int64) *listener {
	t.Helper()
	cfg, _, err := client(t, ts, orgAdmin).Actions.GenerateOrgJITConfig(context.Background(), "acme", jitReq("org-pod", group, "gpu"))
	if err != nil {
		t.Fatalf("generate in group %d: %v", group, err)
	}
	d := decodeJIT(t, cfg.GetEncodedJITConfig())
	base, _ := d.Runner["serverUrlV2"].(string)
	l := &listener{t: t, id: cfg.GetRunner().GetID(), base: base, token: d.Credentials.Data.Token}
	l.connect()
	return l
}

func TestJobsGoOnlyToGroupsThatCanTakeThem(t *testing.T) {
	t.Parallel()
	const release = "acme/app/.github/workflows/release.yml"
	tests := []struct {
		name  string
		group int64
		from  fakegithub.JobSource
		want  int // 200 the job is delivered, 204 it stays queued
	}{
		{name: "a job without a source", group: 4, want: 200},
		{name: "default group, private repository", group: 1, from: fakegithub.JobSource{Repo: "acme/app"}, want: 200},
		{name: "default group, public repository", group: 1, from: fakegithub.JobSource{Repo: "acme/site"}, want: 204},
		{name: "private-only group, internal repository", group: 3, from: fakegithub.JobSource{Repo: "acme/tools"}, want: 200},
		{name: "selected repositories", group: 4, from: fakegithub.JobSource{Repo: "acme/app"}, want: 204},
		{name: "selected workflow, full ref", group: 6, from: fakegithub.JobSource{Repo: "acme/app", Workflow: release + "@refs/heads/main"}, want: 200},
		{name: "other branch of the selected workflow", group: 6, from: fakegithub.JobSource{Repo: "acme/app", Workflow: release + "@refs/heads/dev"}, want: 204},
		{name: "other workflow", group: 6, from: fakegithub.JobSource{Repo: "acme/app", Workflow: "acme/app/.github/workflows/ci.yml@refs/heads/main"}, want: 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := accessOptions()
			opts.OfflineAfter = 200 * time.Millisecond
			fake, ts := start(t, opts)
			l := newOrgListener(t, ts, tt.group)
			fake.QueueWorkflowJob(tt.from, []string{"gpu"}, "true")
			if got, _ := l.poll(); got != tt.want {
				t.Errorf("poll in group %d for a job of %+v = %d, want %d", tt.group, tt.from, got, tt.want)
			}
		})
	}
}
