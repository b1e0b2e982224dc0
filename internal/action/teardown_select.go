package action

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// removal is what a stop removes, each with the reason it was chosen.
type removal struct {
	scope   string // how the stop chose, for the log and the summary
	pods    []runpod.Pod
	runners []registration.Runner
	why     []string // one line per pod and runner, in that order
	refused []error  // pods named by pod-id that this stop will not touch

	named     map[string]string // runner name → the pod whose marker names it
	byMarkers bool              // this run's runners (of label) go too, not only those named
}

// resolveScope is the scope a stop acts in: auto takes pod-id if set, else label if set, else
// the whole run.
func resolveScope(cfg *config.Config) config.Scope {
	if cfg.Scope != config.ScopeAuto {
		return cfg.Scope
	}
	switch {
	case len(cfg.PodIDs) > 0:
		return config.ScopePod
	case cfg.Label != "":
		return config.ScopeLabel
	}
	return config.ScopeRun
}

// choose finds what a stop removes: the pods first (RunPod is asked before GitHub, so a wrong
// RunPod key fails before anything else), then the runners that go with them.
func choose(ctx context.Context, cfg *config.Config, d Deps) (*removal, error) {
	var rm *removal
	var err error
	if resolveScope(cfg) == config.ScopePod {
		rm, err = choosePods(ctx, cfg, d)
	} else {
		rm, err = chooseByMarkers(ctx, cfg, d)
	}
	if err != nil {
		return nil, err
	}
	runners, err := d.Runners.List(ctx, "")
	if err != nil {
		return nil, err
	}
	rm.chooseRunners(cfg, runners)
	return rm, nil
}

// choosePods takes the pods named by pod-id: those this action made for this repository (or,
// with force, any), and the runner each such pod's marker names, and no other.
func choosePods(ctx context.Context, cfg *config.Config, d Deps) (*removal, error) {
	rm := &removal{scope: "pod " + strings.Join(cfg.PodIDs, ", "), named: map[string]string{}}
	for _, id := range cfg.PodIDs {
		pod, err := d.Pods.Get(ctx, id)
		if runpod.ClassOf(err) == runpod.NotFound {
			d.WF.Infof("Pod %s does not exist (any more).", id)
			continue
		}
		if err != nil {
			return nil, err
		}
		if pod.Env[marker.Repo] != cfg.Run.Repository {
			if !cfg.Force {
				rm.refused = append(rm.refused, fmt.Errorf("pod %s was not made by this action for %s (it lacks the %s marker); "+
					"it is left alone: set force: true to remove it anyway", id, cfg.Run.Repository, marker.Repo))
				continue
			}
			rm.add(*pod, "named by pod-id; force: true removes it although this action did not make it")
			continue
		}
		rm.add(*pod, "named by pod-id")
		if n := pod.Env[marker.Runner]; n != "" {
			rm.named[n] = pod.ID
		}
	}
	return rm, nil
}

// chooseByMarkers takes this run's pods (of label, with scope label) by their env markers,
// whatever their names, and this run's runners: those the pods' markers name, and those named
// for this run (of label), so that a runner whose pod never came is removed too.
func chooseByMarkers(ctx context.Context, cfg *config.Config, d Deps) (*removal, error) {
	all, err := d.Pods.List(ctx)
	if err != nil {
		return nil, err
	}
	byLabel := resolveScope(cfg) == config.ScopeLabel
	rm := &removal{scope: "the pods of workflow run " + cfg.Run.ID, named: map[string]string{}, byMarkers: true}
	if byLabel {
		rm.scope = "the pods of label " + cfg.Label
	}
	for _, p := range all {
		if p.Env[marker.Repo] != cfg.Run.Repository || p.Env[marker.Run] != cfg.Run.ID {
			continue
		}
		if byLabel && p.Env[marker.Label] != cfg.Label && p.Env[marker.Group] != cfg.Label {
			continue
		}
		rm.add(p, fmt.Sprintf("its markers name run %s, label %s", cfg.Run.ID, p.Env[marker.Label]))
		if n := p.Env[marker.Runner]; n != "" {
			rm.named[n] = p.ID
		}
	}
	return rm, nil
}

// chooseRunners takes the runners the chosen pods' markers name and, in a stop by markers, the
// runners named for this run (of label), so that a runner whose pod never came goes too.
func (rm *removal) chooseRunners(cfg *config.Config, runners []registration.Runner) {
	byLabel := resolveScope(cfg) == config.ScopeLabel
	for _, r := range runners {
		switch {
		case rm.named[r.Name] != "":
			rm.addRunner(r, "named by the runner marker of pod "+rm.named[r.Name])
		case !rm.byMarkers || !strings.HasPrefix(r.Name, cfg.Run.RunPrefix()):
		case !byLabel:
			rm.addRunner(r, "named for run "+cfg.Run.ID)
		case slices.Contains(r.Labels, cfg.Label):
			rm.addRunner(r, "named for run "+cfg.Run.ID+" and labelled "+cfg.Label)
		}
	}
}

func (rm *removal) add(p runpod.Pod, why string) {
	rm.pods = append(rm.pods, p)
	rm.why = append(rm.why, fmt.Sprintf("pod %s (%s): %s", p.ID, p.Name, why))
}

func (rm *removal) addRunner(r registration.Runner, why string) {
	rm.runners = append(rm.runners, r)
	rm.why = append(rm.why, fmt.Sprintf("runner %s (id %d): %s", r.Name, r.ID, why))
}

// announce prints, before anything is removed, a notice naming what will be and why.
func (rm *removal) announce(d Deps, cfg *config.Config) {
	how := fmt.Sprintf("scope %s", resolveScope(cfg))
	if cfg.Scope == config.ScopeAuto {
		how += " (auto: " + map[config.Scope]string{config.ScopePod: "pod-id is set", config.ScopeLabel: "label is set, pod-id is empty",
			config.ScopeRun: "pod-id and label are empty"}[resolveScope(cfg)] + ")"
	}
	if len(rm.why) == 0 {
		d.WF.Noticef("Stop, %s: nothing to remove for %s.", how, rm.scope)
		return
	}
	d.WF.Noticef("Stop, %s, removes %d pod(s) and %d runner(s) of %s:\n%s", how, len(rm.pods), len(rm.runners), rm.scope,
		"- "+strings.Join(rm.why, "\n- "))
}

func (rm *removal) refusal() error { return errors.Join(rm.refused...) }
