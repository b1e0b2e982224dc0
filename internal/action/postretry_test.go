package action

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// TestFanOutLegWhoseCleanupFailsIsLeftToPost: a leg that came online in a fan-out that failed
// min-runners is saved as not ready before it is removed, so when its removal fails the post
// step takes it again and removes it.
func TestFanOutLegWhoseCleanupFailsIsLeftToPost(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"gpu-types": "NVIDIA A40, NVIDIA L4", "fan-out": "per-gpu-type", "label": "t",
		"startup-timeout-minutes": "0.5"})
	h.pods.createErrs["NVIDIA L4"] = &runpod.Error{Class: runpod.Capacity, Message: "no longer any instances available"}
	h.pods.terminateErr = &runpod.Error{Op: "terminate pod", Class: runpod.Invalid, Message: "refused"}
	if err := Start(context.Background(), h.config(t, false), h.deps()); err == nil {
		t.Fatal("Start() succeeded, want min-runners to fail it")
	}
	if len(h.pods.pods) != 1 {
		t.Fatalf("%d pods after a failed removal, want the A40 leg's pod", len(h.pods.pods))
	}
	h.carryState(t)
	for k, v := range h.env {
		if strings.HasPrefix(k, "STATE_") && strings.HasSuffix(k, "phase") && v == string(PhaseReady) {
			t.Errorf("%s=%s: a leg being removed is still saved as ready", k, v)
		}
	}
	if !PostNeeded(h.deps()) {
		t.Fatal("PostNeeded() = false, want the post step to take the leg whose removal failed")
	}
	h.pods.terminateErr = nil
	if err := Post(context.Background(), h.config(t, true), h.deps()); err != nil {
		t.Fatalf("Post() = %v\n%s", err, h.out.String())
	}
	if len(h.pods.pods) != 0 || len(h.runners.runners) != 0 {
		t.Errorf("after post: %d pods and %d runners, want none\n%s", len(h.pods.pods), len(h.runners.runners), h.out.String())
	}
}

// TestPostHasADeadline: a post step whose RunPod call never answers ends at its budget,
// with an error, instead of holding the job.
func TestPostHasADeadline(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"startup-timeout-minutes": "0.5"})
	h.shell.fail["install"] = errors.New("exit 3: checksum mismatch")
	h.pods.terminateErr = &runpod.Error{Op: "terminate pod", Class: runpod.Invalid, Message: "refused"}
	if err := Start(context.Background(), h.config(t, false), h.deps()); err == nil {
		t.Fatal("Start() succeeded, want the install to fail it")
	}
	h.carryState(t)
	h.pods.terminateErr, h.pods.terminateHangs = nil, true
	d := h.deps()
	d.Timing.PostBudget = 200 * time.Millisecond
	done := make(chan error, 1)
	go func() { done <- Post(context.Background(), h.config(t, true), d) }()
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("Post() = nil, want an error for the pod it could not remove\n%s", h.out.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("Post() still running a minute later, past its 200 ms budget")
	}
}
