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
	placed    candidate // where the created pod was asked for
	// noPublicIP are the candidates whose community pod got no public IP: not tried again.
	noPublicIP map[candidate]bool
	prices     map[string]runpod.GPUType
	fallback   string // why a stopped pod was not resumed, when it was not

	createTypes []string // GPU types to create on; nil means gpu-types
	volumeDC    string   // the data center of network-volume-id, the only one to create in
	// templatePorts are template-id's ports, which a create's ports would otherwise replace.
	templatePorts []string
	createImage   string // image to create with; "" means image

	groupID   int64
	jit       *registration.JITConfig
	downloads []registration.Download
	facts     runner.Facts
	pkg       runner.Package
	cached    bool
	listening bool // the runner said it listens for jobs
	shell     Shell

	phase      Phase
	phaseBegan time.Time // when the phase began; a phase may move on within a step
	pending    string    // pendingJIT or pendingCreate while such a call awaits its answer
	began      time.Time
	timings    []timing
}

type timing struct {
	Phase    Phase
	Duration time.Duration
}

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
	return &start{cfg: cfg, d: d, log: log, prefix: prefix, began: d.Now(), prices: map[string]runpod.GPUType{},
		noPublicIP: map[candidate]bool{}}
}

// do runs the start, and on failure reports and cleans up.
func (s *start) do(ctx context.Context) error {
	err := s.run(ctx)
	if err != nil {
		s.fail(ctx, err)
	}
	s.observe(context.WithoutCancel(ctx), err)
	if s.shell != nil {
		_ = s.shell.Close()
	}
	return err
}

func (s *start) run(ctx context.Context) error {
	if err := s.identify(); err != nil {
		return &PhaseError{Phase: PhaseConfig, Err: err}
	}
	deadline, cancel := context.WithTimeout(ctx, s.cfg.StartupTimeout)
	defer cancel()
	for _, p := range phases {
		if p.run == nil {
			continue
		}
		pctx := deadline
		if p.pastDeadline {
			pctx = ctx
		}
		if err := s.step(pctx, p); err != nil {
			return err
		}
	}
	return nil
}

// step runs one phase in a log group, bounded by its limit (and the context's deadline),
// recording its time and saving its name for the post step.
func (s *start) step(ctx context.Context, p phaseSpec) error {
	s.phase = p.phase
	if err := s.save(statePhase, string(p.phase)); err != nil {
		return &PhaseError{Phase: p.phase, Err: err}
	}
	s.log.Group(p.title)
	defer s.log.EndGroup()
	if p.limit != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.limit(s.cfg))
		defer cancel()
	}
	s.phaseBegan = s.d.Now()
	err := p.run(s, ctx)
	s.timings = append(s.timings, timing{Phase: s.phase, Duration: s.d.Now().Sub(s.phaseBegan)})
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		err = fmt.Errorf("did not finish in time (startup-timeout-minutes is %g): %w", s.cfg.StartupTimeout.Minutes(), err)
	}
	return &PhaseError{Phase: s.phase, Err: err}
}
