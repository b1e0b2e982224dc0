package action

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// stopBudget bounds a stop job's work, including waits for a busy runner.
const stopBudget = 10 * time.Minute

// busyBudget is how long stop waits for a busy runner before it stops the pod under it.
const busyBudget = 3 * time.Minute

// Teardown is the stop mode: it removes runners and stops or terminates pods (per on-stop), in
// the scope the inputs choose (see resolveScope): the pods named by pod-id that this action made
// and the runner each names; or this run's pods (of label), found by their env markers, so that
// it works even when the start job was cancelled before it wrote outputs, and never touches
// another run's pods. It first says what it removes and why. Stopping what is already gone
// succeeds.
func Teardown(ctx context.Context, cfg *config.Config, d Deps) error {
	began := time.Now()
	pods, err := teardown(ctx, cfg, d)
	observeStop(context.WithoutCancel(ctx), cfg, d, pods, err, time.Since(began))
	return err
}

// teardown does the stop and returns the pods it chose, as they were before it stopped them.
func teardown(ctx context.Context, cfg *config.Config, d Deps) ([]runpod.Pod, error) {
	ctx, cancel := context.WithTimeout(ctx, stopBudget)
	defer cancel()
	rm, err := choose(ctx, cfg, d)
	if err != nil {
		return nil, err
	}
	rm.announce(d, cfg)
	pods, runners, scope := rm.pods, rm.runners, rm.scope
	d.WF.Infof("Stopping %s: %d pod(s), %d runner registration(s).", scope, len(pods), len(runners))
	// A runner GitHub still calls busy gets a few minutes; then its pod goes anyway (which ends
	// the runner) and the registration is removed after.
	busyCtx, cancelBusy := context.WithTimeout(ctx, busyBudget)
	pending := removeRunners(busyCtx, d, runners)
	cancelBusy()
	errs := []error{rm.refusal()}
	for _, p := range pods {
		if runpod.Stopped(p.Status) && cfg.OnStop == config.StopPod {
			d.WF.Infof("Pod %s is stopped already.", p.ID)
			continue
		}
		err := applyPodPolicy(ctx, d, p.ID, cfg.OnStop)
		errs = append(errs, err)
		if err == nil && cfg.OnStop == config.StopPod {
			reportStopped(ctx, d, p.ID, cfg.RunPodAPI == config.APIREST)
		}
	}
	for _, r := range removeRunners(ctx, d, pending) {
		errs = append(errs, fmt.Errorf("runner %s (id %d) could not be removed", r.Name, r.ID))
	}
	_ = d.WF.AddSummary(stopSummary(scope, pods, cfg.OnStop, errors.Join(errs...)))
	return pods, errors.Join(errs...)
}

func stopSummary(scope string, pods []runpod.Pod, policy config.PodPolicy, err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### RunPod runner stopped: %s\n\n", scope)
	if len(pods) == 0 {
		b.WriteString("No pod to stop: nothing is running for it.\n")
	} else {
		b.WriteString("| Pod | Name | GPU | Uptime | $/hour | Est. cost | Action |\n|---|---|---|---:|---:|---:|---|\n")
		for _, p := range pods {
			up := time.Duration(p.UptimeSeconds) * time.Second
			fmt.Fprintf(&b, "| `%s` | %s | %d × %s | %s | %.3f | $%.3f | %s |\n", p.ID, p.Name, p.GPUCount, p.GPUType,
				up, p.CostPerHour, p.CostPerHour*up.Hours(), policy)
		}
	}
	if len(pods) > 0 && policy == config.StopPod {
		b.WriteString("\nStopped pods keep their volume, and RunPod bills it while they are stopped (storage only, no GPU). " +
			"Resume one with `pod-id: <id>` in a start step, or with `reuse: true` and the same `pod-name`; terminate it with `on-stop: terminate`.\n")
	}
	if err != nil {
		fmt.Fprintf(&b, "\n**Not everything was removed:** %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
	}
	return b.String()
}

// removeRunners deletes registrations and returns those it could not delete.
func removeRunners(ctx context.Context, d Deps, runners []registration.Runner) []registration.Runner {
	var left []registration.Runner
	for _, r := range runners {
		if err := deleteRunner(ctx, d, r.ID); err != nil {
			d.WF.Warningf("Could not remove runner %s yet: %v", r.Name, err)
			left = append(left, r)
			continue
		}
		d.WF.Infof("Removed runner %s (id %d).", r.Name, r.ID)
	}
	return left
}

// reportStopped says what a stopped pod still costs, when RunPod reports it, and how to resume it.
// Only REST's cost is what the pod costs now ("0.0 when EXITED or TERMINATED",
// https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, Pod.cost); GraphQL's
// costPerHr is the pod's rate whatever its state, so it is quoted as the rate when running.
func reportStopped(ctx context.Context, d Deps, id string, rest bool) {
	cost := "RunPod reports no hourly cost for it now; its volume is billed as storage"
	pod, err := d.Pods.Get(ctx, id)
	switch {
	case err != nil || pod.CostPerHour <= 0:
	case rest:
		cost = fmt.Sprintf("RunPod reports $%.3f/hour for it while stopped", pod.CostPerHour)
	default:
		cost = fmt.Sprintf("it costs $%.3f/hour once resumed; while stopped its volume is billed as storage", pod.CostPerHour)
	}
	d.WF.Noticef("Pod %s is stopped and keeps its volume (%s). Resume it with pod-id: %s.", id, cost, id)
}
