package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// TestStartJobStop is the product's whole flow: the start job (main step, post step), a job on
// the new runner, and the stop job; afterwards nothing is left and no secret showed.
func TestStartJobStop(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()

		main, post, err := w.job("start").Start(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if main.ExitCode != 0 {
			t.Fatalf("start failed (exit %d):\n%s\n%s", main.ExitCode, main.Stdout, main.Stderr)
		}
		out := main.Outputs
		for _, name := range []string{"label", "runner-name", "runner-id", "pod-id", "pod-name", "gpu-type", "gpu-count",
			"cost-per-hour", "ssh-host", "ssh-port", "provision-mode"} {
			if out[name] == "" {
				t.Errorf("output %s is empty", name)
			}
		}
		if out["gpu-type"] != "NVIDIA GeForce RTX 4090" || out["provision-mode"] != "created" || !strings.HasPrefix(out["label"], "runpod-"+w.run.ID+"-1-") {
			t.Errorf("outputs = %v", out)
		}
		if post.ExitCode != 0 || !strings.Contains(post.Stdout, "pod serves the job") {
			t.Errorf("post step after a ready start: exit %d\n%s", post.ExitCode, post.Stdout)
		}
		for _, want := range []string{"| Phase | Time |", "| wait-online |", "| Price |", "| RunPod calls |"} {
			if !strings.Contains(main.Summary, want) {
				t.Errorf("summary lacks %q:\n%s", want, main.Summary)
			}
		}

		sessions := string(w.PodBlobs()["pod sessions "+out["pod-id"]+".log"])
		// The whole work on the pod is one command: one session, one round trip. (Every bash
		// the session starts is recorded; the action's commands are whole scripts.)
		if n := strings.Count(sessions, "=== command\nbash -c '#!/usr/bin/env bash"); n != 1 || !strings.Contains(sessions, "Starts run.sh detached") {
			t.Errorf("the pod recorded %d commands, want the one setup command with the launch in it:\n%.500s", n, sessions)
		}
		if n := w.SSHConnections(out["pod-id"]); n != 1 {
			t.Errorf("start opened %d SSH connections to the pod, want exactly 1", n)
		}

		jobID := w.GitHub.QueueJob([]string{out["label"]}, "echo trained on $RUNNER_NAME")
		status, err := w.GitHub.WaitJob(ctx, jobID)
		if err != nil {
			t.Fatal(err)
		}
		if status.Status != fakegithub.JobCompleted || status.ExitCode != 0 || !strings.Contains(status.Output, "trained on "+out["runner-name"]) {
			t.Errorf("job = %+v", status)
		}

		stop, err := w.job("stop").Stop(ctx, map[string]string{"pod-id": out["pod-id"]})
		if err != nil {
			t.Fatal(err)
		}
		if stop.ExitCode != 0 {
			t.Fatalf("stop failed:\n%s", stop.Stdout)
		}
		if !strings.Contains(stop.Summary, out["pod-id"]) || !strings.Contains(stop.Summary, "Est. cost") {
			t.Errorf("stop summary:\n%s", stop.Summary)
		}
		w.checkEmpty(t)
		w.checkNoLeaks(t, nil, main, post, stop)
	})
}

// TestCapacityFallback: the first GPU type has no capacity, so the pod comes from the second
// and gpu-type says so.
func TestCapacityFallback(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		w.RunPod.SetCapacity("NVIDIA GeForce RTX 4090", false)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		main, _, err := w.job("start").Start(ctx, map[string]string{"gpu-types": "NVIDIA GeForce RTX 4090\nNVIDIA RTX A6000"})
		if err != nil {
			t.Fatal(err)
		}
		if main.ExitCode != 0 || main.Outputs["gpu-type"] != "NVIDIA RTX A6000" {
			t.Fatalf("start: exit %d, gpu-type %q\n%s", main.ExitCode, main.Outputs["gpu-type"], main.Stdout)
		}
		if !strings.Contains(main.Summary, "| NVIDIA GeForce RTX 4090 | any | capacity:") {
			t.Errorf("summary lacks the failed attempt:\n%s", main.Summary)
		}
		stop, err := w.job("stop").Stop(ctx, nil) // no pod-id: the run's pods by name prefix
		if err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop: %v\n%s", err, stop.Stdout)
		}
		w.checkEmpty(t)
		w.checkNoLeaks(t, nil, main, stop)
	})
}

// TestStopTouchesOnlyItsRun: two workflow runs share the account and the repository. The stop
// job of one, with neither pod-id nor label, removes that run's pod and runner, not the other's.
func TestStopTouchesOnlyItsRun(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		other := &world{Sandbox: w.Sandbox, run: sandbox.Run{ID: w.run.ID + "9", Attempt: "1"}}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		for _, x := range []*world{w, other} {
			if main, _, err := x.job("start").Start(ctx, nil); err != nil || main.ExitCode != 0 {
				t.Fatalf("start of run %s: %v", x.run.ID, err)
			}
		}
		if stop, err := w.job("stop").Stop(ctx, nil); err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop: %v", err)
		}
		pods, runners := w.RunPod.Pods(), w.GitHub.Runners()
		if len(pods) != 1 || !strings.HasPrefix(pods[0].Name, "gha-"+other.run.ID+"-") || len(runners) != 1 {
			t.Fatalf("after run %s's stop: pods %+v, runners %+v; want only run %s's", w.run.ID, pods, runners, other.run.ID)
		}
		if stop, err := other.job("stop").Stop(ctx, nil); err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop of the other run: %v", err)
		}
		w.checkEmpty(t)
	})
}
