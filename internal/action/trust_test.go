package action

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// removals returns the delete, terminate and stop calls the fakes saw.
func removals(h *harness) []string {
	var got []string
	for _, c := range append(h.runners.Calls(), h.pods.Calls()...) {
		if strings.HasPrefix(c, "delete") || strings.HasPrefix(c, "terminate") || strings.HasPrefix(c, "stop") {
			got = append(got, c)
		}
	}
	return got
}

// TestPostTrustsOnlyWhatItWrote gives the post step state it did not write (values a pod might
// have injected): ids of another run's pod and runner, malformed ids, legs out of range. It
// removes only this run's pod and runner.
func TestPostTrustsOnlyWhatItWrote(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		state map[string]string
		want  []string
	}{
		{name: "another_runs_pod_and_runner", state: map[string]string{"phase": "launch", "label": "a", "provision-mode": "created",
			"pod-id": "other", "runner-id": "3"}},
		{name: "another_repositorys_pod_said_resumed", state: map[string]string{"phase": "launch", "label": "a", "provision-mode": "resumed",
			"pod-id": "foreign"}},
		{name: "runner_of_another_label", state: map[string]string{"phase": "launch", "label": "b", "provision-mode": "created",
			"pod-id": "ours001", "runner-id": "1"}},
		{name: "malformed_ids", state: map[string]string{"phase": "launch", "label": "a", "pod-id": "../ours001", "runner-id": "1e3"}},
		{name: "legs_out_of_range", state: map[string]string{"legs": "99", "leg1-phase": "launch", "leg1-label": "a",
			"leg1-pod-id": "ours001", "leg1-runner-id": "1", "phase": "launch", "label": "a", "pod-id": "ours001", "provision-mode": "created"},
			want: []string{"terminate ours001"}},
		{name: "ours", state: map[string]string{"phase": "launch", "label": "a", "provision-mode": "created", "pod-id": "ours001", "runner-id": "1"},
			want: []string{"delete 1", "terminate ours001"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			seed(h)
			for k, v := range tc.state {
				h.env["STATE_"+k] = v
			}
			if err := Post(context.Background(), h.config(t, true), h.deps()); err != nil {
				t.Fatalf("Post() = %v\n%s", err, h.out.String())
			}
			if diff := cmp.Diff(tc.want, removals(h)); diff != "" {
				t.Errorf("removals mismatch (-want +got):\n%s\n%s", diff, h.out.String())
			}
		})
	}
}

// seedNamesake adds what a stop by pod-id must leave alone: a long-lived runner named like our
// pod, and a pod of the account that this action did not make.
func seedNamesake(h *harness) {
	h.pods.pods["ours003"] = &runpod.Pod{ID: "ours003", Name: "nightly-box", Status: runpod.StatusRunning,
		Env: map[string]string{marker.Repo: "octo/repo", marker.Run: "77", marker.Label: "n", marker.Runner: "gha-77-1-n"}}
	h.pods.pods["handmade"] = &runpod.Pod{ID: "handmade", Name: "inference", Status: runpod.StatusRunning, Env: map[string]string{}}
	for _, name := range []string{"nightly-box", "gha-77-1-n", "inference"} {
		h.runners.next++
		h.runners.runners[h.runners.next] = &registration.Runner{ID: h.runners.next, Name: name}
	}
}

// TestTeardownRemovesOnlyItsOwn: a stop by pod-id removes the runner the pod's marker names,
// never one that shares the pod's name, and a pod without this action's markers only with force.
func TestTeardownRemovesOnlyItsOwn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		inputs  map[string]string
		want    []string
		wantErr string
	}{
		{name: "marker_names_the_runner", inputs: map[string]string{"pod-id": "ours003"}, want: []string{"delete 6", "terminate ours003"}},
		{name: "unmarked_pod_refused", inputs: map[string]string{"pod-id": "handmade"}, wantErr: "set force: true"},
		{name: "unmarked_pod_forced", inputs: map[string]string{"pod-id": "handmade", "force": "true"}, want: []string{"terminate handmade"}},
		{name: "label_by_marker", inputs: map[string]string{"label": "n"}, want: []string{"delete 6", "terminate ours003"}},
		{name: "scope_label_ignores_pod_id", inputs: map[string]string{"label": "n", "pod-id": "ours001", "scope": "label"},
			want: []string{"delete 6", "terminate ours003"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, mergeInputs(map[string]string{"mode": "stop"}, tc.inputs))
			seed(h)
			seedNamesake(h)
			err := Teardown(context.Background(), h.config(t, false), h.deps())
			if (err == nil) != (tc.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("Teardown() = %v, want error %q\n%s", err, tc.wantErr, h.out.String())
			}
			if diff := cmp.Diff(tc.want, removals(h)); diff != "" {
				t.Errorf("removals mismatch (-want +got):\n%s\n%s", diff, h.out.String())
			}
			if !strings.Contains(h.out.String(), "::notice::Stop, scope ") {
				t.Errorf("stop did not first say what it removes and why:\n%s", h.out.String())
			}
		})
	}
}

func TestTeardownNoticeNamesWhatAndWhy(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"mode": "stop"})
	seed(h)
	if err := Teardown(context.Background(), h.config(t, false), h.deps()); err != nil {
		t.Fatal(err)
	}
	notice, _, _ := strings.Cut(h.out.String()[strings.Index(h.out.String(), "::notice::"):], "\n")
	for _, want := range []string{"scope run (auto: pod-id and label are empty)", "pod ours001 (gha-77-1-a): its markers name run 77, label a",
		"runner gha-77-1-c (id 4): named for run 77"} {
		if !strings.Contains(notice, want) {
			t.Errorf("notice lacks %q:\n%s", want, notice)
		}
	}
}

func mergeInputs(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range []map[string]string{a, b} {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// TestRunnerDirIsPerPodOnAVolume: pods that mount one (network) volume never share a runner
// directory.
func TestRunnerDirIsPerPodOnAVolume(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"network-volume-id": "vol123abc"})
	s := newStart(h.config(t, false), h.deps(), h.deps().WF, "")
	var got []string
	for _, id := range []string{"podaaa111", "podbbb222"} {
		s.pod = &runpod.Pod{ID: id, VolumePath: "/workspace/"}
		got = append(got, s.runnerDir())
	}
	if diff := cmp.Diff([]string{"/workspace/actions-runner/podaaa111", "/workspace/actions-runner/podbbb222"}, got); diff != "" {
		t.Errorf("runner dirs (-want +got):\n%s", diff)
	}
}
