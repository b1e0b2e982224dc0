package scale

import (
	"context"
	"time"
)

// retire removes a runner's registration and parks its pod: into the warm pool while it has
// room, else terminated. A runner that took a job in the meantime stays, busy.
func (s *setScaler) retire(ctx context.Context, sl *slot) {
	if err := s.removeRunner(ctx, sl); err != nil {
		if busy(err) {
			s.mu.Lock()
			sl.state, sl.since = stateBusy, s.d.Now()
			s.gaugesLocked()
			s.mu.Unlock()
			s.log.Info("keeping runner", "runner", sl.name, "reason", "it took a job")
			return
		}
		s.log.Error("could not remove runner registration", "runner", sl.name, "error", err.Error())
	}
	s.park(ctx, sl.podID, sl.name)
	s.budget.release(sl.name)
	s.mu.Lock()
	delete(s.slots, sl.name)
	s.gaugesLocked()
	s.mu.Unlock()
}

// removeRunner deletes the runner's registration, by id or else by name; one already gone is
// removed.
func (s *setScaler) removeRunner(ctx context.Context, sl *slot) error {
	id := sl.runnerID
	if id == 0 {
		ref, err := s.api.GetRunnerByName(ctx, sl.name)
		if err != nil || ref == nil {
			return err
		}
		id = int64(ref.ID)
	}
	if err := s.api.RemoveRunner(ctx, id); err != nil && !gone(err) {
		return err
	}
	return nil
}

// park stops the pod into the warm pool while the pool has room, else terminates it. The pod
// joins the pool once it is stopped, so that no scale-up resumes a pod still stopping; its place
// is held meanwhile, so that two parks cannot both take the last one.
func (s *setScaler) park(ctx context.Context, podID, name string) {
	if podID == "" {
		return
	}
	s.mu.Lock()
	room := len(s.warm)+s.parking < s.set.WarmPool
	if room {
		s.parking++
	}
	s.mu.Unlock()
	if !room {
		s.terminate(ctx, podID, name, "the warm pool is full")
		return
	}
	err := s.d.Pods.Stop(ctx, podID)
	s.mu.Lock()
	s.parking--
	if err == nil {
		s.warm = append(s.warm, warmPod{id: podID, name: name, since: s.d.Now()})
		s.gaugesLocked()
	}
	s.mu.Unlock()
	if err != nil {
		s.log.Error("could not stop pod", "pod", podID, "error", err.Error())
		s.terminate(ctx, podID, name, "it could not be stopped")
		return
	}
	s.d.Metrics.stopped.WithLabelValues(s.set.Name).Inc()
	s.log.Info("pod stopped into the warm pool", "pod", podID, "runner", name, "reason", "the warm pool has room")
}

// terminate removes a pod for good.
func (s *setScaler) terminate(ctx context.Context, podID, name, reason string) {
	if err := s.d.Pods.Terminate(ctx, podID); err != nil {
		s.log.Error("could not terminate pod", "pod", podID, "error", err.Error())
		return
	}
	s.d.Metrics.terminated.WithLabelValues(s.set.Name).Inc()
	s.log.Info("pod terminated", "pod", podID, "runner", name, "reason", reason)
}

// trimWarmLocked terminates warm pods stopped longer than warm-max-age (a stopped pod still
// bills for its volume) and those beyond warm-pool, oldest first.
func (s *setScaler) trimWarmLocked(now time.Time) {
	var keep []warmPod
	for i, w := range s.warm {
		extra := len(s.warm) - i - 1 // warm pods newer than this one
		switch {
		case now.Sub(w.since) > s.set.WarmMaxAge:
			s.goTerminate(w, "stopped for "+now.Sub(w.since).Round(time.Second).String()+", longer than warm-max-age")
		case extra >= s.set.WarmPool:
			s.goTerminate(w, "beyond warm-pool")
		default:
			keep = append(keep, w)
		}
	}
	s.warm = keep
}

func (s *setScaler) goTerminate(w warmPod, reason string) {
	s.go_(func(ctx context.Context) { s.terminate(ctx, w.id, w.name, reason) })
}

// gaugesLocked sets the pod gauges, the cost and the breaker from the state now.
func (s *setScaler) gaugesLocked() {
	counts := map[string]int{stateStarting: 0, stateIdle: 0, stateBusy: 0, stateWarm: len(s.warm)}
	cost := 0.0
	for _, sl := range s.slots {
		st := sl.state
		if st == stateLeaving {
			st = stateIdle
		}
		counts[st]++
		cost += sl.cost
	}
	m := s.d.Metrics
	for st, n := range counts {
		m.pods.WithLabelValues(s.set.Name, st).Set(float64(n))
	}
	m.cost.WithLabelValues(s.set.Name).Set(cost)
	for _, g := range s.set.Pod.GPUTypes {
		open := 0.0
		if s.breaker.open(g) {
			open = 1
		}
		m.breaker.WithLabelValues(s.set.Name, g).Set(open)
	}
	for _, dc := range s.set.Pod.DataCenterIDs {
		open := 0.0
		if s.dcs.open(dc) {
			open = 1
		}
		m.breakerDC.WithLabelValues(s.set.Name, dc).Set(open)
	}
}
