package fakescaleset

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// prefix is where a tenant's Actions service lives; the client joins its paths to the URL that
// runner-registration answered (client.go newActionsServiceRequest).
const prefix = "/_actions/{tenant}/_apis/"

func (s *Server) serviceRoutes() {
	admin := func(h func(http.ResponseWriter, *http.Request, string)) http.HandlerFunc { return s.admin(h) }
	s.mux.HandleFunc("GET "+prefix+"runtime/runnergroups/", admin(s.runnerGroups))
	s.mux.HandleFunc("GET "+prefix+"runtime/runnerscalesets", admin(s.findScaleSet))
	s.mux.HandleFunc("POST "+prefix+"runtime/runnerscalesets", admin(s.createScaleSet))
	s.mux.HandleFunc("GET "+prefix+"runtime/runnerscalesets/{id}", admin(s.getScaleSet))
	s.mux.HandleFunc("PATCH "+prefix+"runtime/runnerscalesets/{id}", admin(s.updateScaleSet))
	s.mux.HandleFunc("DELETE "+prefix+"runtime/runnerscalesets/{id}", admin(s.deleteScaleSet))
	s.mux.HandleFunc("POST "+prefix+"runtime/runnerscalesets/{id}/sessions", admin(s.createSession))
	s.mux.HandleFunc("PATCH "+prefix+"runtime/runnerscalesets/{id}/sessions/{sid}", admin(s.refreshSession))
	s.mux.HandleFunc("DELETE "+prefix+"runtime/runnerscalesets/{id}/sessions/{sid}", admin(s.deleteSession))
	s.mux.HandleFunc("POST "+prefix+"runtime/runnerscalesets/{id}/generatejitconfig", admin(s.generateJIT))
	s.mux.HandleFunc("GET "+prefix+"distributedtask/pools/0/agents/{id}", admin(s.getAgent))
	s.mux.HandleFunc("GET "+prefix+"distributedtask/pools/0/agents", admin(s.findAgent))
	s.mux.HandleFunc("DELETE "+prefix+"distributedtask/pools/0/agents/{id}", admin(s.deleteAgent))
	// The session's own token, not the admin token (session_client.go acquireJobs, getMessage).
	s.mux.HandleFunc("POST "+prefix+"runtime/runnerscalesets/{id}/acquirejobs", s.acquireJobs)
	s.mux.HandleFunc("GET /_queue/{id}", s.getMessage)
	s.mux.HandleFunc("DELETE /_queue/{id}/{mid}", s.deleteMessage)
}

// admin checks the admin token and the api-version the client always sends, and passes the
// token's scope on. An expired token is 401, as the client refreshes it ahead of time.
func (s *Server) admin(h func(http.ResponseWriter, *http.Request, string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		var claims adminClaims
		_, err := jwt.ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) { return s.secret, nil })
		if err != nil || strings.ReplaceAll(claims.Scope, "/", "~") != r.PathValue("tenant") {
			writeException(w, http.StatusUnauthorized, "UnauthorizedException", "the admin token is missing, expired or for another tenant")
			return
		}
		if r.URL.Query().Get("api-version") == "" {
			writeException(w, http.StatusBadRequest, "VssVersionOutOfRangeException", "api-version is required")
			return
		}
		h(w, r, claims.Scope)
	}
}

// runnerGroups serves GET runtime/runnergroups/?groupName=: the default group is id 1
// (types.go RunnerGroupList, client.go GetRunnerGroupByName).
func (s *Server) runnerGroups(w http.ResponseWriter, r *http.Request, _ string) {
	name := r.URL.Query().Get("groupName")
	var groups []map[string]any
	if strings.EqualFold(name, "default") {
		groups = append(groups, map[string]any{"id": 1, "name": "Default", "size": 0, "isDefaultGroup": true})
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": len(groups), "value": groups})
}

// setID parses {id} and finds the scale set in the scope.
func (s *Server) setID(w http.ResponseWriter, r *http.Request, scope string) (*scaleSet, bool) {
	id, err := strconv.Atoi(r.PathValue("id"))
	s.mu.Lock()
	set := s.sets[id]
	s.mu.Unlock()
	if err != nil || set == nil || set.scope != scope {
		writeException(w, http.StatusNotFound, "RunnerScaleSetNotFoundException", fmt.Sprintf("runner scale set %s not found", r.PathValue("id")))
		return nil, false
	}
	return set, true
}

func (s *Server) findScaleSet(w http.ResponseWriter, r *http.Request, scope string) {
	q := r.URL.Query()
	group, _ := strconv.Atoi(q.Get("runnerGroupId"))
	s.mu.Lock()
	var found []any
	for _, set := range s.sets {
		if set.scope == scope && set.GroupID == group && set.Name == q.Get("name") {
			found = append(found, s.viewLocked(r, set))
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"count": len(found), "value": found})
}

// scaleSetBody is what the client sends to create or update (types.go RunnerScaleSet).
type scaleSetBody struct {
	Name          string `json:"name"`
	RunnerGroupID int    `json:"runnerGroupId"`
	Labels        []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"labels"`
	RunnerSetting struct {
		DisableUpdate bool `json:"disableUpdate"`
	} `json:"RunnerSetting"`
}

func (s *Server) createScaleSet(w http.ResponseWriter, r *http.Request, scope string) {
	var b scaleSetBody
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil || b.Name == "" || len(b.Labels) == 0 {
		writeException(w, http.StatusBadRequest, "ArgumentException", "a scale set needs a name and at least one label")
		return
	}
	if b.RunnerGroupID != 1 {
		writeException(w, http.StatusNotFound, "RunnerGroupNotFoundException", fmt.Sprintf("runner group %d not found", b.RunnerGroupID))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, set := range s.sets {
		if set.scope == scope && set.GroupID == b.RunnerGroupID && strings.EqualFold(set.Name, b.Name) {
			// client.go CreateRunnerScaleSet: names are unique within a runner group.
			writeException(w, http.StatusConflict, "RunnerScaleSetExistsException", fmt.Sprintf("a runner scale set named %s exists", b.Name))
			return
		}
	}
	s.nextSet++
	set := &scaleSet{ID: s.nextSet, scope: scope, GroupID: b.RunnerGroupID, created: time.Now()}
	set.apply(b)
	s.sets[set.ID] = set
	writeJSON(w, http.StatusOK, s.viewLocked(r, set))
}

func (s *Server) getScaleSet(w http.ResponseWriter, r *http.Request, scope string) {
	if set, ok := s.setID(w, r, scope); ok {
		s.mu.Lock()
		defer s.mu.Unlock()
		writeJSON(w, http.StatusOK, s.viewLocked(r, set))
	}
}

func (s *Server) updateScaleSet(w http.ResponseWriter, r *http.Request, scope string) {
	set, ok := s.setID(w, r, scope)
	if !ok {
		return
	}
	var b scaleSetBody
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
		writeException(w, http.StatusBadRequest, "ArgumentException", "bad body")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	set.apply(b)
	writeJSON(w, http.StatusOK, s.viewLocked(r, set))
}

func (s *Server) deleteScaleSet(w http.ResponseWriter, r *http.Request, scope string) {
	if set, ok := s.setID(w, r, scope); ok {
		s.mu.Lock()
		delete(s.sets, set.ID)
		s.notifyLocked()
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}
}
