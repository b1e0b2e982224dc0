package action

import (
	"context"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// vouch keeps of t only what the start step provably made: a pod whose markers name this
// repository, run and label (or, for a pod it only resumed or took, this repository, since such
// a pod is at most stopped, never terminated), and a runner whose name is the one this run gives
// label. Anything else is left alone with a warning: the post step trusts only what it wrote.
func vouch(ctx context.Context, d Deps, cfg *config.Config, s saved, t target) target {
	if t.PodID != "" {
		pod, err := d.Pods.Get(ctx, t.PodID)
		switch {
		case runpod.ClassOf(err) == runpod.NotFound:
			d.WF.Infof("Pod %s does not exist (any more).", t.PodID)
			t.PodID = ""
		case err != nil: // kept: cleanUp meets the same error and reports it
		case !podIsOurs(pod, cfg.Run, s.Label, t.Provision):
			d.WF.Warningf("Pod %s does not carry the markers of this run and label %s; the post step leaves it alone.", t.PodID, orNone(s.Label))
			t.PodID = ""
		}
	}
	if t.RunnerID != 0 {
		r, err := d.Runners.Runner(ctx, t.RunnerID)
		switch {
		case registration.ClassOf(err) == registration.NotFound:
			t.RunnerID = 0
		case err != nil:
		case s.Label == "" || r.Name != cfg.Run.PodName(s.Label):
			d.WF.Warningf("Runner %d is not the runner this run registers for label %s; the post step leaves it alone.", t.RunnerID, orNone(s.Label))
			t.RunnerID = 0
		}
	}
	return t
}

// podIsOurs reports whether pod's markers tie it to this run and label. A pod that was resumed
// or taken as it was may keep an earlier run's markers (GraphQL cannot change a pod's env); its
// repository must still match, and the policy for it never terminates it (see podPolicy).
func podIsOurs(pod *runpod.Pod, run config.Run, label, provision string) bool {
	if pod.Env[marker.Repo] != run.Repository {
		return false
	}
	if provision == ProvisionResumed || provision == ProvisionExisting {
		return true
	}
	return label != "" && pod.Env[marker.Run] == run.ID && pod.Env[marker.Label] == label
}
