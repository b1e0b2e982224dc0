// Package metrics pushes what one step of the action did to a Prometheus Pushgateway (with
// github.com/prometheus/client_golang/prometheus/push): the time of each phase, the outcome and
// error class, and the pod's $/hour and uptime, labelled by repository, workflow, GPU type, API
// and step, so that a dashboard can show them across runs.
package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
)

// Job is the Pushgateway job every push belongs to.
const Job = "runpod_runner"

// Phase is the time one phase took.
type Phase struct {
	Name    string
	Seconds float64
}

// Report is one step's metrics.
type Report struct {
	Step       string // start or stop
	Repository string
	Workflow   string
	GPUType    string
	API        string // rest or graphql
	Phases     []Phase
	Outcome    string // success, failure or cancelled
	ErrorClass string // "" on success, else what kind of failure (see action.ErrorClass)
	// CostPerHour is the pod's price in USD; UptimeSeconds how long it has run.
	CostPerHour   float64
	UptimeSeconds float64
}

// Push sends r to the Pushgateway at url, replacing the group of its labels (so the gateway
// holds the latest step of each repository, workflow, GPU type, API and step).
func Push(ctx context.Context, url string, hc *http.Client, r Report) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	reg := prometheus.NewRegistry()
	phase := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "runpod_runner_phase_seconds",
		Help: "Time of each phase of the step, in seconds; phase total is their sum."}, []string{"phase"})
	outcome := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "runpod_runner_outcome",
		Help: "1 for the outcome of the step and its error class."}, []string{"outcome", "error_class"})
	cost := prometheus.NewGauge(prometheus.GaugeOpts{Name: "runpod_runner_pod_cost_per_hour_dollars", Help: "The pod's price, USD per hour."})
	uptime := prometheus.NewGauge(prometheus.GaugeOpts{Name: "runpod_runner_pod_uptime_seconds", Help: "How long the pod has run."})
	finished := prometheus.NewGauge(prometheus.GaugeOpts{Name: "runpod_runner_last_push_timestamp_seconds", Help: "When the step pushed."})
	reg.MustRegister(phase, outcome, cost, uptime, finished)
	total := 0.0
	for _, p := range r.Phases {
		phase.WithLabelValues(p.Name).Set(p.Seconds)
		total += p.Seconds
	}
	phase.WithLabelValues("total").Set(total)
	outcome.WithLabelValues(r.Outcome, orNone(r.ErrorClass)).Set(1)
	cost.Set(r.CostPerHour)
	uptime.Set(r.UptimeSeconds)
	finished.SetToCurrentTime()
	p := push.New(url, Job).Gatherer(reg).Client(hc)
	for _, l := range [][2]string{{"repository", r.Repository}, {"workflow", r.Workflow}, {"gpu_type", r.GPUType},
		{"api", r.API}, {"step", r.Step}} {
		p = p.Grouping(l[0], orNone(l[1]))
	}
	return p.PushContext(ctx)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
