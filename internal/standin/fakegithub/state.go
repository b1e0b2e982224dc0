package fakegithub

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Runner status values.
const (
	StatusOnline  = "online"
	StatusOffline = "offline"
)

// Runner is a snapshot of one runner registration.
type Runner struct {
	ID      int64
	Name    string
	Repo    string // "owner/name" for repository runners
	Org     string // organization for organization runners
	GroupID int64
	Labels  []string
	OS      string
	Status  string // StatusOnline or StatusOffline
	Busy    bool
}

// registration is the server-side state of one runner.
type registration struct {
	id       int64
	name     string
	sc       scope
	group    int64
	labels   []string
	os       string
	busy     bool
	token    string
	session  string
	lastSeen time.Time
}

// statusLocked computes whether the runner is online now.
func (s *Server) statusLocked(reg *registration) string {
	if reg.session != "" && s.now().Sub(reg.lastSeen) < s.opts.OfflineAfter {
		return StatusOnline
	}
	return StatusOffline
}

// snapshotLocked returns the exported view of a registration.
func (s *Server) snapshotLocked(reg *registration) Runner {
	return Runner{
		ID:      reg.id,
		Name:    reg.name,
		Repo:    reg.sc.repo,
		Org:     reg.sc.org,
		GroupID: reg.group,
		Labels:  slices.Clone(reg.labels),
		OS:      reg.os,
		Status:  s.statusLocked(reg),
		Busy:    reg.busy,
	}
}

// Runners returns every current runner registration, ordered by ID.
func (s *Server) Runners() []Runner {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Runner, 0, len(s.runners))
	for _, reg := range s.sortedLocked(func(*registration) bool { return true }) {
		out = append(out, s.snapshotLocked(reg))
	}
	return out
}

// SetBusy sets the busy flag of a runner, as if it were running a job.
func (s *Server) SetBusy(id int64, busy bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	reg, ok := s.runners[id]
	if !ok {
		return fmt.Errorf("runner %d not found", id)
	}
	reg.busy = busy
	s.notifyLocked()
	return nil
}

// sortedLocked returns the registrations that match keep, ordered by ID.
func (s *Server) sortedLocked(keep func(*registration) bool) []*registration {
	var out []*registration
	for _, reg := range s.runners {
		if keep(reg) {
			out = append(out, reg)
		}
	}
	slices.SortFunc(out, func(a, b *registration) int { return int(a.id - b.id) })
	return out
}

// findByNameLocked returns the runner of a scope with the given name.
func (s *Server) findByNameLocked(sc scope, name string) *registration {
	for _, reg := range s.runners {
		if reg.sc == sc && strings.EqualFold(reg.name, name) {
			return reg
		}
	}
	return nil
}

// labelIDLocked returns the stable ID of a label name.
func (s *Server) labelIDLocked(name string) int64 {
	key := strings.ToLower(name)
	id, ok := s.labelIDs[key]
	if !ok {
		s.nextLabel++
		id = s.nextLabel
		s.labelIDs[key] = id
	}
	return id
}

// deleteLocked removes a registration and wakes waiting long polls.
func (s *Server) deleteLocked(id int64) {
	delete(s.runners, id)
	s.notifyLocked()
}

// notifyLocked wakes every goroutine waiting for a state change.
func (s *Server) notifyLocked() {
	close(s.wake)
	s.wake = make(chan struct{})
}
