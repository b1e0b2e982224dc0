package fakegithub

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// docRun documents GET /repos/{owner}/{repo}/actions/runs/{run_id}.
const docRun = "https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run"

// Workflow run statuses and conclusions as GitHub reports them
// (https://docs.github.com/en/rest/actions/workflow-runs#get-a-workflow-run: status is one of
// requested, in_progress, completed, queued, pending, waiting; conclusion is null until the run
// completes).
const (
	RunQueued     = "queued"
	RunInProgress = "in_progress"
	RunCompleted  = "completed"
)

// WorkflowRun is a workflow run of a repository.
type WorkflowRun struct {
	ID         int64
	Status     string
	Conclusion string // "" until completed
	Attempt    int
}

// SetWorkflowRun creates or changes a workflow run of repo ("owner/name").
func (s *Server) SetWorkflowRun(repo string, run WorkflowRun) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if run.Attempt == 0 {
		run.Attempt = 1
	}
	s.runs[fmt.Sprintf("%s#%d", repo, run.ID)] = run
}

// runJSON is the part of a workflow run object
// (https://docs.github.com/en/rest/actions/workflow-runs#get-a-workflow-run) the stand-in fills.
type runJSON struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Status     string  `json:"status"`
	Conclusion *string `json:"conclusion"`
	RunAttempt int     `json:"run_attempt"`
	HTMLURL    string  `json:"html_url"`
	CreatedAt  string  `json:"created_at"`
	UpdatedAt  string  `json:"updated_at"`
}

// getWorkflowRun answers GET /repos/{owner}/{repo}/actions/runs/{run_id}: the run, or 404
// Not Found for a run the repository does not have (as for any unknown resource).
func (s *Server) getWorkflowRun(w http.ResponseWriter, r *http.Request, sc scope) {
	id, err := strconv.ParseInt(r.PathValue("run_id"), 10, 64)
	s.mu.Lock()
	run, ok := s.runs[fmt.Sprintf("%s#%d", sc.repo, id)]
	now := s.now().UTC().Format(time.RFC3339)
	s.mu.Unlock()
	if err != nil || !ok {
		writeError(w, http.StatusNotFound, "Not Found", docRun)
		return
	}
	out := runJSON{ID: run.ID, Name: "ci", Status: run.Status, RunAttempt: run.Attempt,
		HTMLURL: fmt.Sprintf("https://github.com/%s/actions/runs/%d", sc.repo, run.ID), CreatedAt: now, UpdatedAt: now}
	if run.Conclusion != "" {
		out.Conclusion = &run.Conclusion
	}
	writeJSON(w, http.StatusOK, out)
}
