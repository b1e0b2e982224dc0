package action

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/runner"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// start is one start step in progress: what it has made so far and how long each phase took.
type start struct {
	cfg    *config.Config
	d      Deps
	log    logger
	prefix string // of this leg's state names; "" for a start of one pod

	label      string
	group      string // the label every runner of a fan-out also carries; "" for one runner
	runnerName string // unique to this run
	podName    string // pod-name, else the runner's name (or gha-<label> with reuse)
	key        *remote.Key
	pin        *remote.Pin

	pod       *runpod.Pod
	provision string
	adopted   time.Time // when the pod was created, resumed or taken
	gpuType   string
	attempts  []attempt
	prices    map[string]runpod.GPUType
	fallback  string // why a stopped pod was not resumed, when it was not

	createTypes []string // GPU types to create on; nil means gpu-types
	createImage string   // image to create with; "" means image

	groupID   int64
	jit       *registration.JITConfig
	downloads []registration.Download
	facts     runner.Facts
	pkg       runner.Package
	cached    bool
	listening bool // the runner said it listens for jobs
	shell     Shell

	phase      string
	phaseBegan time.Time
	pending    string // pendingJIT or pendingCreate while such a call awaits its answer
	began      time.Time
	timings    []timing
}

type timing struct {
	Phase    string
	Duration time.Duration
}

// PhaseError is a start that failed in a phase.
type PhaseError struct {
	Phase string
	Err   error
}

func (e *PhaseError) Error() string { return fmt.Sprintf("%s: %v", e.Phase, e.Err) }
func (e *PhaseError) Unwrap() error { return e.Err }

// Start provisions a pod (or resumes one), registers a just-in-time runner on it, and waits
// until GitHub reports the runner online. When it fails or is cancelled it prints what it knows
// and removes what it made, within the cleanup budget.
func Start(ctx context.Context, cfg *config.Config, d Deps) error {
	if cfg.Legs() > 1 {
		return fanOut(ctx, cfg, d)
	}
	return newStart(cfg, d, d.WF, "").do(ctx)
}

func newStart(cfg *config.Config, d Deps, log logger, prefix string) *start {
	return &start{cfg: cfg, d: d, log: log, prefix: prefix, began: d.Now(), prices: map[string]runpod.GPUType{}}
}

// do runs the start, and on failure reports and cleans up.
func (s *start) do(ctx context.Context) error {
	err := s.run(ctx)
	if err != nil {
		s.fail(ctx, err)
	}
	if s.shell != nil {
		_ = s.shell.Close()
	}
	return err
}

func (s *start) run(ctx context.Context) error {
	if err := s.identify(); err != nil {
		return &PhaseError{Phase: "config", Err: err}
	}
	deadline, cancel := context.WithTimeout(ctx, s.cfg.StartupTimeout)
	defer cancel()
	steps := []struct {
		phase string
		limit time.Duration
		run   func(context.Context) error
	}{
		{"jit", 2 * time.Minute, s.register},
		{"create", s.cfg.StartupTimeout / 3, s.provisionPod},
		{"wait-ready", 0, s.waitReady},
		{"ssh", 5 * time.Minute, s.connect},
		{"preflight", setupLimit, s.setup}, // and on through watchdog, pre-runner, install and launch
		{"wait-online", 0, s.waitOnline},
	}
	for _, st := range steps {
		if err := s.step(deadline, st.phase, st.limit, st.run); err != nil {
			return err
		}
	}
	return s.step(ctx, "outputs", 0, s.finish)
}

// step runs one phase in a log group, bounded by limit (0: only by the start's deadline),
// recording its time and saving its name for the post step.
func (s *start) step(ctx context.Context, phase string, limit time.Duration, f func(context.Context) error) error {
	s.phase = phase
	if err := s.save(statePhase, phase); err != nil {
		return &PhaseError{Phase: phase, Err: err}
	}
	s.log.Group(phaseTitles[phase])
	defer s.log.EndGroup()
	if limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	s.phaseBegan = s.d.Now()
	err := f(ctx)
	s.timings = append(s.timings, timing{Phase: s.phase, Duration: s.d.Now().Sub(s.phaseBegan)})
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		err = fmt.Errorf("did not finish in time (startup-timeout-minutes is %g): %w", s.cfg.StartupTimeout.Minutes(), err)
	}
	return &PhaseError{Phase: s.phase, Err: err}
}

var phaseTitles = map[string]string{
	"jit":         "Register a just-in-time runner and check the RunPod key",
	"create":      "Create the pod",
	"wait-ready":  "Wait for the pod to publish SSH",
	"ssh":         "Connect over SSH",
	"preflight":   "Check the pod, install the runner and start it",
	"watchdog":    "Start the max-runtime watchdog on the pod",
	"pre-runner":  "Run pre-runner-script",
	"install":     "Install the runner",
	"launch":      "Start the runner",
	"wait-online": "Wait for the runner to come online",
	"outputs":     "Outputs",
}
