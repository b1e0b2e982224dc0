package fakescaleset

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

// Job states, in GitHub's order: a queued job is assigned to a scale set whose labels it asks
// for (JobAvailable), acquired by its listener (JobAssigned), started by one of its runners
// (JobStarted) and completed (JobCompleted). An available job nobody acquires within
// AcquireTimeout is cancelled and queued again, at most three times (the scaleset README, "Job
// Reassignment"; types.go message types).
const (
	StateQueued    = "queued"
	StateAvailable = "assigned"
	StateAcquired  = "acquired"
	StateStarted   = "started"
	StateCompleted = "completed"
)

// maxAssignments is how often a job is assigned before GitHub gives up on it.
const maxAssignments = 3

type job struct {
	id          int64 // the runner request id
	labels      []string
	script      string
	state       string
	set         int
	assignments int
	notBefore   time.Time
	queued      time.Time
	assignedAt  time.Time
	ghJob       int64
	runner      int64
	runnerName  string
	result      string
}

// Job is a snapshot of one job.
type Job struct {
	ID          int64
	State       string
	ScaleSet    string
	RunnerID    int64
	RunnerName  string
	Result      string // succeeded, failed or canceled once completed
	Assignments int
	Queued      time.Time
	Started     time.Time
}

// Queue queues a workflow job that runs script on a runner whose labels include labels
// (runs-on), and returns its id.
func (s *Server) Queue(labels []string, script string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextJob++
	s.jobs[s.nextJob] = &job{id: s.nextJob, labels: slices.Clone(labels), script: script, state: StateQueued, queued: time.Now()}
	s.notifyLocked()
	return s.nextJob
}

// Jobs returns every job, by id.
func (s *Server) Jobs() []Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Job
	for _, j := range s.jobs {
		name := ""
		if set := s.sets[j.set]; set != nil {
			name = set.Name
		}
		out = append(out, Job{ID: j.id, State: j.state, ScaleSet: name, RunnerID: j.runner, RunnerName: j.runnerName,
			Result: j.result, Assignments: j.assignments, Queued: j.queued})
	}
	slices.SortFunc(out, func(a, b Job) int { return int(a.ID - b.ID) })
	return out
}

// WaitDone waits until every job has completed.
func (s *Server) WaitDone(ctx context.Context) error {
	for {
		s.mu.Lock()
		left, wake := 0, s.wake
		for _, j := range s.jobs {
			if j.state != StateCompleted {
				left++
			}
		}
		s.mu.Unlock()
		if left == 0 {
			return nil
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return fmt.Errorf("%d jobs not completed: %w", left, ctx.Err())
		}
	}
}

// tick moves the jobs along, on every change in the GitHub stand-in and every few milliseconds.
func (s *Server) tick() {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		case <-s.opts.GitHub.Changed():
		}
		s.mu.Lock()
		s.stepLocked(time.Now())
		s.mu.Unlock()
	}
}

func (s *Server) stepLocked(now time.Time) {
	changed := false
	for _, set := range s.sets {
		if set.session != nil && !s.liveLocked(set) {
			set.session = nil // the owner stopped polling: the session expires
			changed = true
		}
	}
	for _, id := range s.sortedJobsLocked() {
		j := s.jobs[id]
		before := j.state
		switch j.state {
		case StateQueued:
			s.assignLocked(j, now)
		case StateAvailable:
			if now.Sub(j.assignedAt) > s.opts.AcquireTimeout {
				s.requeueLocked(j, now)
			}
		case StateAcquired, StateStarted:
			s.followLocked(j)
		}
		changed = changed || j.state != before
	}
	if changed {
		s.notifyLocked()
	}
}

func (s *Server) sortedJobsLocked() []int64 {
	var ids []int64
	for id := range s.jobs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// assignLocked gives a queued job to the first scale set that has all its labels and room
// under the capacity its listener reported.
func (s *Server) assignLocked(j *job, now time.Time) {
	if now.Before(j.notBefore) {
		return
	}
	for _, id := range s.sortedSetsLocked() {
		set := s.sets[id]
		if !hasLabels(set.Labels, j.labels) {
			continue
		}
		if set.maxCapacity >= 0 && s.statsLocked(set).TotalAssignedJobs >= set.maxCapacity {
			return
		}
		j.state, j.set, j.assignedAt = StateAvailable, set.ID, now
		j.assignments++
		set.events = append(set.events, s.eventLocked(j, "JobAvailable", set))
		return
	}
}

func (s *Server) sortedSetsLocked() []int {
	var ids []int
	for id := range s.sets {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// requeueLocked cancels an assignment nobody acquired: JobCompleted with result canceled, and
// the job is queued again after a delay that grows, or completed after the third time.
func (s *Server) requeueLocked(j *job, now time.Time) {
	set := s.sets[j.set]
	j.result = "canceled"
	if set != nil {
		set.events = append(set.events, s.eventLocked(j, "JobCompleted", set))
	}
	j.result = ""
	if j.assignments >= maxAssignments {
		j.state, j.result = StateCompleted, "canceled"
		return
	}
	j.state, j.set = StateQueued, 0
	j.notBefore = now.Add(time.Duration(j.assignments) * s.opts.AcquireTimeout / 4)
}

// followLocked follows an acquired job in the GitHub stand-in, where a runner of the scale set
// takes it from the broker.
func (s *Server) followLocked(j *job) {
	st, ok := s.opts.GitHub.Job(j.ghJob)
	set := s.sets[j.set]
	if !ok || set == nil {
		return
	}
	if j.state == StateAcquired && st.Status != fakegithub.JobQueued {
		j.state, j.runner, j.runnerName = StateStarted, st.RunnerID, st.RunnerName
		set.events = append(set.events, s.eventLocked(j, "JobStarted", set))
	}
	if j.state == StateStarted && st.Status == fakegithub.JobCompleted {
		j.state, j.result = StateCompleted, strings.ToLower(st.Result)
		set.events = append(set.events, s.eventLocked(j, "JobCompleted", set))
	}
}

// eventLocked is one job message as the client decodes it (types.go JobMessageBase).
func (s *Server) eventLocked(j *job, kind string, set *scaleSet) map[string]any {
	owner, repo, _ := strings.Cut(set.scope, "/")
	e := map[string]any{
		"messageType": kind, "runnerRequestId": j.id, "repositoryName": repo, "ownerName": owner,
		"jobId": fmt.Sprintf("job-%d", j.id), "jobWorkflowRef": set.scope + "/.github/workflows/ci.yml@refs/heads/main",
		"jobDisplayName": fmt.Sprintf("job %d", j.id), "workflowRunId": 1000 + j.id, "eventName": "push",
		"requestLabels": j.labels, "queueTime": j.queued.UTC(), "scaleSetAssignTime": j.assignedAt.UTC(),
	}
	switch kind {
	case "JobAvailable":
		e["acquireJobUrl"] = fmt.Sprintf("/_apis/runtime/runnerscalesets/%d/acquirejobs", set.ID)
	case "JobStarted", "JobCompleted":
		e["runnerId"], e["runnerName"] = j.runner, j.runnerName
	}
	if kind == "JobCompleted" {
		e["result"], e["finishTime"] = j.result, time.Now().UTC()
	}
	return e
}

// acquireJobs serves POST runnerscalesets/{id}/acquirejobs [ids] with the session's token:
// 200 {count, value} with the ids that were available to this scale set, now acquired
// (session_client.go acquireJobs). Each is handed to the GitHub stand-in, where an idle runner
// with the scale set's labels takes it.
func (s *Server) acquireJobs(w http.ResponseWriter, r *http.Request) {
	var ids []int64
	if err := json.NewDecoder(r.Body).Decode(&ids); err != nil {
		writeException(w, http.StatusBadRequest, "ArgumentException", "the body must be a list of runner request ids")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	set := s.queueSetLocked(w, r)
	if set == nil {
		return
	}
	acquired := []int64{}
	for _, id := range ids {
		j := s.jobs[id]
		if j == nil || j.set != set.ID || j.state != StateAvailable {
			continue
		}
		j.state = StateAcquired
		j.ghJob = s.opts.GitHub.QueueJob([]string{set.Name}, j.script)
		set.events = append(set.events, s.eventLocked(j, "JobAssigned", set))
		acquired = append(acquired, id)
	}
	s.notifyLocked()
	writeJSON(w, http.StatusOK, map[string]any{"count": len(acquired), "value": acquired})
}

func hasLabels(have, want []string) bool {
	for _, w := range want {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, w) }) {
			return false
		}
	}
	return true
}
