package action

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// stopBudget bounds a stop job's work, including waits for a busy runner.
const stopBudget = 10 * time.Minute

// busyBudget is how long stop waits for a busy runner before it stops the pod under it.
const busyBudget = 3 * time.Minute

// Teardown is the stop mode: it removes runners and stops or terminates pods (per on-stop): the
// pod named by pod-id, else the pods of label, else every pod this workflow run created (found by name prefix and env markers, so it
// works even when the start job was cancelled before it wrote outputs, and never touches another
// run's pods). Stopping what is already gone succeeds.
func Teardown(ctx context.Context, cfg *config.Config, d Deps) error {
	ctx, cancel := context.WithTimeout(ctx, stopBudget)
	defer cancel()
	pods, scope, err := findPods(ctx, cfg, d)
	if err != nil {
		return err
	}
	runners, err := findRunners(ctx, cfg, d, pods)
	if err != nil {
		return err
	}
	d.WF.Infof("Stopping %s: %d pod(s), %d runner registration(s).", scope, len(pods), len(runners))
	// A runner GitHub still calls busy gets a few minutes; then its pod goes anyway (which ends
	// the runner) and the registration is removed after.
	busyCtx, cancelBusy := context.WithTimeout(ctx, busyBudget)
	pending := removeRunners(busyCtx, d, runners)
	cancelBusy()
	var errs []error
	for _, p := range pods {
		if p.Status == runpod.StatusExited && cfg.OnStop == config.StopPod {
			d.WF.Infof("Pod %s is stopped already.", p.ID)
			continue
		}
		err := applyPodPolicy(ctx, d, p.ID, cfg.OnStop)
		errs = append(errs, err)
		if err == nil && cfg.OnStop == config.StopPod {
			reportStopped(ctx, d, p.ID)
		}
	}
	for _, r := range removeRunners(ctx, d, pending) {
		errs = append(errs, fmt.Errorf("runner %s (id %d) could not be removed", r.Name, r.ID))
	}
	_ = d.WF.AddSummary(stopSummary(scope, pods, cfg.OnStop, errors.Join(errs...)))
	return errors.Join(errs...)
}

// findPods returns the pods stop acts on and a description of how they were chosen.
func findPods(ctx context.Context, cfg *config.Config, d Deps) ([]runpod.Pod, string, error) {
	if len(cfg.PodIDs) > 0 {
		var pods []runpod.Pod
		for _, id := range cfg.PodIDs {
			pod, err := d.Pods.Get(ctx, id)
			if runpod.ClassOf(err) == runpod.NotFound {
				d.WF.Infof("Pod %s does not exist (any more).", id)
				continue
			}
			if err != nil {
				return nil, "", err
			}
			pods = append(pods, *pod)
		}
		return pods, "pod " + strings.Join(cfg.PodIDs, ", "), nil
	}
	all, err := d.Pods.List(ctx)
	if err != nil {
		return nil, "", err
	}
	scope := "the pods of workflow run " + cfg.Run.ID
	if cfg.Label != "" {
		scope = "the pods of label " + cfg.Label
	}
	var out []runpod.Pod
	for _, p := range all {
		if p.Env[marker.Repo] != cfg.Run.Repository || p.Env[marker.Run] != cfg.Run.ID || !strings.HasPrefix(p.Name, cfg.Run.RunPrefix()) {
			continue
		}
		if cfg.Label == "" || p.Env[marker.Label] == cfg.Label || p.Env[marker.Group] == cfg.Label {
			out = append(out, p)
		}
	}
	return out, scope, nil
}

// findRunners returns the registrations that belong with the pods: by name for a pod-id, by
// label, or by the run's name prefix, so that a registration whose pod never came is found too.
func findRunners(ctx context.Context, cfg *config.Config, d Deps, pods []runpod.Pod) ([]registration.Runner, error) {
	all, err := d.Runners.List(ctx, "")
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, p := range pods {
		names[p.Name] = true
	}
	var out []registration.Runner
	for _, r := range all {
		switch {
		case names[r.Name],
			len(cfg.PodIDs) == 0 && cfg.Label != "" && slices.Contains(r.Labels, cfg.Label) && strings.HasPrefix(r.Name, cfg.Run.RunPrefix()),
			len(cfg.PodIDs) == 0 && cfg.Label == "" && strings.HasPrefix(r.Name, cfg.Run.RunPrefix()):
			out = append(out, r)
		}
	}
	return out, nil
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
func reportStopped(ctx context.Context, d Deps, id string) {
	cost := "RunPod reports no hourly cost for it now; its volume is billed as storage"
	if pod, err := d.Pods.Get(ctx, id); err == nil && pod.CostPerHour > 0 {
		cost = fmt.Sprintf("RunPod reports $%.3f/hour for it while stopped", pod.CostPerHour)
	}
	d.WF.Noticef("Pod %s is stopped and keeps its volume (%s). Resume it with pod-id: %s.", id, cost, id)
}
