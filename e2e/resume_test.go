package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// runJob queues a job for label and checks that the runner ran it.
func runJob(ctx context.Context, t *testing.T, w *world, label string) {
	t.Helper()
	status, err := w.GitHub.WaitJob(ctx, w.GitHub.QueueJob([]string{label}, "echo job on $RUNNER_NAME"))
	if err != nil || status.Status != fakegithub.JobCompleted || status.ExitCode != 0 {
		t.Fatalf("job on %s: %+v, %v", label, status, err)
	}
}

// TestStopAndResume: create → job → stop keeping the volume → start again with pod-id (resume,
// new port, runner already on the volume) → job → stop terminating. On REST the resumed pod is
// given this run's key; on GraphQL, which cannot, the pods are made with ssh-private-key.
func TestStopAndResume(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		in := map[string]string{"volume-gb": "20", "volume-mount-path": filepath.Join(w.Dir, "volume")}
		secrets := map[string]string{}
		if api == "graphql" {
			key, err := remote.NewKey()
			if err != nil {
				t.Fatal(err)
			}
			in["ssh-private-key"], secrets["ssh-private-key"] = key.PEM, key.PEM
		}
		first, _, err := w.job("start-1").Start(ctx, in)
		if err != nil || first.ExitCode != 0 {
			t.Fatalf("first start: %v\n%s", err, first.Stdout)
		}
		podID := first.Outputs["pod-id"]
		runJob(ctx, t, w, first.Outputs["label"])
		stop, err := w.job("stop-1").Stop(ctx, map[string]string{"pod-id": podID, "on-stop": "stop"})
		if err != nil || stop.ExitCode != 0 || !strings.Contains(stop.Stdout, "Resume it with pod-id: "+podID) {
			t.Fatalf("stop keeping the volume: %v\n%s", err, stop.Stdout)
		}
		if pods := w.RunPod.Pods(); len(pods) != 1 || pods[0].Status != "EXITED" {
			t.Fatalf("after stop: %+v, want one stopped pod", pods)
		}

		resumeIn := map[string]string{"pod-id": podID, "ssh-private-key": in["ssh-private-key"]}
		second, _, err := w.job("start-2").Start(ctx, resumeIn)
		if err != nil || second.ExitCode != 0 {
			t.Fatalf("resuming start: %v\n%s", err, second.Stdout)
		}
		if second.Outputs["provision-mode"] != "resumed" || second.Outputs["pod-id"] != podID || second.Outputs["ssh-port"] == first.Outputs["ssh-port"] {
			t.Errorf("resumed outputs %v; want the same pod, provision-mode resumed, a new SSH port", second.Outputs)
		}
		if !strings.Contains(second.Stdout, "already installed") || w.TarballDownloads() != 1 {
			t.Errorf("the resumed start downloaded the runner again (%d downloads):\n%s", w.TarballDownloads(), second.Stdout)
		}
		runJob(ctx, t, w, second.Outputs["label"])
		if stop, err := w.job("stop-2").Stop(ctx, map[string]string{"pod-id": podID}); err != nil || stop.ExitCode != 0 {
			t.Fatalf("final stop: %v", err)
		}
		w.checkEmpty(t)
		w.checkNoLeaks(t, secrets, first, stop, second)
	})
}

// TestResumeWithoutGPUsCreatesAFreshPod: RunPod cannot resume the stopped pod (its host's GPUs
// are taken), so the start creates a fresh pod and says so.
func TestResumeWithoutGPUsCreatesAFreshPod(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		key, err := remote.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		in := map[string]string{"ssh-private-key": key.PEM}
		first, _, err := w.job("start-1").Start(ctx, in)
		if err != nil || first.ExitCode != 0 {
			t.Fatalf("first start: %v", err)
		}
		podID := first.Outputs["pod-id"]
		if stop, err := w.job("stop-1").Stop(ctx, map[string]string{"pod-id": podID, "on-stop": "stop"}); err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop: %v", err)
		}
		w.RunPod.SetResumeCapacity(podID, false)
		in["pod-id"] = podID
		second, _, err := w.job("start-2").Start(ctx, in)
		if err != nil || second.ExitCode != 0 {
			t.Fatalf("start: %v\n%s", err, second.Stdout)
		}
		if second.Outputs["provision-mode"] != "created" || second.Outputs["pod-id"] == podID ||
			!strings.Contains(second.Summary, "could not be resumed") {
			t.Errorf("outputs %v, summary:\n%s\nwant a fresh pod and the reason", second.Outputs, second.Summary)
		}
		runJob(ctx, t, w, second.Outputs["label"])
		for _, id := range []string{second.Outputs["pod-id"], podID} {
			if stop, err := w.job("stop-"+id).Stop(ctx, map[string]string{"pod-id": id}); err != nil || stop.ExitCode != 0 {
				t.Fatalf("stop %s: %v", id, err)
			}
		}
		w.checkEmpty(t)
	})
}

// TestReuseFindsTheStoppedPodByName: reuse resumes this repository's stopped pod named
// pod-name, and never another repository's pod of the same name.
func TestReuseFindsTheStoppedPodByName(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		key, err := remote.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		in := map[string]string{"reuse": "true", "pod-name": "gpu-box", "ssh-private-key": key.PEM}
		other := w.job("other-repo")
		other.Repository = sandbox.OtherRepository
		theirs, _, err := other.Start(ctx, in)
		if err != nil || theirs.ExitCode != 0 {
			t.Fatalf("the other repository's start: %v\n%s", err, theirs.Stdout)
		}
		if stop, err := other.Stop(ctx, map[string]string{"pod-id": theirs.Outputs["pod-id"], "on-stop": "stop"}); err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop: %v", err)
		}
		first, _, err := w.job("start-1").Start(ctx, in)
		if err != nil || first.ExitCode != 0 || first.Outputs["provision-mode"] != "created" || first.Outputs["pod-id"] == theirs.Outputs["pod-id"] {
			t.Fatalf("first start of this repository: %v, outputs %v; want a new pod", err, first.Outputs)
		}
		if stop, err := w.job("stop-1").Stop(ctx, map[string]string{"pod-id": first.Outputs["pod-id"], "on-stop": "stop"}); err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop: %v", err)
		}
		second, _, err := w.job("start-2").Start(ctx, in)
		if err != nil || second.ExitCode != 0 {
			t.Fatalf("reusing start: %v\n%s", err, second.Stdout)
		}
		if second.Outputs["provision-mode"] != "resumed" || second.Outputs["pod-id"] != first.Outputs["pod-id"] || second.Outputs["pod-name"] != "gpu-box" {
			t.Errorf("reusing start outputs %v; want pod %s resumed", second.Outputs, first.Outputs["pod-id"])
		}
		for _, p := range w.RunPod.Pods() {
			if p.ID == theirs.Outputs["pod-id"] && p.Status != "EXITED" {
				t.Errorf("the other repository's pod was touched: %+v", p)
			}
		}
	})
}
