package fakescaleset

import (
	"fmt"
	"net/http"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

// scaleSet is the server's state of one runner scale set.
type scaleSet struct {
	ID            int
	Name          string
	GroupID       int
	Labels        []string
	DisableUpdate bool
	scope         string
	created       time.Time

	session     *session
	events      []map[string]any // job messages not delivered yet
	inflight    *message         // delivered and not deleted: delivered again
	nextMsg     int
	maxCapacity int // from the last poll's X-ScaleSetMaxCapacity; -1 before any
}

type session struct {
	id, owner, token string
	lastPoll         time.Time
	polling          int
}

type message struct {
	id     int
	events []map[string]any
}

func (set *scaleSet) apply(b scaleSetBody) {
	if b.Name != "" {
		set.Name = b.Name
	}
	if len(b.Labels) > 0 {
		set.Labels = nil
		for _, l := range b.Labels {
			set.Labels = append(set.Labels, l.Name)
		}
	}
	set.DisableUpdate = b.RunnerSetting.DisableUpdate
	if set.maxCapacity == 0 {
		set.maxCapacity = -1
	}
}

// viewLocked is the scale set as the service answers it (types.go RunnerScaleSet).
func (s *Server) viewLocked(r *http.Request, set *scaleSet) map[string]any {
	var labels []map[string]string
	for _, l := range set.Labels {
		labels = append(labels, map[string]string{"name": l, "type": "System"})
	}
	return map[string]any{
		"id": set.ID, "name": set.Name, "runnerGroupId": set.GroupID, "runnerGroupName": "Default", "labels": labels,
		"RunnerSetting": map[string]bool{"disableUpdate": set.DisableUpdate}, "createdOn": set.created.UTC().Format(time.RFC3339),
		"runnerJitConfigUrl": fmt.Sprintf("http://%s/_actions/%s/_apis/runtime/runnerscalesets/%d/generatejitconfig", r.Host, r.PathValue("tenant"), set.ID),
		"statistics":         s.statsLocked(set),
	}
}

// Statistics are a scale set's counts, computed from its jobs and runners (types.go
// RunnerScaleSetStatistic): assigned counts every job of the scale set not completed, waiting
// or running (the scaleset README, "Autoscaling").
type Statistics struct {
	TotalAvailableJobs     int `json:"totalAvailableJobs"`
	TotalAcquiredJobs      int `json:"totalAcquiredJobs"`
	TotalAssignedJobs      int `json:"totalAssignedJobs"`
	TotalRunningJobs       int `json:"totalRunningJobs"`
	TotalRegisteredRunners int `json:"totalRegisteredRunners"`
	TotalBusyRunners       int `json:"totalBusyRunners"`
	TotalIdleRunners       int `json:"totalIdleRunners"`
}

func (s *Server) statsLocked(set *scaleSet) Statistics {
	var st Statistics
	for _, j := range s.jobs {
		if j.set != set.ID {
			continue
		}
		switch j.state {
		case StateAvailable:
			st.TotalAvailableJobs++
		case StateAcquired:
			st.TotalAcquiredJobs++
		case StateStarted:
			st.TotalRunningJobs++
		default:
			continue
		}
		st.TotalAssignedJobs++
	}
	for id, setID := range s.runners {
		r, ok := s.opts.GitHub.Runner(id)
		if setID != set.ID || !ok {
			continue
		}
		st.TotalRegisteredRunners++
		switch {
		case r.Busy:
			st.TotalBusyRunners++
		case r.Status == fakegithub.StatusOnline:
			st.TotalIdleRunners++
		}
	}
	return st
}

// Stats returns the statistics of a scale set by name, as its next message would carry them.
func (s *Server) Stats(name string) Statistics {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, set := range s.sets {
		if set.Name == name {
			return s.statsLocked(set)
		}
	}
	return Statistics{}
}

// ScaleSets returns the names of the scale sets, and whether each has a live session.
func (s *Server) ScaleSets() map[string]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]bool{}
	for _, set := range s.sets {
		out[set.Name] = set.session != nil
	}
	return out
}
