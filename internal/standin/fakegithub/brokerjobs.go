package fakegithub

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// jobMessage is the 200 body of a long poll that delivers a job.
type jobMessage struct {
	JobID  int64    `json:"jobId"`
	Script string   `json:"script"`
	Labels []string `json:"labels"`
}

// jobResult is the body of POST /_broker/jobs/{jid}/result.
type jobResult struct {
	Result   string `json:"result"`
	ExitCode int    `json:"exitCode"`
	Output   string `json:"output"`
}

// pollMessage serves GET /_broker/sessions/{sid}/message. Each poll is a
// heartbeat. It answers 200 with a job, or 204 when none came in time. The
// job is taken, and the runner busy, as soon as it is delivered.
func (s *Server) pollMessage(w http.ResponseWriter, r *http.Request, id int64) {
	timer := time.NewTimer(s.opts.pollWait())
	defer timer.Stop()
	for {
		s.mu.Lock()
		reg := s.runners[id]
		if reg == nil {
			s.mu.Unlock()
			writeMessage(w, http.StatusUnauthorized, registrationGone)
			return
		}
		if reg.session == "" || reg.session != r.PathValue("sid") {
			s.mu.Unlock()
			writeMessage(w, http.StatusNotFound, "Session not found.")
			return
		}
		reg.lastSeen = s.now()
		if j := s.assignLocked(reg); j != nil {
			msg := jobMessage{JobID: j.id, Script: j.script, Labels: j.labels}
			s.mu.Unlock()
			writeJSON(w, http.StatusOK, msg)
			return
		}
		wake := s.wake
		s.mu.Unlock()
		select {
		case <-wake:
		case <-timer.C:
			s.touch(id)
			w.WriteHeader(http.StatusNoContent)
			return
		case <-r.Context().Done():
			return
		}
	}
}

// assignLocked gives the oldest queued job the runner can run to the
// runner, if it is idle.
func (s *Server) assignLocked(reg *registration) *job {
	if reg.busy {
		return nil
	}
	var best *job
	for _, j := range s.jobs {
		if j.status == JobQueued && hasLabels(reg.labels, j.labels) && s.groupTakesLocked(reg, j) && (best == nil || j.id < best.id) {
			best = j
		}
	}
	if best != nil {
		best.status, best.runnerID, best.runnerName = JobInProgress, reg.id, reg.name
		reg.busy = true
		s.notifyLocked()
	}
	return best
}

// hasLabels reports whether have includes every label of want, ignoring case.
func hasLabels(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || strings.EqualFold(h, w)
		}
		if !found {
			return false
		}
	}
	return true
}

// touch records a heartbeat of the runner.
func (s *Server) touch(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if reg := s.runners[id]; reg != nil {
		reg.lastSeen = s.now()
	}
}

// runningJobLocked returns the in-progress job {jid} of the runner.
func (s *Server) runningJobLocked(r *http.Request, id int64) *job {
	jid, err := strconv.ParseInt(r.PathValue("jid"), 10, 64)
	if err != nil {
		return nil
	}
	j := s.jobs[jid]
	if j == nil || j.runnerID != id || j.status != JobInProgress || s.runners[id] == nil {
		return nil
	}
	return j
}

// renewJob serves POST /_broker/jobs/{jid}/renew, the heartbeat of a busy
// runner.
func (s *Server) renewJob(w http.ResponseWriter, r *http.Request, id int64) {
	s.mu.Lock()
	j := s.runningJobLocked(r, id)
	if j != nil {
		s.runners[id].lastSeen = s.now()
	}
	s.mu.Unlock()
	if j == nil {
		writeMessage(w, http.StatusNotFound, "Job not found.")
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// jobResult serves POST /_broker/jobs/{jid}/result. The job completes and,
// the runner being ephemeral, its registration is deleted.
func (s *Server) jobResult(w http.ResponseWriter, r *http.Request, id int64) {
	var res jobResult
	if err := json.NewDecoder(r.Body).Decode(&res); err != nil {
		writeMessage(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.runningJobLocked(r, id)
	if j == nil {
		writeMessage(w, http.StatusNotFound, "Job not found.")
		return
	}
	j.status, j.result, j.exitCode, j.output = JobCompleted, res.Result, res.ExitCode, res.Output
	s.deleteLocked(id)
	writeJSON(w, http.StatusOK, struct{}{})
}
