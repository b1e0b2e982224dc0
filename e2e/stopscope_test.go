package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunpod"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// registerRunner registers a runner named name in the repository directly, as a person or
// another tool would, and returns its id.
func registerRunner(t *testing.T, w *world, name string) int64 {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"name": name, "runner_group_id": 1, "labels": []string{"self-hosted"}})
	req, _ := http.NewRequest(http.MethodPost, w.GitHubURL+"/repos/"+sandbox.Repository+"/actions/runners/generate-jitconfig", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+sandbox.GitHubToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Runner struct {
			ID int64 `json:"id"`
		} `json:"runner"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("registering %s: HTTP %d, %v", name, resp.StatusCode, err)
	}
	return out.Runner.ID
}

func (w *world) hasPod(id string) bool {
	return slices.ContainsFunc(w.RunPod.Pods(), func(p fakerunpod.PodSnapshot) bool { return p.ID == id })
}

func (w *world) hasRunner(id int64) bool {
	for _, r := range w.GitHub.Runners() {
		if r.ID == id {
			return true
		}
	}
	return false
}

// TestStopByPodIDRemovesOnlyItsOwn: a runner that merely shares the pod's name survives a stop
// by pod-id (the pod's runner marker names the runner to remove), and a pod this action did not
// make for this repository survives a stop by its id unless force: true.
func TestStopByPodIDRemovesOnlyItsOwn(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "rest", sandbox.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	main, _, err := w.job("start").Start(ctx, map[string]string{"pod-name": "nightly-gpu-box", "label": "nightly"})
	if err != nil || main.ExitCode != 0 {
		t.Fatalf("start: %v\n%s", err, main.Stdout)
	}
	namesake := registerRunner(t, w, "nightly-gpu-box")
	stop, err := w.job("stop").Stop(ctx, map[string]string{"pod-id": main.Outputs["pod-id"]})
	if err != nil || stop.ExitCode != 0 {
		t.Fatalf("stop: %v\n%s", err, stop.Stdout)
	}
	if !w.hasRunner(namesake) || len(w.GitHub.Runners()) != 1 || len(w.RunPod.Pods()) != 0 {
		t.Errorf("after the stop by pod-id: runners %+v, pods %+v; want only the namesake runner %d", w.GitHub.Runners(), w.RunPod.Pods(), namesake)
	}

	// A pod of another repository (no markers for this one) named by pod-id.
	elsewhere := w.job("elsewhere")
	elsewhere.Repository = sandbox.OtherRepository
	other, _, err := elsewhere.Start(ctx, map[string]string{"label": "theirs", "repository": sandbox.Repository})
	if err != nil || other.ExitCode != 0 {
		t.Fatalf("the other repository's start: %v\n%s", err, other.Stdout)
	}
	theirs := other.Outputs["pod-id"]
	refused, err := w.job("stop").Stop(ctx, map[string]string{"pod-id": theirs})
	if err != nil {
		t.Fatal(err)
	}
	if refused.ExitCode == 0 || !strings.Contains(refused.Stdout, "set force: true") || !w.hasPod(theirs) {
		t.Errorf("a stop by the id of a pod this action did not make for the repository: exit %d, pod kept %t\n%s", refused.ExitCode, w.hasPod(theirs), refused.Stdout)
	}
	forced, err := w.job("stop").Stop(ctx, map[string]string{"pod-id": theirs, "force": "true"})
	if err != nil || forced.ExitCode != 0 || w.hasPod(theirs) {
		t.Errorf("force: true did not remove pod %s: %v\n%s", theirs, err, forced.Stdout)
	}
}

// TestStopByLabelAfterCancelledStart: two labelled chains in one run; the first start is killed
// after its pod was made and before it wrote its outputs (no post step ran). That chain's stop,
// with an empty pod-id and its label, finds its pod by the label marker although the pod has a
// custom name, and leaves the other chain's pod and busy runner alone.
func TestStopByLabelAfterCancelledStart(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "rest", sandbox.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	b, _, err := w.job("start-b").Start(ctx, map[string]string{"label": "chain-b"})
	if err != nil || b.ExitCode != 0 {
		t.Fatalf("chain b's start: %v\n%s", err, b.Stdout)
	}
	busy := w.GitHub.Runners()[0].ID
	if err := w.GitHub.SetBusy(busy, true); err != nil {
		t.Fatal(err)
	}
	killed := sandbox.Step{Signal: syscall.SIGKILL, SignalWhen: "::group::Wait for the pod", SignalAfter: 100 * time.Millisecond}
	a, err := w.job("start-a").Main(ctx, "start", map[string]string{"label": "chain-a", "pod-name": "chain-a-box"}, killed)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.RunPod.Pods()) != 2 {
		t.Fatalf("the killed start left %d pods, want its own and chain b's\n%s", len(w.RunPod.Pods()), a.Stdout)
	}
	stop, err := w.job("stop-a").Stop(ctx, map[string]string{"label": "chain-a", "pod-id": ""})
	if err != nil || stop.ExitCode != 0 {
		t.Fatalf("chain a's stop: %v\n%s", err, stop.Stdout)
	}
	pods, runners := w.RunPod.Pods(), w.GitHub.Runners()
	if len(pods) != 1 || pods[0].ID != b.Outputs["pod-id"] || len(runners) != 1 || runners[0].ID != busy {
		t.Errorf("after chain a's stop: pods %+v, runners %+v; want only chain b's pod %s and busy runner %d\n%s",
			pods, runners, b.Outputs["pod-id"], busy, stop.Stdout)
	}
	if !strings.Contains(stop.Stdout, "::notice::Stop, scope label (auto: label is set, pod-id is empty)") {
		t.Errorf("stop did not say what it removes and why:\n%s", stop.Stdout)
	}
}
