package action

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/runner"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// failureBudget bounds the diagnostics and cleanup of a start that failed (not cancelled).
const failureBudget = 2 * time.Minute

// fail prints what is known about a failed or cancelled start, then removes what it made.
// A cancelled start cleans up first: the runner kills it about 10 seconds after asking.
func (s *start) fail(ctx context.Context, cause error) {
	canceled := ctx.Err() != nil
	budget := failureBudget
	if canceled {
		budget = s.d.CleanupTimeout
	}
	cctx, cancel := cleanupContext(ctx, budget)
	defer cancel()
	if !canceled {
		s.diagnose(cctx)
	}
	t := target{RunnerID: s.runnerID()}
	if s.pod != nil {
		t.PodID, t.Provision = s.pod.ID, s.provision
	}
	lostErr := findLost(cctx, s.d, &t, s.cfg.Run, s.label, s.podName, s.pending)
	s.log.Group("Clean up after the failed start")
	err := errors.Join(lostErr, cleanUp(cctx, s.d, t, s.cfg.OnFailure))
	s.log.EndGroup()
	if err != nil {
		s.log.Warningf("Cleanup was not complete (%v); the post step and the stop job will try again.", err)
	} else if serr := s.save(stateCleaned, "true"); serr != nil {
		s.log.Warningf("Could not record the cleanup: %v", serr)
	}
	_ = s.addSummary(s.failureSummary(cause))
}

func (s *start) runnerID() int64 {
	if s.jit == nil {
		return 0
	}
	return s.jit.Runner.ID
}

// diagnose prints the attempts, the pod's last status and the runner's log tail.
func (s *start) diagnose(ctx context.Context) {
	s.log.Group("Diagnostics")
	defer s.log.EndGroup()
	for _, a := range s.attempts {
		s.log.Infof("Tried %s in %s: %s", a.GPUType, orAny(a.DataCenter), a.Result)
	}
	if s.pod != nil {
		if pod, err := s.d.Pods.Get(ctx, s.pod.ID); err == nil {
			s.log.Infof("Pod %s: %s, container started: %t, last status change: %s", pod.ID, pod.Status, pod.Booted, orNone(pod.LastStatusChange))
		} else if runpod.ClassOf(err) == runpod.NotFound {
			s.log.Infof("Pod %s no longer exists.", s.pod.ID)
		}
		if lines, err := s.d.Pods.Logs(ctx, s.pod.ID, 40); err == nil && len(lines) > 0 {
			s.log.Infof("RunPod's log of pod %s:", s.pod.ID)
			s.log.Untrusted(strings.Join(lines, "\n"))
		}
	}
	if s.shell != nil {
		lctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if out, err := s.output(lctx, runner.LogTailCommand(s.runnerDir(), 60), nil); err == nil && out != "" {
			s.log.Infof("Runner log tail:")
			s.log.Untrusted(out)
		}
	}
}

// failureSummary is the job summary of a failed start.
func (s *start) failureSummary(cause error) string {
	var b strings.Builder
	var pe *PhaseError
	phase := s.phase
	if errors.As(cause, &pe) {
		phase = pe.Phase
	}
	fmt.Fprintf(&b, "### RunPod runner start failed in phase `%s`\n\n", phase)
	for _, p := range Problems(cause) {
		fmt.Fprintf(&b, "%s\n\n", strings.ReplaceAll(p.Err.Error(), "\n", " "))
		if p.Hint != "" {
			fmt.Fprintf(&b, "**What to do:** %s\n\n", p.Hint)
		}
	}
	if s.pod != nil {
		fmt.Fprintf(&b, "Pod `%s` (%s) was %s; on-failure: %s.\n\n", s.pod.ID, s.pod.Name, s.provision, s.cfg.OnFailure)
	}
	b.WriteString(s.attemptTable())
	b.WriteString(s.phaseTable())
	return b.String()
}

func orAny(dc string) string {
	if dc == "" {
		return "any data center"
	}
	return dc
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
