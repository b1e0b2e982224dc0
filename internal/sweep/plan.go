package sweep

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// Plan finds what a sweep removes: for each repository in scope, its pods that match a rule,
// the registrations of those pods, and its offline runners named like the action's whose pod is
// gone. github returns the client of a repository.
func Plan(ctx context.Context, r Rules, pods Pods, github func(repo string) (GitHub, error)) ([]Item, error) {
	all, err := pods.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing pods: %w", err)
	}
	repos := []string{}
	if !r.AllRepos {
		repos = append(repos, r.Repository)
	}
	for _, p := range all {
		if repo := p.Env[marker.Repo]; r.AllRepos && ours(p) && !slices.Contains(repos, repo) {
			repos = append(repos, repo)
		}
	}
	var items []Item
	for _, repo := range repos {
		gh, err := github(repo)
		if err != nil {
			return nil, err
		}
		found, err := planRepo(ctx, r, repo, all, gh)
		if err != nil {
			return nil, err
		}
		items = append(items, found...)
	}
	return items, nil
}

// planRepo plans the sweep of one repository.
func planRepo(ctx context.Context, r Rules, repo string, all []runpod.Pod, gh GitHub) ([]Item, error) {
	runners, err := gh.List(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("listing the runners of %s: %w", repo, err)
	}
	var items []Item
	swept := map[string]bool{} // names of swept pods
	completed := map[int64]bool{}
	for _, p := range all {
		if !ours(p) || p.Env[marker.Repo] != repo {
			continue
		}
		reason, err := podReason(ctx, r, p, gh, completed)
		if err != nil {
			return nil, err
		}
		if reason == "" {
			continue
		}
		swept[p.Name] = true
		items = append(items, Item{Kind: KindPod, ID: p.ID, Name: p.Name, Repository: repo, Status: p.Status, Reason: reason, CostPerHour: p.CostPerHour})
	}
	names := map[string]bool{}
	for _, p := range all {
		names[p.Name] = true
	}
	for _, rn := range runners {
		if !reRunnerName.MatchString(rn.Name) {
			continue
		}
		reason := ""
		switch {
		case swept[rn.Name] && !rn.Busy:
			reason = "its pod is swept"
		case !names[rn.Name] && rn.Status != "online" && !rn.Busy:
			reason = "offline, and its pod is gone"
		}
		if reason != "" {
			items = append(items, Item{Kind: KindRunner, ID: strconv.FormatInt(rn.ID, 10), Name: rn.Name, Repository: repo,
				Status: runnerStatus(rn), Reason: reason, runnerID: rn.ID})
		}
	}
	return items, nil
}

// podReason says why the pod goes, "" when it stays. A stopped pod is what on-stop: stop asked
// for: only keep-stopped ends it, whatever became of its run.
func podReason(ctx context.Context, r Rules, p runpod.Pod, gh GitHub, completed map[int64]bool) (string, error) {
	at := since(p)
	if p.Status == runpod.StatusExited {
		if r.KeepStopped > 0 && !at.IsZero() && r.Now.Sub(at) > r.KeepStopped {
			return fmt.Sprintf("stopped for %s, beyond keep-stopped %s", round(r.Now.Sub(at)), r.KeepStopped), nil
		}
		return "", nil
	}
	if id := runID(p); id > 0 {
		done, seen := completed[id]
		if !seen {
			var err error
			done, err = gh.RunCompleted(ctx, id)
			if registration.ClassOf(err) == registration.NotFound {
				done, err = false, nil // a deleted run, or another token's view: the other rules decide
			}
			if err != nil {
				return "", fmt.Errorf("reading workflow run %d of %s: %w", id, p.Env[marker.Repo], err)
			}
			completed[id] = done
		}
		if done {
			return fmt.Sprintf("workflow run %d has completed", id), nil
		}
	}
	if r.MaxAge > 0 && !at.IsZero() && r.Now.Sub(at) > r.MaxAge {
		return fmt.Sprintf("running for %s, beyond max-age %s", round(r.Now.Sub(at)), r.MaxAge), nil
	}
	return "", nil
}

func round(d time.Duration) time.Duration { return d.Round(time.Minute) }

func runnerStatus(r registration.Runner) string {
	if r.Busy {
		return "busy"
	}
	return r.Status
}
