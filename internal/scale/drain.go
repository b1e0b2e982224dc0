package scale

import (
	"context"
	"time"
)

// drain runs after the sessions are closed (GitHub assigns no new jobs): it stops provisioning,
// lets busy runners finish for drain-timeout, then parks every other pod, into the warm pool
// while it has room, else terminated.
func (a *Autoscaler) drain() {
	deadline := a.d.Now().Add(a.cfg.DrainTimeout)
	for _, s := range a.sets {
		s.mu.Lock()
		s.draining = true
		s.mu.Unlock()
	}
	// Starts in flight may already serve a job: they finish within drain-timeout, else they are
	// cancelled and the provisioner cleans up what it made.
	for _, s := range a.sets {
		finished := make(chan struct{})
		go func() { s.wg.Wait(); close(finished) }()
		select {
		case <-finished:
		case <-time.After(time.Until(deadline)):
			s.cancel()
			<-finished
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.DrainTimeout+2*time.Minute)
	defer cancel()
	// A runner that came online as the session closed may take a job as it is removed: then
	// it is busy again, and is waited for like the others.
	for _, s := range a.sets {
		for {
			s.waitBusy(ctx, deadline)
			if !s.parkAll(ctx) {
				break
			}
		}
	}
}

// waitBusy waits until no runner is busy or the deadline passes. The session is closed, so a
// finished runner is seen by its registration going away (an ephemeral runner removes itself).
func (s *setScaler) waitBusy(ctx context.Context, deadline time.Time) {
	for {
		var busy []*slot
		s.mu.Lock()
		for _, sl := range s.slots {
			if sl.state == stateBusy {
				busy = append(busy, sl)
			}
		}
		s.mu.Unlock()
		if len(busy) == 0 {
			return
		}
		if s.d.Now().After(deadline) {
			for _, sl := range busy {
				s.log.Warn("leaving busy runner", "runner", sl.name, "pod", sl.podID,
					"reason", "drain-timeout passed; its pod's max-runtime watchdog still bounds it, and the next start adopts it")
				s.mu.Lock()
				delete(s.slots, sl.name)
				s.mu.Unlock()
			}
			return
		}
		for _, sl := range busy {
			if ref, err := s.api.GetRunnerByName(ctx, sl.name); err == nil && ref == nil {
				s.log.Info("busy runner finished", "runner", sl.name, "reason", "draining")
				s.mu.Lock()
				sl.state = stateLeaving
				s.mu.Unlock()
				s.retire(ctx, sl)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// parkAll retires every runner that is not busy, and reports whether one of them took a job
// meanwhile and is busy now.
func (s *setScaler) parkAll(ctx context.Context) (tookAJob bool) {
	s.mu.Lock()
	var rest []*slot
	for _, sl := range s.slots {
		if sl.state != stateBusy {
			sl.state = stateLeaving
			rest = append(rest, sl)
		}
	}
	s.mu.Unlock()
	for _, sl := range rest {
		s.log.Info("removing runner", "runner", sl.name, "pod", sl.podID, "reason", "shutting down")
		s.retire(ctx, sl)
		s.mu.Lock()
		tookAJob = tookAJob || sl.state == stateBusy
		s.mu.Unlock()
	}
	return tookAJob
}
