package e2e

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakepod"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunpod"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// TestJobSeesThePodsEnvironment: the pod's environment (the image's PATH addition, RunPod's
// RUNPOD_* and the env input) belongs to the container's first process, not to SSH sessions
// (https://github.com/runpod/containers/blob/main/container-template/start.sh); a job on the
// runner still sees all of it.
func TestJobSeesThePodsEnvironment(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("the pod stand-in gives a container its own PID 1 only as root")
	}
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		main, _, err := w.job("start").Start(ctx, map[string]string{"env": "MODEL_DIR=/models/llama"})
		if err != nil || main.ExitCode != 0 {
			t.Fatalf("start: %v (exit %d)\n%s", err, main.ExitCode, main.Stdout)
		}
		pod := main.Outputs["pod-id"]
		sessions := string(w.PodBlobs()["pod sessions "+pod+".log"])
		if strings.Contains(sessions, "MODEL_DIR=") || strings.Contains(sessions, "RUNPOD_POD_ID=") {
			t.Fatalf("the SSH session had the container's environment; the test proves nothing:\n%.2000s", sessions)
		}
		script := fakepod.ImageTool + ` && echo "pod=$RUNPOD_POD_ID model=$MODEL_DIR image=${` + fakepod.ImageEnv + `:+set} pubkey=${PUBLIC_KEY:-none}"`
		jobID := w.GitHub.QueueJob([]string{main.Outputs["label"]}, script)
		status, err := w.GitHub.WaitJob(ctx, jobID)
		if err != nil {
			t.Fatal(err)
		}
		want := "pod=" + pod + " model=/models/llama image=set pubkey=none"
		if status.Status != fakegithub.JobCompleted || status.ExitCode != 0 || !strings.Contains(status.Output, "image tool ok") || !strings.Contains(status.Output, want) {
			t.Errorf("job = %+v; want output with %q", status, want)
		}
		if stop, err := w.job("stop").Stop(ctx, map[string]string{"pod-id": pod}); err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop: %v\n%s", err, stop.Stdout)
		}
		w.checkEmpty(t)
	})
}

// TestKeyWithoutWriteAccessFailsFast: a key that may read (the catalog check passes) but not
// create gets 403 on every create (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json,
// ForbiddenError); the start fails within seconds naming the key, and makes no pod.
func TestKeyWithoutWriteAccessFailsFast(t *testing.T) {
	t.Parallel()
	const readOnly = "rpa_READONLY0123456789abcdefghijklmnopqrst"
	forEachAPI(t, func(t *testing.T, api string) {
		opts := sandbox.Options{}
		opts.RunPod.Keys = map[string]fakerunpod.KeyAccess{sandbox.RunPodKey: fakerunpod.ReadWrite, readOnly: fakerunpod.ReadOnly}
		w := newWorld(t, api, opts)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		began := time.Now()
		main, post, err := w.job("start").Start(ctx, map[string]string{"runpod-api-key": readOnly,
			"gpu-types": "NVIDIA GeForce RTX 4090\nNVIDIA RTX A6000", "data-center-ids": "EU-RO-1, US-TX-3"})
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(began); took > 10*time.Second {
			t.Errorf("the start took %s to fail, want under 10 s", took.Round(time.Millisecond))
		}
		if main.ExitCode != 1 || !strings.Contains(main.Stdout, "runpod-api-key") || strings.Contains(main.Stdout, "out of capacity") {
			t.Errorf("start: exit %d, want 1 naming runpod-api-key and not capacity\n%s", main.ExitCode, main.Stdout)
		}
		if post.ExitCode != 0 {
			t.Errorf("post step: exit %d\n%s", post.ExitCode, post.Stdout)
		}
		w.checkEmpty(t)
		w.checkNoLeaks(t, map[string]string{"read-only key": readOnly}, main, post)
	})
}

// TestCommunityPodWithoutPublicIPGivesWay: REST v2 cannot ask for a public IP, and a community
// pod may get none (https://github.com/runpod/docs/blob/main/api-reference/openapi.json,
// supportPublicIp). The first candidate's pod runs without one: after the wait (an eighth of
// startup-timeout-minutes here) it is terminated and the second candidate gets the runner.
// GraphQL asks for a public IP, so the case is REST's alone.
func TestCommunityPodWithoutPublicIPGivesWay(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "rest", sandbox.Options{})
	w.RunPod.SetCommunityPublicIP("US-TX-3", true)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	main, post, err := w.job("start").Start(ctx, map[string]string{"cloud-type": "COMMUNITY",
		"data-center-ids": "EU-RO-1, US-TX-3", "startup-timeout-minutes": "1"})
	if err != nil || main.ExitCode != 0 {
		t.Fatalf("start: %v (exit %d)\n%s", err, main.ExitCode, main.Stdout)
	}
	pods := w.RunPod.Pods()
	if len(pods) != 1 || pods[0].ID != main.Outputs["pod-id"] || pods[0].DataCenterID != "US-TX-3" {
		t.Fatalf("pods = %+v, want only the runner's, in US-TX-3 (pod-id %s)", pods, main.Outputs["pod-id"])
	}
	if !strings.Contains(main.Stdout, "without a public IP") {
		t.Errorf("the start does not say why it left the first pod:\n%s", main.Stdout)
	}
	if stop, err := w.job("stop").Stop(ctx, map[string]string{"pod-id": main.Outputs["pod-id"]}); err != nil || stop.ExitCode != 0 {
		t.Fatalf("stop: %v\n%s", err, stop.Stdout)
	}
	if post.ExitCode != 0 {
		t.Errorf("post step: exit %d\n%s", post.ExitCode, post.Stdout)
	}
	w.checkEmpty(t)
}
