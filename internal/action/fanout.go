package action

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/runpod-runner/runpod-runner/internal/config"
)

// fanOut makes several runners at once, each on its own pod: runners of them, or runners per
// GPU type with fan-out per-gpu-type. Every runner carries its own label and the group's label;
// the matrix output lists them for a later job's strategy. When fewer than min-runners come
// online the step fails and removes them all; otherwise the failed ones are removed and named.
func fanOut(ctx context.Context, cfg *config.Config, d Deps) error {
	group := cfg.Label
	if group == "" {
		suffix, err := (&start{d: d}).randomSuffix(4)
		if err != nil {
			return &PhaseError{Phase: PhaseConfig, Err: err}
		}
		group = cfg.Run.DefaultLabelPrefix() + suffix
	}
	labels, types, err := cfg.LegLabels(group)
	if err != nil {
		return &PhaseError{Phase: PhaseConfig, Err: err}
	}
	if err := d.WF.SaveState(stateLegs, strconv.Itoa(len(labels))); err != nil {
		return &PhaseError{Phase: PhaseConfig, Err: err}
	}
	d.WF.Infof("Starting %d runners at once, all labelled %s: %s.", len(labels), group, strings.Join(labels, ", "))
	legs := make([]*start, len(labels))
	errs := make([]error, len(labels))
	shared := d
	shared.Pods, shared.Runners = &batchedPods{Pods: d.Pods, allTypes: cfg.GPUTypes, fresh: d.timing().BatchFresh},
		&batchedRunners{Runners: d.Runners, fresh: d.timing().BatchFresh}
	var wg sync.WaitGroup
	for i := range labels {
		c := *cfg
		c.Label, c.GPUTypes, c.Runners, c.FanOut, c.MinRunners = labels[i], types[i], 1, config.FanOutNone, 1
		if cfg.PodName != "" {
			c.PodName = cfg.PodName + strings.TrimPrefix(labels[i], group)
		}
		legs[i] = newStart(&c, shared, legLog{logger: d.WF, mark: "[" + labels[i] + "]"}, legPrefix(i))
		legs[i].group = group
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = legs[i].do(ctx)
		}()
	}
	wg.Wait()
	return concludeFanOut(ctx, cfg, d, group, legs, errs)
}

// concludeFanOut writes the outputs and summary of a fan-out, or fails it when too few runners
// came online, removing those that did.
func concludeFanOut(ctx context.Context, cfg *config.Config, d Deps, group string, legs []*start, errs []error) error {
	var ready []*start
	var failed []string
	for i, s := range legs {
		if errs[i] == nil {
			ready = append(ready, s)
		} else {
			failed = append(failed, fmt.Sprintf("%s (%v)", s.label, errs[i]))
		}
	}
	if len(ready) < cfg.MinRunners {
		cctx, cancel := cleanupContext(ctx, failureBudget)
		defer cancel()
		for _, s := range ready {
			t := target{PodID: s.pod.ID, Provision: s.provision, RunnerID: s.runnerID()}
			// Not ready any more: should this cleanup fail, the post step takes the leg again.
			_ = s.save(statePhase, string(PhaseFanOut))
			if err := cleanUp(cctx, d, t, cfg.OnFailure); err == nil {
				_ = s.save(stateCleaned, "true")
			}
		}
		_ = d.WF.AddSummary(fanOutSummary(group, legs, errs))
		return &PhaseError{Phase: PhaseFanOut, Err: fmt.Errorf("%d of %d runners came online, fewer than min-runners %d; failed: %s",
			len(ready), len(legs), cfg.MinRunners, strings.Join(failed, "; "))}
	}
	if len(failed) > 0 {
		d.WF.Warningf("%d of %d runners came online; failed and removed: %s", len(ready), len(legs), strings.Join(failed, "; "))
	}
	return errors.Join(writeOutputs(d, group, ready), d.WF.AddSummary(fanOutSummary(group, legs, errs)))
}
