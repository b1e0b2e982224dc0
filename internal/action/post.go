package action

import (
	"context"
	"errors"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/config"
)

// lostAttempts is how often the post step asks whether a call without an answer made something
// before it gives up and fails, naming what it could not settle.
const lostAttempts = 3

// settleLost is findLost, asked again a few times: the main step may have given up on it only
// for lack of time.
func settleLost(ctx context.Context, d Deps, t *target, run config.Run, s saved) error {
	var err error
	for i := range lostAttempts {
		if i > 0 {
			pause := d.timing().LostRetry
			d.WF.Infof("Asking again in %s: %v", pause, err)
			select {
			case <-ctx.Done():
				return err
			case <-time.After(pause):
			}
		}
		if err = findLost(ctx, d, t, run, s.Label, s.PodName, s.Pending); err == nil {
			return nil
		}
	}
	return err
}

// Post is the post step of the action. After a start that did not reach ready, it removes the
// runner registration and terminates, stops or keeps the pod per on-failure. After a start that
// reached ready it leaves everything alone: the pod serves the job, and the stop job removes it.
// cfg may be nil when PostNeeded is false.
func Post(ctx context.Context, cfg *config.Config, d Deps) error {
	if !PostNeeded(d) {
		if loadSaved(d, legPrefixes(d)[0]).Phase == PhaseReady {
			d.WF.Infof("The start step finished; the pod serves the job until the stop job removes it.")
		} else {
			d.WF.Infof("Nothing to clean up.")
		}
		return nil
	}
	budget := d.timing().PostBudget
	if ctx.Err() != nil {
		budget = d.CleanupTimeout
	}
	ctx, cancel := cleanupContext(ctx, budget)
	defer cancel()
	var errs []error
	for _, p := range legPrefixes(d) {
		s := loadSaved(d, p)
		if !s.needed() {
			continue
		}
		d.WF.Infof("The start of %s ended in phase %s without a ready runner; removing what it made.", orNone(s.Label), s.Phase)
		t := vouch(ctx, d, cfg, s, target{PodID: s.PodID, Provision: s.Provision, RunnerID: s.RunnerID})
		lostErr := settleLost(ctx, d, &t, cfg.Run, s)
		errs = append(errs, lostErr, cleanUp(ctx, d, t, cfg.OnFailure))
	}
	err := errors.Join(errs...)
	if err == nil {
		_ = d.WF.AddSummary("### RunPod runner: the post step cleaned up after a failed start\n\n" +
			"Removed what the start step made (on-failure: " + string(cfg.OnFailure) + ").\n")
	}
	return err
}
