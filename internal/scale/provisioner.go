package scale

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/runpod-runner/runpod-runner/internal/action"
	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
	"github.com/runpod-runner/runpod-runner/internal/workflow"
)

// RunPod provisions a scale set's runners with the action's own start (action.StartOne): GPU
// fallback, SSH registration, the watchdog (terminateAfter and max-runtime) and cleanup on
// failure or cancel. Only the runner's registration differs: it comes from the scale set.
type RunPod struct {
	Base   action.Deps // Pods, Now, Random, CleanupTimeout; WF, Runners and SSH are per runner
	Dialer func(wf *workflow.Commands) action.Dialer
	API    ScaleSetAPI
	Scope  string // OWNER/REPO or ORG, for the pods' repository marker
	Key    string // the SSH private key warm pods accept (kept in state-dir, else one per process)
	Log    *slog.Logger
	// Downloads lists the runner packages GitHub offers (GitHubREST.Downloads): runner-version
	// latest is resolved against it for each runner, as the action's start does.
	Downloads func(ctx context.Context) ([]registration.Download, error)
}

var _ Provisioner = (*RunPod)(nil)

// Create makes a pod and starts its runner.
func (r *RunPod) Create(ctx context.Context, req Request) (Pod, error) { return r.start(ctx, req, "") }

// Resume starts a warm pod again (on REST with a new PUBLIC_KEY) and its runner: the runner
// package cached on its volume is not downloaded again.
func (r *RunPod) Resume(ctx context.Context, req Request, podID string) (Pod, error) {
	return r.start(ctx, req, podID)
}

func (r *RunPod) start(ctx context.Context, req Request, podID string) (Pod, error) {
	if podID == "" {
		types, err := withinPrice(ctx, r.Base.Pods, req.Set, req.GPUTypes)
		if err != nil {
			return Pod{}, err
		}
		req.GPUTypes = types
	}
	cfg := *req.Set.Pod
	cfg.Mode, cfg.Label, cfg.PodName, cfg.PodID, cfg.ScaleSet = config.ModeStart, req.Name, req.Name, podID, req.Set.Name
	cfg.GPUTypes, cfg.MaxRuntime, cfg.SSHPrivateKey = req.GPUTypes, req.Set.MaxRuntime, r.Key
	cfg.OnFailure = config.TerminatePod
	if req.DataCenterIDs != nil {
		cfg.DataCenterIDs = req.DataCenterIDs
	}
	if podID != "" {
		cfg.Image, cfg.TemplateID = "", ""
		cfg.OnFailure = config.StopPod // the autoscaler decides what becomes of a warm pod
	}
	cfg.Run = config.Run{ID: "scale", Attempt: "1", Repository: r.Scope, ServerURL: "https://github.com"}
	log := r.Log.With("runner", req.Name)
	lw := &logWriter{log: log}
	wf := workflow.New(stepFiles, lw)
	lw.wf = wf
	d := r.Base
	d.WF, d.Runners, d.SSH = wf, &jitRunners{api: r.API, jit: req.JIT, downloads: r.Downloads}, r.Dialer(wf)
	st, err := action.StartOne(ctx, &cfg, d)
	pod := Pod{ID: st.PodID, Name: req.Name, Running: true, GPUType: st.GPUType, DataCenter: st.DataCenter, CostPerHour: st.CostPerHour,
		NoCapacity: st.NoCapacity, NoCapacityDataCenters: st.NoCapacityDataCenters}
	if err != nil {
		if runpod.ClassOf(err) == runpod.Capacity {
			return pod, &CapacityError{GPUTypes: st.NoCapacity, DataCenters: st.NoCapacityDataCenters, Err: err}
		}
		return pod, err
	}
	return pod, nil
}

// stepFiles points the start's file commands (outputs, state, summary) at nothing: the
// autoscaler keeps what it needs itself.
func stepFiles(name string) string {
	switch name {
	case "GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_STEP_SUMMARY":
		return os.DevNull
	}
	return ""
}

// Stop stops a pod; Terminate removes it.
func (r *RunPod) Stop(ctx context.Context, podID string) error { return r.Base.Pods.Stop(ctx, podID) }
func (r *RunPod) Terminate(ctx context.Context, podID string) error {
	return r.Base.Pods.Terminate(ctx, podID)
}

// List returns the pods whose scale-set marker names the scale set. The marker is read from
// the pod's env, which is not trusted: it only selects pods of this account.
func (r *RunPod) List(ctx context.Context, scaleSet string) ([]Pod, error) {
	pods, err := r.Base.Pods.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []Pod
	for _, p := range pods {
		if p.Env[marker.ScaleSet] != scaleSet || p.Status == runpod.StatusTerminated || config.LabelProblem(p.Name) != "" {
			continue
		}
		since := p.LastStartedAt
		if since.IsZero() {
			since = p.CreatedAt
		}
		out = append(out, Pod{ID: p.ID, Name: p.Name, Running: p.Status == runpod.StatusRunning, GPUType: p.GPUTypeID,
			CostPerHour: p.CostPerHour, Since: since})
	}
	return out, nil
}

// jitRunners is the action's Runners for one runner of a scale set: its registration comes from
// the scale set, and is read and removed through the scale-set API.
type jitRunners struct {
	api       ScaleSetAPI
	jit       func(ctx context.Context) (JIT, error)
	downloads func(ctx context.Context) ([]registration.Download, error)
}

var _ action.Runners = (*jitRunners)(nil)

func (j *jitRunners) GroupID(context.Context, string) (int64, error) { return 0, nil }

func (j *jitRunners) GenerateJIT(ctx context.Context, name string, _ int64, _ []string) (*registration.JITConfig, error) {
	cfg, err := j.jit(ctx)
	if err != nil {
		return nil, err
	}
	return &registration.JITConfig{Runner: registration.Runner{ID: cfg.RunnerID, Name: name}, Encoded: cfg.Encoded}, nil
}

// Runner reports the runner online once the scale set knows it: the scale-set API tells no
// status, and the start has seen the runner say that it listens for jobs before it asks. A
// runner that is gone has come online, run its job and removed itself, as an ephemeral JIT
// runner does (a runner that failed keeps its registration, offline): that is online too, and
// its pod is retired once the start returns.
func (j *jitRunners) Runner(ctx context.Context, id int64) (*registration.Runner, error) {
	ref, err := j.api.GetRunner(ctx, int(id))
	if gone(err) {
		return &registration.Runner{ID: id, Status: "online"}, nil
	}
	if err != nil {
		return nil, err
	}
	return &registration.Runner{ID: int64(ref.ID), Name: ref.Name, Status: "online"}, nil
}

func (j *jitRunners) Delete(ctx context.Context, id int64) error {
	err := j.api.RemoveRunner(ctx, id)
	switch {
	case gone(err):
		return nil
	case busy(err):
		return &registration.Error{Op: "delete runner", Class: registration.Busy, Status: 422, Message: err.Error()}
	}
	return err
}

func (j *jitRunners) List(ctx context.Context, name string) ([]registration.Runner, error) {
	ref, err := j.api.GetRunnerByName(ctx, name)
	if err != nil || ref == nil {
		return nil, err
	}
	return []registration.Runner{{ID: int64(ref.ID), Name: ref.Name, Status: "online"}}, nil
}

// Downloads is GitHub's runner downloads list of the scope (the scale-set API has none).
func (j *jitRunners) Downloads(ctx context.Context) ([]registration.Download, error) {
	if j.downloads == nil {
		return nil, errors.New("runner downloads: no GitHub API to list them")
	}
	list, err := j.downloads(ctx)
	if err != nil {
		return nil, fmt.Errorf("runner downloads: %w", err)
	}
	return list, nil
}

// logWriter turns the start's step log into the autoscaler's log: one line each, at debug,
// warnings and errors at their level. Workflow commands the runner alone understands are
// dropped, ::add-mask:: above all, whose value is a secret.
type logWriter struct {
	log *slog.Logger
	wf  *workflow.Commands // its masks: a line holding one is withheld
	buf []byte
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := strings.IndexByte(string(w.buf), '\n')
		if i < 0 {
			return len(p), nil
		}
		w.line(string(w.buf[:i]))
		w.buf = w.buf[i+1:]
	}
}

func (w *logWriter) line(l string) {
	if w.wf != nil && !strings.HasPrefix(l, "::add-mask::") && w.wf.Leaks(l) {
		l = "(a line that holds a secret, withheld)"
	}
	switch {
	case strings.HasPrefix(l, "::error"):
		w.log.Error("start: " + after(l))
	case strings.HasPrefix(l, "::warning"):
		w.log.Warn("start: " + after(l))
	case strings.HasPrefix(l, "::group::"):
		w.log.Debug("start phase: " + strings.TrimPrefix(l, "::group::"))
	case strings.HasPrefix(l, "::"), strings.TrimSpace(l) == "":
	default:
		w.log.Debug("start: " + l)
	}
}

// after is a workflow command's message, after its second "::".
func after(l string) string {
	if i := strings.Index(l[2:], "::"); i >= 0 {
		return l[i+4:]
	}
	return l
}
