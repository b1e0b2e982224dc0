package action

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/retry"
)

// target is what a start made: the runner registration and the pod, and how it came by the pod.
type target struct {
	PodID     string
	Provision string
	RunnerID  int64
}

// cleanUp removes the runner registration and terminates, stops or keeps the pod per policy.
// Pods the start did not create are treated gently: a resumed pod is stopped again rather than
// terminated, and a pod that was already running is left as it was.
func cleanUp(ctx context.Context, d Deps, t target, policy config.PodPolicy) error {
	// The pod is what costs money: it goes at the same time as the runner, not after it.
	var podErr, runnerErr error
	var wg sync.WaitGroup
	if t.PodID != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			podErr = applyPodPolicy(ctx, d, t.PodID, podPolicy(t.Provision, policy))
		}()
	}
	if t.RunnerID != 0 {
		if runnerErr = deleteRunner(ctx, d, t.RunnerID); runnerErr == nil {
			d.WF.Infof("Removed runner registration %d.", t.RunnerID)
		}
	}
	wg.Wait()
	return errors.Join(runnerErr, podErr)
}

func podPolicy(provision string, policy config.PodPolicy) config.PodPolicy {
	switch {
	case provision == ProvisionExisting:
		return config.KeepPod
	case provision == ProvisionResumed && policy == config.TerminatePod:
		return config.StopPod
	}
	return policy
}

// applyPodPolicy terminates, stops or keeps a pod.
func applyPodPolicy(ctx context.Context, d Deps, podID string, policy config.PodPolicy) error {
	switch policy {
	case config.TerminatePod:
		if err := d.Pods.Terminate(ctx, podID); err != nil {
			return fmt.Errorf("terminating pod %s: %w", podID, err)
		}
		d.WF.Infof("Terminated pod %s.", podID)
	case config.StopPod:
		if err := d.Pods.Stop(ctx, podID); err != nil {
			return fmt.Errorf("stopping pod %s: %w", podID, err)
		}
		d.WF.Infof("Stopped pod %s; its volume is kept.", podID)
	default:
		d.WF.Warningf("Kept pod %s running as asked; it costs money until you stop it.", podID)
	}
	return nil
}

// deleteRunner removes a registration, retrying while GitHub says the runner is running a job.
func deleteRunner(ctx context.Context, d Deps, id int64) error {
	err := retry.Do(ctx, d.timing().BusyRunner,
		func(ctx context.Context) error { return d.Runners.Delete(ctx, id) },
		func(err error) (bool, time.Duration) { return registration.ClassOf(err) == registration.Busy, 0 },
		func(error, time.Duration) { d.WF.Infof("Runner %d is still running a job; waiting to remove it.", id) })
	if err != nil {
		return fmt.Errorf("removing runner %d: %w", id, err)
	}
	return nil
}

// findLost looks up, by their unique name, what a step may have made without living to record
// it: a pod whose create got no answer, a runner whose registration got no answer (pending
// names which). A call GitHub or RunPod answered, even with a refusal, made nothing unknown: a
// refused registration may share its name with another start's runner, which is not touched.
// When the lookup itself fails, what the call made stays unknown: the error says so, naming it,
// and the start must not be recorded as cleaned.
func findLost(ctx context.Context, d Deps, t *target, run config.Run, label, podName, pending string) error {
	if t.RunnerID == 0 && label != "" && pending == pendingJIT {
		runners, err := d.Runners.List(ctx, run.PodName(label))
		if err != nil {
			return fmt.Errorf("could not settle runner %s: its registration got no answer, and GitHub could not be asked whether it exists: %w", run.PodName(label), err)
		}
		if len(runners) > 0 {
			t.RunnerID = runners[0].ID
		}
	}
	if t.PodID == "" && label != "" && pending == pendingCreate {
		pods, err := d.Pods.List(ctx)
		if err != nil {
			return fmt.Errorf("could not settle pod %s: its create got no answer, and RunPod could not be asked whether it made the pod: %w", podName, err)
		}
		for _, p := range pods {
			if p.Name == podName && p.Env[marker.Label] == label && p.Env[marker.Run] == run.ID && p.Env[marker.Repo] == run.Repository {
				t.PodID, t.Provision = p.ID, ProvisionCreated
			}
		}
	}
	return nil
}

// cleanupContext is a context for cleanup after ctx ended or failed: it outlives ctx's
// cancellation but not the budget.
func cleanupContext(ctx context.Context, budget time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), budget)
}
