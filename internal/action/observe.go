package action

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/metrics"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// ErrorClass names the kind of a step's failure for dashboards: the phase it failed in and the
// class of the API error under it (runpod:capacity, github:auth, …), or "" for none.
func ErrorClass(err error) string {
	if err == nil {
		return ""
	}
	class := "other"
	switch {
	case errors.Is(err, context.Canceled):
		class = "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		class = "timeout"
	case runpod.ClassOf(err) != runpod.OK:
		class = "runpod:" + strings.ReplaceAll(runpod.ClassOf(err).String(), " ", "-")
	case registration.ClassOf(err) != registration.OK:
		class = "github:" + registrationClass(registration.ClassOf(err))
	}
	var pe *PhaseError
	if errors.As(err, &pe) {
		return string(pe.Phase) + "/" + class
	}
	return class
}

func registrationClass(c registration.Class) string {
	return map[registration.Class]string{registration.Transient: "transient", registration.Auth: "auth", registration.Invalid: "invalid",
		registration.NotFound: "not-found", registration.Busy: "busy", registration.Conflict: "conflict", registration.Canceled: "canceled"}[c]
}

// Outcome is success, cancelled or failure.
func Outcome(err error) string {
	switch {
	case err == nil:
		return "success"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	return "failure"
}

// Report is the metrics of a step for cfg's run, before its phases and pod are filled in.
func Report(cfg *config.Config, step string, err error) metrics.Report {
	return metrics.Report{Step: step, Repository: cfg.Run.Repository, Workflow: cfg.Run.Workflow, API: cfg.RunPodAPI,
		Outcome: Outcome(err), ErrorClass: ErrorClass(err)}
}

// observe hands the start's metrics to Deps.Observe.
func (s *start) observe(ctx context.Context, err error) {
	if s.d.Observe == nil {
		return
	}
	r := Report(s.cfg, "start", err)
	r.GPUType = s.gpuType
	for _, t := range s.timings {
		r.Phases = append(r.Phases, metrics.Phase{Name: string(t.Phase), Seconds: t.Duration.Seconds()})
	}
	if s.pod != nil {
		r.CostPerHour, r.UptimeSeconds = s.costPerHour(), float64(s.pod.UptimeSeconds)
	}
	s.d.Observe(ctx, r)
}

// observeStop hands the stop's metrics to Deps.Observe: one report per pod it stopped, with the
// pod's GPU type, $/hour and uptime as the stop found it (the Pushgateway keeps one group per GPU
// type), or one report without a pod when there was none.
func observeStop(ctx context.Context, cfg *config.Config, d Deps, pods []runpod.Pod, err error, took time.Duration) {
	if d.Observe == nil {
		return
	}
	r := Report(cfg, "stop", err)
	r.Phases = []metrics.Phase{{Name: "stop", Seconds: took.Seconds()}}
	if len(pods) == 0 {
		d.Observe(ctx, r)
	}
	for _, p := range pods {
		r.GPUType = cmp.Or(p.GPUTypeID, p.GPUType)
		r.CostPerHour, r.UptimeSeconds = p.CostPerHour, float64(p.UptimeSeconds)
		d.Observe(ctx, r)
	}
}

// timingsJSON is the timings output: phase → seconds, to the millisecond.
func (s *start) timingsJSON() string {
	m := map[string]float64{}
	for _, t := range s.timings {
		m[string(t.Phase)] += math.Round(t.Duration.Seconds()*1000) / 1000
	}
	b, _ := json.Marshal(m) // a map of strings to numbers always encodes
	return string(b)
}
