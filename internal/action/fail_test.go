package action

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// TestStartFailureCleansUp fails start in each phase and checks that nothing is left: no pod,
// no runner registration, and the error names the phase.
func TestStartFailureCleansUp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		break_ func(h *harness)
		phase  Phase
		want   string
	}{
		{name: "jit_refused", phase: "jit", want: "HTTP 403",
			break_: func(h *harness) {
				h.runners.jitErr = &registration.Error{Op: "register", Class: registration.Auth, Status: 403, Hint: "needs Administration"}
			}},
		{name: "runpod_key_refused", phase: "jit", want: "HTTP 401",
			break_: func(h *harness) {
				h.pods.typesErr = &runpod.Error{Op: "list GPU types", Class: runpod.Auth, Status: 401, Message: "unauthorized"}
			}},
		{name: "create_invalid", phase: "create", want: "bad image",
			break_: func(h *harness) {
				h.pods.createErrs["NVIDIA A40"] = &runpod.Error{Op: "create", Class: runpod.Invalid, Message: "bad image"}
			}},
		{name: "ssh_refused", phase: "ssh", want: "refused",
			break_: func(h *harness) { h.dialer.err = errors.New("connection refused") }},
		{name: "preflight_no_gpu", phase: "preflight", want: "has 0 GPU(s)",
			break_: func(h *harness) { h.shell.answers["preflight"] = "arch=x86_64\ngpus=0\ndisk_free_mb=9000\n" }},
		{name: "install_fails", phase: "install", want: "checksum mismatch",
			break_: func(h *harness) { h.shell.fail["install"] = errors.New("exit 3: checksum mismatch") }},
		{name: "runner_crashes", phase: "launch", want: "exited before listening",
			break_: func(h *harness) { h.shell.fail["launch"] = errors.New("the runner exited before listening for jobs") }},
		{name: "runner_vanishes", phase: "wait-online", want: "disappeared",
			break_: func(h *harness) { h.runners.vanish, h.shell.answers["launch"] = true, "started pid=42\n" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			tc.break_(h)
			err := Start(context.Background(), h.config(t, false), h.deps())
			var pe *PhaseError
			if !errors.As(err, &pe) || pe.Phase != tc.phase || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Start() = %v, want a %s-phase error with %q", err, tc.phase, tc.want)
			}
			if len(h.pods.pods) != 0 || len(h.runners.runners) != 0 {
				t.Errorf("left %d pods and %d runners; want none\n%s", len(h.pods.pods), len(h.runners.runners), h.out.String())
			}
			if !strings.Contains(h.summary(t), "failed in phase `"+string(tc.phase)+"`") {
				t.Errorf("summary does not name the phase:\n%s", h.summary(t))
			}
			h.carryState(t)
			if PostNeeded(h.deps()) {
				t.Error("after its own cleanup the start still asks the post step to clean up")
			}
		})
	}
}

// TestStartMissingLibrariesNamed: a just-in-time runner skips config.sh, where the runner
// checks for libicu and points at bin/installdependencies.sh
// (https://github.com/actions/runner/blob/main/src/Misc/layoutroot/config.sh); the start
// fails in install naming the library, not later with "exited before listening".
func TestStartMissingLibrariesNamed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.shell.answers["install"] = "cached=0\nlibs_missing=libicu\n"
	h.shell.fail["install"] = errors.New("exit status 8")
	err := Start(context.Background(), h.config(t, false), h.deps())
	var pe *PhaseError
	if !errors.As(err, &pe) || pe.Phase != "install" || !strings.Contains(err.Error(), "lacks libicu") {
		t.Fatalf("Start() = %v, want an install-phase error naming libicu", err)
	}
	if hint := Problems(err)[0].Hint; !strings.Contains(hint, "libicu") || !strings.Contains(hint, "pre-runner-script") {
		t.Errorf("hint %q does not name the library and the way out", hint)
	}
}

// TestShortJobBeforeOnlineIsNoFailure: GitHub deletes a just-in-time runner as soon as its one
// job ends (https://docs.github.com/en/rest/actions/self-hosted-runners, generate-jitconfig:
// ephemeral), so a runner that said it listens and is then gone (404) has done a job.
func TestShortJobBeforeOnlineIsNoFailure(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.runners.vanish = true
	if err := Start(context.Background(), h.config(t, false), h.deps()); err != nil {
		t.Fatalf("Start() = %v, want success: the runner listened, then its job ended\n%s", err, h.out.String())
	}
}
