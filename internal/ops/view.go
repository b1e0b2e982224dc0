package ops

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// Runner states in a listing.
const (
	RunnerOnline  = "online"
	RunnerBusy    = "busy"
	RunnerOffline = "offline"
	RunnerGone    = "gone"    // no registration for the pod
	RunnerUnknown = "unknown" // GitHub was not asked (no GITHUB_TOKEN) or did not answer
)

// PodView is one pod in a listing: what RunPod says, the action's markers, and the state of the
// runner registered on it.
type PodView struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	Status        string  `json:"status"`
	GPUType       string  `json:"gpuType"`
	GPUCount      int     `json:"gpuCount"`
	CostPerHour   float64 `json:"costPerHour"`
	AgeSeconds    int64   `json:"ageSeconds"`
	UptimeSeconds int     `json:"uptimeSeconds"`
	// AccruedCost is $/hour × uptime: what the pod has cost since it last started.
	AccruedCost float64 `json:"accruedCost"`
	Ours        bool    `json:"ours"`
	Repository  string  `json:"repository,omitempty"`
	Run         string  `json:"run,omitempty"`
	Attempt     string  `json:"attempt,omitempty"`
	Label       string  `json:"label,omitempty"`
	Group       string  `json:"group,omitempty"`
	ScaleSet    string  `json:"scaleSet,omitempty"`
	Runner      string  `json:"runner"`
	RunnerID    int64   `json:"runnerId,omitempty"`
	SSH         string  `json:"ssh,omitempty"`
}

// Ours reports whether the pod carries the action's markers.
func Ours(p runpod.Pod) bool {
	return p.Env[marker.Repo] != "" && (p.Env[marker.Run] != "" || p.Env[marker.ScaleSet] != "")
}

func newView(p runpod.Pod, now time.Time) PodView {
	v := PodView{ID: p.ID, Name: cleanLine(p.Name), Status: p.Status, GPUType: p.GPUType, GPUCount: p.GPUCount,
		CostPerHour: p.CostPerHour, UptimeSeconds: p.UptimeSeconds, Ours: Ours(p), Runner: RunnerUnknown,
		AccruedCost: p.CostPerHour * float64(p.UptimeSeconds) / 3600}
	if !p.CreatedAt.IsZero() {
		v.AgeSeconds = int64(now.Sub(p.CreatedAt).Seconds())
	}
	if v.Ours {
		v.Repository, v.Run, v.Attempt = cleanLine(p.Env[marker.Repo]), cleanLine(p.Env[marker.Run]), cleanLine(p.Env[marker.Attempt])
		v.Label, v.Group, v.ScaleSet = cleanLine(p.Env[marker.Label]), cleanLine(p.Env[marker.Group]), cleanLine(p.Env[marker.ScaleSet])
	}
	if p.SSH != nil {
		v.SSH = fmt.Sprintf("%s:%d", p.SSH.Host, p.SSH.Port)
	}
	return v
}

// runnerOf is the registration that belongs to a pod: named like it, or carrying its label.
func runnerOf(v PodView, runners []registration.Runner) *registration.Runner {
	for i, r := range runners {
		if r.Name == v.Name || (v.Label != "" && slices.Contains(r.Labels, v.Label)) {
			return &runners[i]
		}
	}
	return nil
}

// runnerState is what GitHub says of a registration.
func runnerState(r *registration.Runner) string {
	switch {
	case r == nil:
		return RunnerGone
	case r.Busy:
		return RunnerBusy
	case r.Status == "online":
		return RunnerOnline
	}
	return RunnerOffline
}

// addRunnerStates fills in the runner of each of our pods from its repository's registrations
// (the organization's with org). Without GITHUB_TOKEN the states stay unknown.
func (c *cli) addRunnerStates(ctx context.Context, views []PodView, org string) {
	if !c.hasGitHub() {
		return
	}
	byScope := map[registration.Scope][]registration.Runner{}
	failed := map[registration.Scope]bool{}
	for i := range views {
		v := &views[i]
		if !v.Ours {
			continue
		}
		scope, ok := scopeOf(v.Repository, org)
		if !ok || failed[scope] {
			continue
		}
		if _, seen := byScope[scope]; !seen {
			runners, err := c.listRunners(ctx, scope)
			if err != nil {
				fmt.Fprintf(c.env.Stderr, "warning: runner state unknown for %s: %v\n", scope, err)
				failed[scope] = true
				continue
			}
			byScope[scope] = runners
		}
		r := runnerOf(*v, byScope[scope])
		v.Runner = runnerState(r)
		if r != nil {
			v.RunnerID = r.ID
		}
	}
}

func (c *cli) listRunners(ctx context.Context, scope registration.Scope) ([]registration.Runner, error) {
	rc, err := c.runners(scope)
	if err != nil {
		return nil, err
	}
	runners, err := rc.List(ctx, "")
	if runners == nil && err == nil {
		runners = []registration.Runner{}
	}
	return runners, err
}

// scopeOf is where a pod's runner registers: the organization when given, else the repository
// of its marker.
func scopeOf(repo, org string) (registration.Scope, bool) {
	if org != "" {
		return registration.Scope{Org: org}, true
	}
	owner, name, ok := cutRepo(repo)
	return registration.Scope{Owner: owner, Repo: name}, ok
}
