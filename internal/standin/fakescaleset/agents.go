package fakescaleset

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// generateJIT serves POST runnerscalesets/{id}/generatejitconfig {name, workFolder}: 200
// {runner, encodedJITConfig} (client.go GenerateJitRunnerConfig, types.go
// RunnerScaleSetJitRunnerConfig); 409 AgentExistsException when the name is taken.
func (s *Server) generateJIT(w http.ResponseWriter, r *http.Request, scope string) {
	set, ok := s.setID(w, r, scope)
	if !ok {
		return
	}
	var body struct {
		Name       string `json:"name"`
		WorkFolder string `json:"workFolder"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Name == "" || len(body.Name) > 64 ||
		strings.ContainsAny(body.Name, `"/:<>\|*?`) {
		writeException(w, http.StatusBadRequest, "ArgumentException", "the runner needs a name of at most 64 characters without \"/:<>\\|*?")
		return
	}
	repo, org := scope, ""
	if !strings.Contains(scope, "/") {
		repo, org = "", scope
	}
	s.mu.Lock()
	labels := append([]string(nil), set.Labels...)
	s.mu.Unlock()
	jr, exists, err := s.opts.GitHub.RegisterJIT(repo, org, s.opts.GitHubURL, body.Name, int64(set.GroupID), labels, body.WorkFolder)
	switch {
	case exists:
		writeException(w, http.StatusConflict, "AgentExistsException", fmt.Sprintf("Agent %s already exists in pool %d.", body.Name, set.GroupID))
		return
	case err != nil:
		writeException(w, http.StatusInternalServerError, "Exception", err.Error())
		return
	}
	s.mu.Lock()
	s.runners[jr.ID] = set.ID
	s.notifyLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"runner":           map[string]any{"id": jr.ID, "name": jr.Name, "runnerScaleSetId": set.ID},
		"encodedJITConfig": jr.EncodedJITConfig,
	})
}

// agentLocked finds a runner of a scale set in the scope.
func (s *Server) agentLocked(id int64, scope string) (map[string]any, bool) {
	setID, ok := s.runners[id]
	set := s.sets[setID]
	if !ok || set == nil || set.scope != scope {
		return nil, false
	}
	r, ok := s.opts.GitHub.Runner(id)
	if !ok {
		return nil, false
	}
	return map[string]any{"id": r.ID, "name": r.Name, "runnerScaleSetId": setID}, true
}

func notFound(w http.ResponseWriter, what string) {
	writeException(w, http.StatusNotFound, "AgentNotFoundException", fmt.Sprintf("Agent %s not found.", what))
}

// getAgent serves GET distributedtask/pools/0/agents/{id} (client.go GetRunner).
func (s *Server) getAgent(w http.ResponseWriter, r *http.Request, scope string) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.mu.Lock()
	a, ok := s.agentLocked(id, scope)
	s.mu.Unlock()
	if !ok {
		notFound(w, r.PathValue("id"))
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// findAgent serves GET distributedtask/pools/0/agents?agentName= with {count, value}
// (client.go GetRunnerByName).
func (s *Server) findAgent(w http.ResponseWriter, r *http.Request, scope string) {
	name := r.URL.Query().Get("agentName")
	s.mu.Lock()
	found := []any{}
	for id := range s.runners {
		if a, ok := s.agentLocked(id, scope); ok && strings.EqualFold(a["name"].(string), name) {
			found = append(found, a)
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"count": len(found), "value": found})
}

// deleteAgent serves DELETE distributedtask/pools/0/agents/{id}: 204; 404 for an unknown
// runner; 400 JobStillRunningException while it runs a job (client.go RemoveRunner,
// errors.go).
func (s *Server) deleteAgent(w http.ResponseWriter, r *http.Request, scope string) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.agentLocked(id, scope); !ok {
		notFound(w, r.PathValue("id"))
		return
	}
	found, busy := s.opts.GitHub.RemoveRunner(id)
	switch {
	case !found:
		notFound(w, r.PathValue("id"))
	case busy:
		writeException(w, http.StatusBadRequest, "JobStillRunningException", fmt.Sprintf("Agent %d is running a job.", id))
	default:
		delete(s.runners, id)
		s.notifyLocked()
		w.WriteHeader(http.StatusNoContent)
	}
}
