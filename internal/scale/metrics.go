package scale

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the autoscaler's Prometheus metrics, on a registry of their own.
type Metrics struct {
	Registry    *prometheus.Registry
	pods        *prometheus.GaugeVec
	desired     *prometheus.GaugeVec
	created     *prometheus.CounterVec
	resumed     *prometheus.CounterVec
	stopped     *prometheus.CounterVec
	terminated  *prometheus.CounterVec
	failures    *prometheus.CounterVec
	jobsStarted *prometheus.CounterVec
	jobsDone    *prometheus.CounterVec
	toOnline    *prometheus.HistogramVec
	cost        *prometheus.GaugeVec
	breaker     *prometheus.GaugeVec
	breakerDC   *prometheus.GaugeVec
	held        *prometheus.CounterVec
	session     *prometheus.GaugeVec
}

const ns = "runpod_runner_scale_"

// NewMetrics registers every metric, with each scale set's series at zero.
func NewMetrics(sets []ScaleSet) *Metrics {
	set := []string{"scale_set"}
	m := &Metrics{
		Registry:    prometheus.NewRegistry(),
		pods:        prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: ns + "pods", Help: "Pods by state: starting, idle, busy, warm (stopped, kept for resume)."}, []string{"scale_set", "state"}),
		desired:     prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: ns + "desired_runners", Help: "min(max-runners, min-runners + assigned jobs)."}, set),
		created:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: ns + "pods_created_total", Help: "Pods created."}, set),
		resumed:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: ns + "pods_resumed_total", Help: "Warm pods resumed."}, set),
		stopped:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: ns + "pods_stopped_total", Help: "Pods stopped into the warm pool."}, set),
		terminated:  prometheus.NewCounterVec(prometheus.CounterOpts{Name: ns + "pods_terminated_total", Help: "Pods terminated."}, set),
		failures:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: ns + "provision_failures_total", Help: "Runners that could not be provisioned, by class: capacity, error."}, []string{"scale_set", "class"}),
		jobsStarted: prometheus.NewCounterVec(prometheus.CounterOpts{Name: ns + "jobs_started_total", Help: "Jobs started on the scale set's runners."}, set),
		jobsDone:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: ns + "jobs_completed_total", Help: "Jobs completed, by result."}, []string{"scale_set", "result"}),
		toOnline: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: ns + "job_to_runner_online_seconds", Help: "From the assigned job that asked for a runner to the runner online; start is cold (created) or warm (resumed).",
			Buckets: []float64{1, 2, 5, 10, 20, 30, 60, 90, 120, 180, 300, 600}}, []string{"scale_set", "start"}),
		cost:      prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: ns + "cost_per_hour_dollars", Help: "US dollars per hour of the pods running now."}, set),
		breaker:   prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: ns + "breaker_open", Help: "1 while a GPU type that had no capacity is skipped for its cool-down."}, []string{"scale_set", "gpu_type"}),
		breakerDC: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: ns + "data_center_breaker_open", Help: "1 while a data center that had no capacity is skipped for its cool-down."}, []string{"scale_set", "data_center"}),
		held:      prometheus.NewCounterVec(prometheus.CounterOpts{Name: ns + "scale_up_held_total", Help: "Runners not started, by reason: budget (max-hourly-spend), breaker (every GPU type or every data center cooling down)."}, []string{"scale_set", "reason"}),
		session:   prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: ns + "session_live", Help: "1 while the scale set's message session is open."}, set),
	}
	m.Registry.MustRegister(m.pods, m.desired, m.created, m.resumed, m.stopped, m.terminated, m.failures,
		m.jobsStarted, m.jobsDone, m.toOnline, m.cost, m.breaker, m.breakerDC, m.held, m.session)
	for _, s := range sets {
		for _, st := range []string{stateStarting, stateIdle, stateBusy, stateWarm} {
			m.pods.WithLabelValues(s.Name, st)
		}
		for _, v := range []*prometheus.CounterVec{m.created, m.resumed, m.stopped, m.terminated, m.jobsStarted} {
			v.WithLabelValues(s.Name)
		}
		m.desired.WithLabelValues(s.Name)
		m.cost.WithLabelValues(s.Name)
		m.session.WithLabelValues(s.Name)
	}
	return m
}
