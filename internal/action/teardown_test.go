package action

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/metrics"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// seed puts pods and their runners in the fakes: ours (this run, two labels), another run's, and
// another repository's pod with our run id and name.
func seed(h *harness) {
	add := func(id, name, repo, run, label string) {
		h.pods.pods[id] = &runpod.Pod{ID: id, Name: name, Status: runpod.StatusRunning, CostPerHour: 1, UptimeSeconds: 1800,
			Env: map[string]string{marker.Repo: repo, marker.Run: run, marker.Label: label, marker.Runner: name}}
		if repo != "octo/repo" {
			return // another repository's runners are not in this one's list
		}
		h.runners.next++
		h.runners.runners[h.runners.next] = &registration.Runner{ID: h.runners.next, Name: name, Labels: []string{label}}
	}
	add("ours001", "gha-77-1-a", "octo/repo", "77", "a")
	add("ours002", "gha-77-2-b", "octo/repo", "77", "b")
	add("other", "gha-78-1-a", "octo/repo", "78", "a")
	add("foreign", "gha-77-1-a", "elsewhere/repo", "77", "a")
	h.runners.next++ // a registration whose pod never came
	h.runners.runners[h.runners.next] = &registration.Runner{ID: h.runners.next, Name: "gha-77-1-c", Labels: []string{"c"}}
}

func TestTeardownChoosesPods(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		inputs   map[string]string
		wantPods []string // left afterwards
		wantRuns []string
	}{
		{name: "by_pod_id", inputs: map[string]string{"pod-id": "ours002"},
			wantPods: []string{"foreign", "other", "ours001"}, wantRuns: []string{"gha-77-1-a", "gha-77-1-c", "gha-78-1-a"}},
		{name: "by_label", inputs: map[string]string{"label": "a"},
			wantPods: []string{"foreign", "other", "ours002"}, wantRuns: []string{"gha-77-1-c", "gha-77-2-b", "gha-78-1-a"}},
		{name: "whole_run", inputs: nil,
			wantPods: []string{"foreign", "other"}, wantRuns: []string{"gha-78-1-a"}},
		{name: "gone_pod_id", inputs: map[string]string{"pod-id": "missing1"},
			wantPods: []string{"foreign", "other", "ours001", "ours002"}, wantRuns: []string{"gha-77-1-a", "gha-77-1-c", "gha-77-2-b", "gha-78-1-a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inputs := map[string]string{"mode": "stop"}
			for k, v := range tc.inputs {
				inputs[k] = v
			}
			h := newHarness(t, inputs)
			seed(h)
			if err := Teardown(context.Background(), h.config(t, false), h.deps()); err != nil {
				t.Fatalf("Teardown() = %v\n%s", err, h.out.String())
			}
			var pods, runs []string
			for id := range h.pods.pods {
				pods = append(pods, id)
			}
			for _, r := range h.runners.runners {
				runs = append(runs, r.Name)
			}
			slices.Sort(pods)
			slices.Sort(runs)
			if diff := cmp.Diff(tc.wantPods, pods); diff != "" {
				t.Errorf("pods left mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantRuns, runs); diff != "" {
				t.Errorf("runners left mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTeardownKeepsVolumeAndWaitsForBusyRunner(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"mode": "stop", "pod-id": "ours001", "on-stop": "stop"})
	seed(h)
	h.runners.busyDeletes = 1
	if err := Teardown(context.Background(), h.config(t, false), h.deps()); err != nil {
		t.Fatalf("Teardown() = %v", err)
	}
	if got := h.pods.pods["ours001"].Status; got != runpod.StatusExited {
		t.Errorf("pod status %s, want EXITED", got)
	}
	if got := h.runners.Calls(); !slices.Equal(got[len(got)-2:], []string{"delete 1", "delete 1"}) {
		t.Errorf("runner calls %v, want a retried delete", got)
	}
	if s := h.summary(t); !strings.Contains(s, "| `ours001` |") || !strings.Contains(s, "$0.500") {
		t.Errorf("summary lacks the pod's cost:\n%s", s)
	}
	// Stopping again finds nothing to do and succeeds.
	if err := Teardown(context.Background(), h.config(t, false), h.deps()); err != nil {
		t.Errorf("second Teardown() = %v", err)
	}
}

func TestPost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		state     map[string]string
		onFailure string
		wantCalls []string
	}{
		{name: "ready_leaves_alone", state: map[string]string{"phase": "ready", "pod-id": "ours001", "runner-id": "1", "label": "a"}},
		{name: "cleaned_by_main", state: map[string]string{"phase": "launch", "pod-id": "ours001", "cleaned": "true"}},
		{name: "killed_in_launch", state: map[string]string{"phase": "launch", "pod-id": "ours001", "provision-mode": "created", "runner-id": "1", "label": "a"},
			wantCalls: []string{"delete 1", "terminate ours001"}},
		{name: "stop_on_failure", state: map[string]string{"phase": "ssh", "pod-id": "ours001", "provision-mode": "created", "label": "a"},
			onFailure: "stop", wantCalls: []string{"stop ours001"}},
		{name: "resumed_pod_is_stopped", state: map[string]string{"phase": "ssh", "pod-id": "ours001", "provision-mode": "resumed"},
			wantCalls: []string{"stop ours001"}},
		{name: "existing_pod_is_kept", state: map[string]string{"phase": "ssh", "pod-id": "ours001", "provision-mode": "existing", "runner-id": "1", "label": "a"},
			wantCalls: []string{"delete 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, map[string]string{"on-failure": tc.onFailure})
			seed(h)
			for k, v := range tc.state {
				h.env["STATE_"+k] = v
			}
			if err := Post(context.Background(), h.config(t, true), h.deps()); err != nil {
				t.Fatalf("Post() = %v", err)
			}
			var got []string
			for _, c := range append(h.runners.Calls(), h.pods.Calls()...) {
				if strings.HasPrefix(c, "delete") || strings.HasPrefix(c, "terminate") || strings.HasPrefix(c, "stop") {
					got = append(got, c)
				}
			}
			if diff := cmp.Diff(tc.wantCalls, got); diff != "" {
				t.Errorf("cleanup calls mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStartCancelledCleansUp(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	h.runners.onlinePolls = 1 << 30 // never online
	h.runners.onPoll = cancel       // the job is cancelled while start waits for the runner
	err := Start(ctx, h.config(t, false), h.deps())
	if err == nil || ctx.Err() == nil {
		t.Fatalf("Start() = %v, want a cancelled start", err)
	}
	if len(h.pods.pods) != 0 || len(h.runners.runners) != 0 {
		t.Errorf("a cancelled start left %d pods and %d runners", len(h.pods.pods), len(h.runners.runners))
	}
}

// TestStoppedPodCostOnGraphQLIsTheRate: GraphQL's costPerHr is the pod's rate whatever its
// state, unlike REST's cost, which is 0.0 for a stopped pod
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, Pod.cost); so it is not
// quoted as what a stopped pod costs.
func TestStoppedPodCostOnGraphQLIsTheRate(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"mode": "stop", "pod-id": "ours001", "on-stop": "stop", "runpod-api": "graphql"})
	seed(h)
	if err := Teardown(context.Background(), h.config(t, false), h.deps()); err != nil {
		t.Fatalf("Teardown() = %v", err)
	}
	if out := h.out.String(); strings.Contains(out, "while stopped (") || strings.Contains(out, "/hour for it while stopped") ||
		!strings.Contains(out, "/hour once resumed; while stopped its volume is billed as storage") {
		t.Errorf("notice quotes the rate as a stopped pod's cost:\n%s", out)
	}
}

// TestStopReportsThePodsItStopped: the stop step's metrics name each pod's GPU type, $/hour and
// uptime as the stop found them; a stop with no pod still reports its outcome.
func TestStopReportsThePodsItStopped(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		inputs map[string]string
		want   []metrics.Report
	}{
		{name: "one_pod", inputs: map[string]string{"pod-id": "ours002"}, want: []metrics.Report{
			{Step: "stop", Repository: "octo/repo", API: "rest", GPUType: "NVIDIA A40", Outcome: "success", CostPerHour: 1, UptimeSeconds: 1800}}},
		{name: "no_pod", inputs: map[string]string{"pod-id": "missing1"}, want: []metrics.Report{
			{Step: "stop", Repository: "octo/repo", API: "rest", Outcome: "success"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, map[string]string{"mode": "stop", "pod-id": tc.inputs["pod-id"]})
			seed(h)
			for _, p := range h.pods.pods {
				p.GPUTypeID = "NVIDIA A40"
			}
			d := h.deps()
			var got []metrics.Report
			d.Observe = func(_ context.Context, r metrics.Report) { got = append(got, r) }
			if err := Teardown(context.Background(), h.config(t, false), d); err != nil {
				t.Fatalf("Teardown() = %v", err)
			}
			ignore := cmpopts.IgnoreFields(metrics.Report{}, "Phases", "Workflow")
			if diff := cmp.Diff(tc.want, got, ignore); diff != "" {
				t.Errorf("reports mismatch (-want +got):\n%s", diff)
			}
			if len(got) > 0 && (len(got[0].Phases) != 1 || got[0].Phases[0].Name != "stop") {
				t.Errorf("phases = %v, want the stop's time", got[0].Phases)
			}
		})
	}
}
