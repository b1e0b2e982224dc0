package fakegithub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// brokerPrefix is the path under which the broker is served; a runner's
// serverUrlV2 is the server base URL followed by it.
const brokerPrefix = "/_broker/"

// registrationGone is the broker's 401 message for a deleted registration.
const registrationGone = "The runner registration was not found or has been deleted."

// brokerSettings is the body of GET /_broker/config.
type brokerSettings struct {
	RunnerID        int64     `json:"runnerId"`
	RunnerName      string    `json:"runnerName"`
	Behaviour       Behaviour `json:"behaviour"`
	PollMillis      int64     `json:"pollMillis"`
	HeartbeatMillis int64     `json:"heartbeatMillis"`
	GiveUpMillis    int64     `json:"giveUpMillis"`
	StartMillis     int64     `json:"startMillis"` // how long the listener takes to start, as a real runner does
}

// sessionRequest is the body of POST /_broker/sessions.
type sessionRequest struct {
	OS      string `json:"os"`
	Version string `json:"version"`
}

// brokerHandler serves one broker endpoint for an authenticated runner.
type brokerHandler func(w http.ResponseWriter, r *http.Request, runnerID int64)

// brokerRoutes registers the broker endpoints.
func (s *Server) brokerRoutes() {
	s.mux.Handle("GET /_broker/config", s.broker("broker-config", s.brokerConfig))
	s.mux.Handle("POST /_broker/sessions", s.broker("broker-session", s.createSession))
	s.mux.Handle("DELETE /_broker/sessions/{sid}", s.broker("broker-session-delete", s.deleteSession))
	s.mux.Handle("GET /_broker/sessions/{sid}/message", s.broker("broker-message", s.pollMessage))
	s.mux.Handle("POST /_broker/jobs/{jid}/renew", s.broker("broker-renew", s.renewJob))
	s.mux.Handle("POST /_broker/jobs/{jid}/result", s.broker("broker-result", s.jobResult))
}

// broker wraps a broker endpoint with fault injection and authentication by
// the runner's credentials token.
func (s *Server) broker(endpoint string, h brokerHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setEndpoint(w, endpoint)
		if s.applyFault(w, r, endpoint) {
			return
		}
		tok, _ := credentials(r)
		s.mu.Lock()
		reg := s.byTokenLocked(tok)
		s.mu.Unlock()
		if reg == nil {
			writeMessage(w, http.StatusUnauthorized, registrationGone)
			return
		}
		h(w, r, reg.id)
	})
}

// byTokenLocked finds the registration that owns a credentials token.
func (s *Server) byTokenLocked(tok string) *registration {
	if tok == "" {
		return nil
	}
	for _, reg := range s.runners {
		if reg.token == tok {
			return reg
		}
	}
	return nil
}

// writeMessage writes a broker error body.
func writeMessage(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"message": msg})
}

// brokerConfig serves GET /_broker/config: the behaviour and timings a
// listener follows. It is not a heartbeat.
func (s *Server) brokerConfig(w http.ResponseWriter, _ *http.Request, id int64) {
	s.mu.Lock()
	reg := s.runners[id]
	if reg == nil {
		s.mu.Unlock()
		writeMessage(w, http.StatusUnauthorized, registrationGone)
		return
	}
	body := brokerSettings{
		RunnerID: reg.id, RunnerName: reg.name, Behaviour: s.behaviourLocked(reg.name),
		PollMillis:      s.opts.pollWait().Milliseconds(),
		HeartbeatMillis: s.opts.heartbeat().Milliseconds(),
		GiveUpMillis:    s.opts.ListenerGiveUp.Milliseconds(),
		StartMillis:     s.opts.RunnerStartDelay.Milliseconds(),
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// createSession serves POST /_broker/sessions and brings the runner online.
func (s *Server) createSession(w http.ResponseWriter, r *http.Request, id int64) {
	var req sessionRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeMessage(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	reg := s.runners[id]
	switch {
	case reg == nil:
		writeMessage(w, http.StatusUnauthorized, registrationGone)
		return
	case s.statusLocked(reg) == StatusOnline:
		writeMessage(w, http.StatusConflict, "A session for this runner already exists.")
		return
	}
	s.nextSession++
	reg.session = fmt.Sprintf("session-%d", s.nextSession)
	if _, seen := s.onlineAt[reg.id]; !seen {
		s.onlineAt[reg.id] = s.now()
	}
	reg.lastSeen = s.now()
	if req.OS != "" {
		reg.os = req.OS
	}
	s.notifyLocked()
	writeJSON(w, http.StatusCreated, map[string]string{"sessionId": reg.session})
}

// deleteSession serves DELETE /_broker/sessions/{sid}: the runner goes
// offline at once.
func (s *Server) deleteSession(w http.ResponseWriter, r *http.Request, id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	reg := s.runners[id]
	switch {
	case reg == nil:
		writeMessage(w, http.StatusUnauthorized, registrationGone)
		return
	case reg.session == "" || reg.session != r.PathValue("sid"):
		writeMessage(w, http.StatusNotFound, "Session not found.")
		return
	}
	reg.session = ""
	s.notifyLocked()
	w.WriteHeader(http.StatusNoContent)
}

// Behaviour is what a stand-in listener does when it connects.
type Behaviour string

// Listener behaviours.
const (
	// BehaviourNormal: go online, take one job, report it and exit.
	BehaviourNormal Behaviour = "normal"
	// BehaviourCrash: exit non-zero right away, before going online.
	BehaviourCrash Behaviour = "crash"
	// BehaviourNeverOnline: keep running but never create a session.
	BehaviourNeverOnline Behaviour = "never-online"
)

// behaviourRule applies a behaviour to runners whose name contains substr.
type behaviourRule struct {
	substr string
	b      Behaviour
}

// SetBehaviour makes listeners of runners whose name contains nameSubstring
// behave as b. The most recent matching rule wins; an empty substring
// matches every runner. A listener in BehaviourNeverOnline rechecks its
// behaviour while it waits, so setting BehaviourNormal later lets it go
// online.
func (s *Server) SetBehaviour(nameSubstring string, b Behaviour) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.behaviours = append(s.behaviours, behaviourRule{substr: nameSubstring, b: b})
}

// behaviourLocked returns the behaviour for a runner name.
func (s *Server) behaviourLocked(name string) Behaviour {
	for i := len(s.behaviours) - 1; i >= 0; i-- {
		if strings.Contains(name, s.behaviours[i].substr) {
			return s.behaviours[i].b
		}
	}
	return BehaviourNormal
}
