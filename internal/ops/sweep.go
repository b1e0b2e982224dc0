package ops

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/metrics"

	"github.com/runpod-runner/runpod-runner/internal/sweep"
)

var sweepHelp = help{"sweep [--repo OWNER/REPO | --all-repos] [--max-age 24h] [--keep-stopped 7d] [--dry-run] [--json] [--pushgateway URL]",
	"Remove what no workflow run will clean up: pods of runpod-runner whose workflow run has completed, that run " +
		"beyond --max-age or stay stopped beyond --keep-stopped, and offline runners named like the action's whose " +
		"pod is gone. Pods of other repositories and pods without the action's markers are never touched, unless --all-repos " +
		"(which sweeps every repository whose marked pods the account holds)"}

// sweepItem is one swept object in --json output.
type sweepItem struct {
	Kind        string  `json:"kind"`
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Repository  string  `json:"repository"`
	Status      string  `json:"status"`
	Reason      string  `json:"reason"`
	CostPerHour float64 `json:"costPerHour"`
	Removed     bool    `json:"removed"`
	Error       string  `json:"error,omitempty"`
}

// RunSweep runs runpod-runner sweep.
func RunSweep(ctx context.Context, args []string, env Env) error {
	c := newCLI(env)
	fs := c.flags("sweep")
	repo := fs.String("repo", env.Getenv("GITHUB_REPOSITORY"), "the repository whose pods and runners to sweep (default $GITHUB_REPOSITORY)")
	allRepos := fs.Bool("all-repos", false, "sweep every repository the account's marked pods belong to")
	org := fs.String("org", "", "the runners are registered in this organization, not in each repository")
	maxAge := fs.String("max-age", "24h", "remove pods running longer than this (since they last started); 0 for no limit")
	keepStopped := fs.String("keep-stopped", "7d", "remove pods stopped longer than this; 0 for no limit")
	dryRun := fs.Bool("dry-run", false, "list what would be removed, change nothing")
	asJSON := fs.Bool("json", false, "print JSON instead of a Markdown table")
	gateway := fs.String("pushgateway", "", "push the sweep's time and outcome to this Prometheus Pushgateway (step sweep); a failed push is a warning")
	if helped, err := c.parse(fs, args, sweepHelp); helped || err != nil {
		return err
	}
	rules := sweep.Rules{Repository: *repo, AllRepos: *allRepos, DryRun: *dryRun, Now: c.env.Now()}
	if err := parseLimits(&rules, *maxAge, *keepStopped); err != nil {
		return err
	}
	switch _, _, ok := cutRepo(*repo); {
	case fs.NArg() > 0:
		return usageError("sweep: unexpected arguments %q", fs.Args())
	case *allRepos && fs.Lookup("repo").Value.String() != env.Getenv("GITHUB_REPOSITORY"):
		return usageError("sweep: give --repo or --all-repos, not both")
	case !*allRepos && !ok:
		return usageError("sweep: --repo OWNER/REPO (or GITHUB_REPOSITORY) is needed, or --all-repos; got %q", *repo)
	}
	api, err := c.api()
	if err != nil {
		return err
	}
	pods, ok := api.(sweep.Pods)
	if !ok {
		return fmt.Errorf("sweep: the RunPod client cannot terminate pods")
	}
	github := func(repo string) (sweep.GitHub, error) {
		scope, ok := scopeOf(repo, *org)
		if !ok {
			return nil, fmt.Errorf("pod marker names %q, not a repository", repo)
		}
		scope.Owner, scope.Repo, _ = cutRepo(repo)
		rc, err := c.runners(scope)
		if err != nil {
			return nil, err
		}
		return rc.(sweep.GitHub), nil
	}
	began := c.env.Now()
	items, err := sweep.Plan(ctx, rules, pods, github)
	if err != nil {
		c.pushSweep(ctx, *gateway, *repo, *allRepos, began, err)
		return err
	}
	items = sweep.Apply(ctx, rules, items, pods, github)
	defer c.pushSweep(ctx, *gateway, *repo, *allRepos, began, sweep.Failed(items))
	if *asJSON {
		out := []sweepItem{}
		for _, it := range items {
			si := sweepItem{Kind: it.Kind, ID: it.ID, Name: cleanLine(it.Name), Repository: it.Repository, Status: it.Status,
				Reason: it.Reason, CostPerHour: it.CostPerHour, Removed: it.Removed}
			if it.Err != nil {
				si.Error = it.Err.Error()
			}
			out = append(out, si)
		}
		if err := writeJSON(env.Stdout, out); err != nil {
			return err
		}
	} else {
		fmt.Fprint(env.Stdout, sweep.Summary(rules, items))
	}
	return sweep.Failed(items)
}

// pushSweep pushes the sweep's time and outcome to the Pushgateway at url (none when url is
// empty), with the same code and labels as the action's steps; a failed push is a warning.
func (c *cli) pushSweep(ctx context.Context, url, repo string, allRepos bool, began time.Time, failed error) {
	if url == "" {
		return
	}
	r := metrics.Report{Step: "sweep", Repository: repo, API: strings.ToLower(c.env.Getenv("RUNPOD_API")), Outcome: "success",
		Phases: []metrics.Phase{{Name: "sweep", Seconds: c.env.Now().Sub(began).Seconds()}}}
	if allRepos {
		r.Repository = "all"
	}
	if r.API == "" {
		r.API = "rest"
	}
	if failed != nil {
		r.Outcome, r.ErrorClass = "failure", "sweep"
	}
	if err := metrics.Push(ctx, url, c.hc, r); err != nil {
		fmt.Fprintf(c.env.Stderr, "warning: could not push metrics to --pushgateway: %v\n", err)
	}
}

func parseLimits(r *sweep.Rules, maxAge, keepStopped string) error {
	var err error
	if r.MaxAge, err = sweep.ParseDuration(maxAge); err != nil {
		return usageError("sweep: --max-age: %v", err)
	}
	if r.KeepStopped, err = sweep.ParseDuration(keepStopped); err != nil {
		return usageError("sweep: --keep-stopped: %v", err)
	}
	return nil
}
