package scale

import (
	"context"
	"fmt"
	"slices"
)

// adopt converges with what a previous instance left (after a restart or a kill -9): stopped
// pods of the scale set join the warm pool; a running pod whose runner runs a job is kept busy;
// any other running pod holds no live runner, so its registration (if any) is removed and the
// pod parked. A runner is only ever registered once its pod exists under the runner's name
// (Request.JIT), so no runner is left without a pod.
func (s *setScaler) adopt(ctx context.Context) error {
	pods, err := s.d.Pods.List(ctx, s.set.Name)
	if err != nil {
		return fmt.Errorf("scale set %s: list its pods: %w", s.set.Name, err)
	}
	for _, p := range pods {
		if !p.Running {
			s.mu.Lock()
			s.warm = append(s.warm, warmPod{id: p.ID, name: p.Name, since: p.Since})
			s.mu.Unlock()
			s.log.Info("adopted warm pod", "pod", p.ID, "runner", p.Name, "reason", "stopped pod of this scale set")
		}
	}
	s.mu.Lock()
	s.sortWarmLocked()
	s.mu.Unlock()
	for _, p := range pods {
		if !p.Running {
			continue
		}
		sl := &slot{name: p.Name, podID: p.ID, state: stateLeaving, since: s.d.Now(), cost: p.CostPerHour}
		s.mu.Lock()
		s.slots[p.Name] = sl
		s.mu.Unlock()
		s.budget.set(p.Name, p.CostPerHour)
		s.log.Info("found running pod", "pod", p.ID, "runner", p.Name, "reason", "left by a previous instance; removing its runner unless it runs a job")
		s.retire(ctx, sl) // a busy runner is kept, busy
	}
	s.mu.Lock()
	s.sortWarmLocked()
	s.trimWarmLocked(s.d.Now())
	s.gaugesLocked()
	s.mu.Unlock()
	return nil
}

// sortWarmLocked orders the warm pool oldest first.
func (s *setScaler) sortWarmLocked() {
	slices.SortFunc(s.warm, func(a, b warmPod) int { return a.since.Compare(b.since) })
}
