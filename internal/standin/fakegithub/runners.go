package fakegithub

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// runnerJSON is a runner as the REST API returns it.
type runnerJSON struct {
	ID        int64       `json:"id"`
	Name      string      `json:"name"`
	OS        string      `json:"os"`
	Status    string      `json:"status"`
	Busy      bool        `json:"busy"`
	Ephemeral bool        `json:"ephemeral"`
	Labels    []labelJSON `json:"labels"`
}

// labelJSON is a runner label as the REST API returns it.
type labelJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// runnersPage is the body of a runner list.
type runnersPage struct {
	TotalCount int          `json:"total_count"`
	Runners    []runnerJSON `json:"runners"`
}

// runnerJSONLocked renders a registration for the REST API.
func (s *Server) runnerJSONLocked(reg *registration) runnerJSON {
	labels := make([]labelJSON, 0, len(reg.labels))
	for _, l := range reg.labels {
		labels = append(labels, labelJSON{ID: s.labelIDLocked(l), Name: l, Type: "custom"})
	}
	return runnerJSON{
		ID: reg.id, Name: reg.name, OS: reg.os, Status: s.statusLocked(reg),
		Busy: reg.busy, Ephemeral: true, Labels: labels,
	}
}

// listRunners serves GET .../actions/runners.
func (s *Server) listRunners(w http.ResponseWriter, r *http.Request, sc scope) {
	name := r.URL.Query().Get("name")
	s.mu.Lock()
	regs := s.sortedLocked(func(reg *registration) bool {
		return reg.sc == sc && (name == "" || strings.EqualFold(reg.name, name))
	})
	pg := pageOf(r, len(regs))
	page := runnersPage{TotalCount: len(regs), Runners: []runnerJSON{}}
	for _, reg := range regs[pg.start:pg.end] {
		page.Runners = append(page.Runners, s.runnerJSONLocked(reg))
	}
	s.mu.Unlock()
	pg.setLink(w, r, s.baseURL(r))
	writeJSON(w, http.StatusOK, page)
}

// lookupLocked finds the runner named by the {id} path value within the scope.
func (s *Server) lookupLocked(r *http.Request, sc scope) *registration {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil
	}
	reg := s.runners[id]
	if reg == nil || reg.sc != sc {
		return nil
	}
	return reg
}

// getRunner serves GET .../actions/runners/{id}.
func (s *Server) getRunner(w http.ResponseWriter, r *http.Request, sc scope) {
	s.mu.Lock()
	reg := s.lookupLocked(r, sc)
	var body runnerJSON
	if reg != nil {
		body = s.runnerJSONLocked(reg)
	}
	s.mu.Unlock()
	if reg == nil {
		writeError(w, http.StatusNotFound, "Not Found", docURL(epGet, sc.isOrg()))
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// deleteRunner serves DELETE .../actions/runners/{id}. A busy runner cannot
// be deleted.
func (s *Server) deleteRunner(w http.ResponseWriter, r *http.Request, sc scope) {
	doc := docURL(epDelete, sc.isOrg())
	s.mu.Lock()
	reg := s.lookupLocked(r, sc)
	switch {
	case reg == nil:
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "Not Found", doc)
	case reg.busy:
		s.mu.Unlock()
		writeError(w, http.StatusUnprocessableEntity,
			fmt.Sprintf(`Bad request - Runner "%s" is still running a job"`, reg.name), doc)
	default:
		s.deleteLocked(reg.id)
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}
}
