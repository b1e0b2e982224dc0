package action

import (
	"context"
	"errors"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/sweep"
)

// Sweep is mode: sweep: it removes this repository's pods whose workflow run has completed,
// that run beyond max-age or stay stopped beyond keep-stopped, and its offline runners named
// like the action's whose pod is gone; with dry-run it only lists them. The job summary lists
// each with the reason and what it was costing.
func Sweep(ctx context.Context, cfg *config.Config, d Deps) error {
	ctx, cancel := context.WithTimeout(ctx, stopBudget)
	defer cancel()
	gh, ok := d.Runners.(sweep.GitHub)
	if !ok {
		return errors.New("sweep: the GitHub client cannot read workflow runs")
	}
	rules := sweep.Rules{Repository: cfg.Owner + "/" + cfg.Repo, MaxAge: cfg.MaxAge, KeepStopped: cfg.KeepStopped,
		DryRun: cfg.DryRun, Now: d.Now()}
	// The registration client is scoped to cfg's repository (or organization), which is the
	// only repository an action's sweep reads.
	github := func(string) (sweep.GitHub, error) { return gh, nil }
	items, err := sweep.Plan(ctx, rules, d.Pods, github)
	if err != nil {
		return err
	}
	items = sweep.Apply(ctx, rules, items, d.Pods, github)
	for _, it := range items {
		verb := "Removed"
		if rules.DryRun {
			verb = "Would remove"
		} else if it.Err != nil {
			d.WF.Warningf("Could not remove %s %s: %v", it.Kind, it.ID, it.Err)
			continue
		}
		d.WF.Infof("%s %s %s (%s): %s.", verb, it.Kind, it.ID, it.Name, it.Reason)
	}
	_ = d.WF.AddSummary(sweep.Summary(rules, items))
	return sweep.Failed(items)
}
