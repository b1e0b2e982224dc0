package sweep

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

var _ Pods = (*fakePods)(nil)
var _ GitHub = (*fakeGitHub)(nil)

type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) record(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, fmt.Sprintf(format, args...))
}

type fakePods struct {
	recorder
	pods []runpod.Pod
}

func (f *fakePods) List(context.Context) ([]runpod.Pod, error) { return f.pods, nil }
func (f *fakePods) Terminate(_ context.Context, id string) error {
	f.record("terminate %s", id)
	return nil
}

type fakeGitHub struct {
	recorder
	runners   []registration.Runner
	completed map[int64]bool
}

func (f *fakeGitHub) List(context.Context, string) ([]registration.Runner, error) {
	return f.runners, nil
}
func (f *fakeGitHub) Delete(_ context.Context, id int64) error {
	f.record("delete runner %d", id)
	return nil
}
func (f *fakeGitHub) RunCompleted(_ context.Context, id int64) (bool, error) {
	done, ok := f.completed[id]
	if !ok {
		return false, &registration.Error{Class: registration.NotFound, Message: "Not Found"}
	}
	return done, nil
}

var now = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)

func pod(id, repo, run, status string, started time.Duration) runpod.Pod {
	p := runpod.Pod{ID: id, Name: "gha-" + run + "-1-" + id, Status: status, CostPerHour: 0.5, CreatedAt: now.Add(-started), Env: map[string]string{}}
	if status == runpod.StatusRunning {
		p.LastStartedAt = now.Add(-started)
	}
	if repo != "" {
		p.Env[marker.Repo], p.Env[marker.Run] = repo, run
	}
	return p
}

// TestPlanAndApply: the rules, one object each; what stays is never touched, and a dry run
// plans the same and calls nothing.
func TestPlanAndApply(t *testing.T) {
	t.Parallel()
	pods := []runpod.Pod{
		pod("done", "o/r", "1", runpod.StatusRunning, time.Hour),          // run completed: goes
		pod("busy", "o/r", "2", runpod.StatusRunning, time.Hour),          // run in progress: stays
		pod("old", "o/r", "3", runpod.StatusExited, 10*24*time.Hour),      // stopped long ago: goes
		pod("fresh", "o/r", "4", runpod.StatusExited, time.Hour),          // stopped lately: stays
		pod("long", "o/r", "404", runpod.StatusRunning, 30*time.Hour),     // run unknown, too old: goes
		pod("stopdone", "o/r", "1", runpod.StatusExited, time.Hour),       // completed run but stopped on purpose: stays
		pod("theirs", "o/other", "1", runpod.StatusRunning, 50*time.Hour), // another repository: stays
		pod("mine", "", "", runpod.StatusRunning, 50*time.Hour),           // unmarked: stays
	}
	runners := []registration.Runner{
		{ID: 1, Name: "gha-1-1-done", Status: "online"},    // its pod is swept
		{ID: 2, Name: "gha-9-1-orphan", Status: "offline"}, // pod gone: goes
		{ID: 3, Name: "gha-9-1-online", Status: "online"},  // online: stays
		{ID: 4, Name: "gha-9-1-job", Status: "offline", Busy: true},
		{ID: 5, Name: "laptop", Status: "offline"},       // not the action's: stays
		{ID: 6, Name: "gha-2-1-busy", Status: "offline"}, // its pod exists: stays
	}
	for _, dry := range []bool{true, false} {
		t.Run(fmt.Sprintf("dry_run_%v", dry), func(t *testing.T) {
			t.Parallel()
			fp := &fakePods{pods: pods}
			gh := &fakeGitHub{runners: runners, completed: map[int64]bool{1: true, 2: false, 3: true, 4: true}}
			r := Rules{Repository: "o/r", MaxAge: 24 * time.Hour, KeepStopped: 7 * 24 * time.Hour, DryRun: dry, Now: now}
			ghFor := func(repo string) (GitHub, error) {
				if repo != "o/r" {
					t.Errorf("GitHub asked for %s", repo)
				}
				return gh, nil
			}
			items, err := Plan(context.Background(), r, fp, ghFor)
			if err != nil {
				t.Fatal(err)
			}
			items = Apply(context.Background(), r, items, fp, ghFor)
			var got []string
			for _, it := range items {
				got = append(got, it.Kind+" "+it.ID+": "+it.Reason)
			}
			want := []string{
				"pod done: workflow run 1 has completed",
				"pod old: stopped for 240h0m0s, beyond keep-stopped 168h0m0s",
				"pod long: running for 30h0m0s, beyond max-age 24h0m0s",
				"runner 1: its pod is swept",
				"runner 2: offline, and its pod is gone",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("plan mismatch (-want +got):\n%s", diff)
			}
			wantCalls := []string{"terminate done", "terminate old", "terminate long"}
			wantDeletes := []string{"delete runner 1", "delete runner 2"}
			if dry {
				wantCalls, wantDeletes = nil, nil
			}
			if diff := cmp.Diff(wantCalls, fp.calls); diff != "" {
				t.Errorf("RunPod calls (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantDeletes, gh.calls); diff != "" {
				t.Errorf("GitHub calls (-want +got):\n%s", diff)
			}
			sum := Summary(r, items)
			for _, s := range []string{"| pod | `done` |", "workflow run 1 has completed", "0.500", "$1.500/hour"} {
				if !strings.Contains(sum, s) {
					t.Errorf("summary lacks %q:\n%s", s, sum)
				}
			}
			if dry != strings.Contains(sum, "would remove") {
				t.Errorf("dry run %v, summary:\n%s", dry, sum)
			}
		})
	}
}

// TestPlanAllRepos: with AllRepos every repository's marked pods are swept, unmarked ones never.
func TestPlanAllRepos(t *testing.T) {
	t.Parallel()
	fp := &fakePods{pods: []runpod.Pod{pod("a", "o/r", "1", runpod.StatusRunning, time.Hour), pod("b", "o/other", "1", runpod.StatusRunning, time.Hour),
		pod("mine", "", "", runpod.StatusRunning, 90*time.Hour)}}
	items, err := Plan(context.Background(), Rules{AllRepos: true, MaxAge: time.Hour / 2, Now: now}, fp, func(string) (GitHub, error) {
		return &fakeGitHub{completed: map[int64]bool{}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.Repository+" "+it.ID)
	}
	if diff := cmp.Diff([]string{"o/r a", "o/other b"}, ids); diff != "" {
		t.Errorf("all repos (-want +got):\n%s", diff)
	}
}
