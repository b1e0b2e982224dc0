package scale

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/actions/scaleset"
)

// startLocked starts one runner: on a warm pod when there is one, else on a new pod. It returns
// false when the breaker or the budget holds the scale-up back.
func (s *setScaler) startLocked(now time.Time) bool {
	gpus := s.breaker.allowed(s.set.Pod.GPUTypes)
	var warm *warmPod
	if len(s.warm) > 0 {
		warm = &s.warm[len(s.warm)-1] // the most recently stopped: the newest runner cache
	}
	if warm == nil && len(gpus) == 0 {
		s.d.Metrics.held.WithLabelValues(s.set.Name, "breaker").Inc()
		s.log.Warn("not scaling up", "reason", "every GPU type had no capacity and is cooling down", "gpu_types", s.set.Pod.GPUTypes)
		return false
	}
	var dcs []string
	if set := s.set.Pod.DataCenterIDs; len(set) > 0 {
		dcs = s.dcs.allowed(set)
		if warm == nil && len(dcs) == 0 {
			s.d.Metrics.held.WithLabelValues(s.set.Name, "breaker").Inc()
			s.log.Warn("not scaling up", "reason", "every data center had no capacity and is cooling down", "data_centers", set)
			return false
		}
	}
	name := s.name()
	if warm != nil {
		name = warm.name
	}
	price := s.set.MaxPricePerHour
	if price == 0 {
		price = s.lastCost
	}
	if ok, spend := s.budget.reserve(name, price); !ok {
		s.d.Metrics.held.WithLabelValues(s.set.Name, "budget").Inc()
		s.log.Warn("not scaling up", "reason", fmt.Sprintf("max-hourly-spend: $%.2f/h running, another pod at $%.2f/h would pass the limit", spend, price))
		return false
	}
	sl := &slot{name: name, state: stateStarting, since: now, provisioning: true}
	s.slots[name] = sl
	req := Request{Set: s.set, Name: name, GPUTypes: gpus, DataCenterIDs: dcs, JIT: s.jit(name)}
	if warm != nil {
		w := *warm
		s.warm = s.warm[:len(s.warm)-1]
		sl.podID, sl.warm = w.id, true
		s.log.Info("scaling up", "runner", name, "pod", w.id, "how", "resume", "reason", s.reasonLocked())
		s.goProvision(func(ctx context.Context) { s.provision(ctx, sl, req, w.id, now) })
	} else {
		s.log.Info("scaling up", "runner", name, "how", "create", "gpu_types", gpus, "data_centers", dcs, "reason", s.reasonLocked())
		s.goProvision(func(ctx context.Context) { s.provision(ctx, sl, req, "", now) })
	}
	return true
}

func (s *setScaler) reasonLocked() string {
	return fmt.Sprintf("%d assigned jobs, %d min-runners, %d max-runners: want %d runners, have %d",
		s.assigned, s.set.MinRunners, s.set.MaxRunners, s.desiredLocked(), s.activeLocked()-1)
}

// jit registers the runner name with the scale set; the provisioner calls it once the pod exists.
func (s *setScaler) jit(name string) func(ctx context.Context) (JIT, error) {
	return func(ctx context.Context) (JIT, error) {
		cfg, err := s.api.GenerateJitRunnerConfig(ctx, &scaleset.RunnerScaleSetJitRunnerSetting{Name: name}, s.id)
		if err != nil {
			return JIT{}, fmt.Errorf("register runner %s with scale set %s: %w", name, s.set.Name, err)
		}
		if cfg.Runner == nil || cfg.EncodedJITConfig == "" {
			return JIT{}, fmt.Errorf("register runner %s with scale set %s: GitHub answered no runner or config", name, s.set.Name)
		}
		s.mu.Lock()
		if sl := s.slots[name]; sl != nil {
			sl.runnerID = int64(cfg.Runner.ID)
		}
		s.mu.Unlock()
		return JIT{RunnerID: int64(cfg.Runner.ID), Encoded: cfg.EncodedJITConfig}, nil
	}
}

// provision creates or resumes the pod of sl and waits for its runner to come online.
func (s *setScaler) provision(ctx context.Context, sl *slot, req Request, warmID string, asked time.Time) {
	var pod Pod
	var err error
	if warmID != "" {
		pod, err = s.d.Pods.Resume(ctx, req, warmID)
	} else {
		pod, err = s.d.Pods.Create(ctx, req)
	}
	gpus, dcs := pod.NoCapacity, pod.NoCapacityDataCenters
	var ce *CapacityError
	if errors.As(err, &ce) { // the same lists, once
		gpus, dcs = ce.GPUTypes, ce.DataCenters
	}
	for _, g := range gpus {
		if err != nil || g != pod.GPUType { // the one that placed the pod elsewhere has capacity
			s.trip(g)
		}
	}
	for _, dc := range dcs {
		if err != nil || dc != pod.DataCenter {
			s.tripDC(dc)
		}
	}
	if err != nil {
		s.failed(ctx, sl, warmID, err)
		return
	}
	s.breaker.succeed(pod.GPUType)
	s.d.Metrics.breaker.WithLabelValues(s.set.Name, pod.GPUType).Set(0)
	if pod.DataCenter != "" {
		s.dcs.succeed(pod.DataCenter)
		s.d.Metrics.breakerDC.WithLabelValues(s.set.Name, pod.DataCenter).Set(0)
	}
	start := "cold"
	if warmID != "" {
		start = "warm"
		s.d.Metrics.resumed.WithLabelValues(s.set.Name).Inc()
	} else {
		s.d.Metrics.created.WithLabelValues(s.set.Name).Inc()
	}
	took := s.d.Now().Sub(asked)
	s.d.Metrics.toOnline.WithLabelValues(s.set.Name, start).Observe(took.Seconds())
	s.budget.set(sl.name, pod.CostPerHour)
	s.mu.Lock()
	sl.podID, sl.cost, sl.provisioning = pod.ID, pod.CostPerHour, false
	s.lastCost = pod.CostPerHour
	if sl.state == stateStarting {
		sl.state, sl.since = stateIdle, s.d.Now()
	}
	s.log.Info("runner online", "runner", sl.name, "pod", pod.ID, "gpu_type", pod.GPUType, "cost_per_hour", pod.CostPerHour,
		"start", start, "seconds", took.Seconds())
	done := sl.done
	if done {
		sl.state = stateLeaving
	}
	s.gaugesLocked()
	s.mu.Unlock()
	if done {
		s.retire(context.WithoutCancel(ctx), sl)
	}
}

// failed forgets a runner that could not be provisioned. The provisioner has cleaned up what it
// made; a warm pod that could not be resumed is terminated, so the next try creates one.
func (s *setScaler) failed(ctx context.Context, sl *slot, warmID string, err error) {
	class := "error"
	var ce *CapacityError
	if errors.As(err, &ce) { // provision has tripped the breakers
		class = "capacity"
	}
	s.d.Metrics.failures.WithLabelValues(s.set.Name, class).Inc()
	s.log.Error("could not start runner", "runner", sl.name, "class", class, "error", err.Error())
	s.budget.release(sl.name)
	if warmID != "" && ctx.Err() == nil {
		tctx, cancel := context.WithTimeout(context.Background(), parkTimeout)
		s.terminate(tctx, warmID, sl.name, "the warm pod could not be resumed")
		cancel()
	}
	s.mu.Lock()
	delete(s.slots, sl.name)
	s.gaugesLocked()
	s.mu.Unlock()
}

// trip opens the breaker on a GPU type that had no capacity.
func (s *setScaler) trip(gpuType string) {
	cool := s.breaker.fail(gpuType)
	s.d.Metrics.breaker.WithLabelValues(s.set.Name, gpuType).Set(1)
	s.log.Warn("skipping GPU type", "gpu_type", gpuType, "reason", "no capacity", "cool_down", cool.String())
}

// tripDC opens the breaker on a data center that had no capacity.
func (s *setScaler) tripDC(dc string) {
	cool := s.dcs.fail(dc)
	s.d.Metrics.breakerDC.WithLabelValues(s.set.Name, dc).Set(1)
	s.log.Warn("skipping data center", "data_center", dc, "reason", "no capacity", "cool_down", cool.String())
}
