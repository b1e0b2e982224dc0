package scale

import (
	"context"
	"fmt"
	"regexp"
	"slices"
)

// adopt converges with what a previous instance left (after a restart or a kill -9): stopped
// pods of the scale set join the warm pool; a running pod whose runner runs a job is kept busy;
// any other running pod holds no live runner, so its registration (if any) is removed and the
// pod parked. A runner is only ever registered once its pod exists under the runner's name
// (Request.JIT), but its pod may be gone since (terminated by its watchdog, by hand, or by a
// start that was killed before it removed the runner): such runners are deleted.
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
	s.removeStrays(ctx, pods)
	s.mu.Lock()
	s.sortWarmLocked()
	s.trimWarmLocked(s.d.Now())
	s.gaugesLocked()
	s.mu.Unlock()
	return nil
}

// removeStrays deletes the scale set's runners that no pod of the scale set bears the name of.
// They are looked for in the scope's runner list (GitHub's REST API; the scale-set API cannot
// list a scale set's runners) by the names the autoscaler gives (name()), and deleted by the id
// the scale-set API gives for the name, so a list that holds other ids, or none of the scale
// set's runners, deletes nothing wrong.
func (s *setScaler) removeStrays(ctx context.Context, pods []Pod) {
	if s.d.Runners == nil {
		return
	}
	list, err := s.d.Runners(ctx)
	if err != nil {
		s.log.Warn("cannot look for runners without a pod", "error", err.Error())
		return
	}
	own := regexp.MustCompile("^" + regexp.QuoteMeta(s.set.Name) + "-[0-9a-f]{8}$")
	for _, r := range list {
		if !own.MatchString(r.Name) || slices.ContainsFunc(pods, func(p Pod) bool { return p.Name == r.Name }) {
			continue
		}
		ref, err := s.api.GetRunnerByName(ctx, r.Name)
		if err != nil || ref == nil {
			continue
		}
		if err := s.api.RemoveRunner(ctx, int64(ref.ID)); err != nil && !gone(err) {
			s.log.Warn("cannot remove a runner without a pod", "runner", r.Name, "error", err.Error())
			continue
		}
		s.log.Info("removed runner", "runner", r.Name, "reason", "no pod of the scale set bears its name")
	}
}

// sortWarmLocked orders the warm pool oldest first.
func (s *setScaler) sortWarmLocked() {
	slices.SortFunc(s.warm, func(a, b warmPod) int { return a.since.Compare(b.since) })
}
