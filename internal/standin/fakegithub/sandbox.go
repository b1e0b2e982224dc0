package fakegithub

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// Job states.
const (
	JobQueued     = "queued"
	JobInProgress = "in_progress"
	JobCompleted  = "completed"
)

// job is a sandbox job waiting for, or run by, a runner.
type job struct {
	id         int64
	labels     []string
	script     string
	status     string
	runnerID   int64
	runnerName string
	result     string
	exitCode   int
	output     string
	from       JobSource // "" repository: any runner with the labels may take it
}

// JobStatus is a snapshot of a sandbox job.
type JobStatus struct {
	ID         int64    `json:"id"`
	Status     string   `json:"status"` // JobQueued, JobInProgress or JobCompleted
	Labels     []string `json:"labels"`
	RunnerID   int64    `json:"runner_id"`
	RunnerName string   `json:"runner_name"`
	Result     string   `json:"result"` // "Succeeded", "Failed" or "Canceled" once completed
	ExitCode   int      `json:"exit_code"`
	Output     string   `json:"output"`
}

// QueueJob queues a job that runs script with bash. The first online, idle
// runner whose labels include all of labels takes it on its next poll.
func (s *Server) QueueJob(labels []string, script string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextJob++
	j := &job{id: s.nextJob, labels: slices.Clone(labels), script: script, status: JobQueued}
	s.jobs[j.id] = j
	s.notifyLocked()
	return j.id
}

// Job returns the status of a job, and false when there is no such job.
func (s *Server) Job(id int64) (JobStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok {
		return JobStatus{}, false
	}
	return j.snapshot(), true
}

// WaitJob waits until a job has completed and returns its status.
func (s *Server) WaitJob(ctx context.Context, id int64) (JobStatus, error) {
	for {
		s.mu.Lock()
		j, ok := s.jobs[id]
		if !ok {
			s.mu.Unlock()
			return JobStatus{}, fmt.Errorf("job %d not found", id)
		}
		st, wake := j.snapshot(), s.wake
		s.mu.Unlock()
		if st.Status == JobCompleted {
			return st, nil
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return st, fmt.Errorf("wait for job %d: %w", id, ctx.Err())
		}
	}
}

// snapshot returns the exported view of the job.
func (j *job) snapshot() JobStatus {
	return JobStatus{
		ID: j.id, Status: j.status, Labels: slices.Clone(j.labels),
		RunnerID: j.runnerID, RunnerName: j.runnerName,
		Result: j.result, ExitCode: j.exitCode, Output: j.output,
	}
}

// postSandboxJob serves POST /_sandbox/jobs {"labels":[...],"script":"..."}.
func (s *Server) postSandboxJob(w http.ResponseWriter, r *http.Request) {
	setEndpoint(w, "sandbox-job")
	var req struct {
		Labels []string `json:"labels"`
		Script *string  `json:"script"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeMessage(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	if req.Script == nil {
		writeMessage(w, http.StatusUnprocessableEntity, "script is required")
		return
	}
	id := s.QueueJob(req.Labels, *req.Script)
	writeJSON(w, http.StatusCreated, map[string]int64{"id": id})
}

// getSandboxJob serves GET /_sandbox/jobs/{id}.
func (s *Server) getSandboxJob(w http.ResponseWriter, r *http.Request) {
	setEndpoint(w, "sandbox-job")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	st, ok := s.Job(id)
	if err != nil || !ok {
		writeMessage(w, http.StatusNotFound, "Job not found.")
		return
	}
	writeJSON(w, http.StatusOK, st)
}
