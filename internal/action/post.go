package action

import (
	"context"

	"github.com/runpod-runner/runpod-runner/internal/config"
)

// Post is the post step of the action. After a start that did not reach ready, it removes the
// runner registration and terminates, stops or keeps the pod per on-failure. After a start that
// reached ready it leaves everything alone: the pod serves the job, and the stop job removes it.
// cfg may be nil when PostNeeded is false.
func Post(ctx context.Context, cfg *config.Config, d Deps) error {
	s := loadSaved(d)
	switch {
	case s.Phase == PhaseReady:
		d.WF.Infof("The start step finished; the pod serves the job until the stop job removes it.")
		return nil
	case !PostNeeded(d):
		d.WF.Infof("Nothing to clean up.")
		return nil
	}
	d.WF.Infof("The start step ended in phase %s without a ready runner; removing what it made.", s.Phase)
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = cleanupContext(ctx, d.CleanupTimeout)
		defer cancel()
	}
	t := target{PodID: s.PodID, Provision: s.Provision, RunnerID: s.RunnerID}
	findLost(ctx, d, &t, cfg.Run, s.Label, s.PodName, s.Phase)
	err := cleanUp(ctx, d, t, cfg.OnFailure)
	if err == nil {
		_ = d.WF.AddSummary("### RunPod runner: the post step cleaned up after a failed start\n\n" +
			"Removed what the start step made (on-failure: " + cfg.OnFailure + ").\n")
	}
	return err
}
