package fakescaleset

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// liveLocked reports whether the scale set has a session whose owner still polls.
func (s *Server) liveLocked(set *scaleSet) bool {
	ss := set.session
	return ss != nil && (ss.polling > 0 || time.Since(ss.lastPoll) < s.opts.SessionIdle)
}

// createSession serves POST runnerscalesets/{id}/sessions {ownerName}: 200 with the session,
// its message queue and the statistics; 409 while another session lives, as GitHub refuses a
// second listener for one scale set (actions-runner-controller retries on
// TaskAgentSessionConflictException: cmd/ghalistener/listener/listener.go).
func (s *Server) createSession(w http.ResponseWriter, r *http.Request, scope string) {
	set, ok := s.setID(w, r, scope)
	if !ok {
		return
	}
	var body struct {
		OwnerName string `json:"ownerName"`
	}
	_ = json.NewDecoder(r.Body).Decode(&body)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.liveLocked(set) {
		writeException(w, http.StatusConflict, "TaskAgentSessionConflictException",
			fmt.Sprintf("The session for this runner scale set already exists (owner %s).", set.session.owner))
		return
	}
	set.session = &session{id: newUUID(), owner: body.OwnerName, token: randomHex(20), lastPoll: time.Now()}
	set.inflight = nil
	writeJSON(w, http.StatusOK, s.sessionViewLocked(r, set))
}

func (s *Server) sessionViewLocked(r *http.Request, set *scaleSet) map[string]any {
	return map[string]any{
		"sessionId": set.session.id, "ownerName": set.session.owner, "runnerScaleSet": s.viewLocked(r, set),
		"messageQueueUrl":         fmt.Sprintf("http://%s/_queue/%d", r.Host, set.ID),
		"messageQueueAccessToken": set.session.token, "statistics": s.statsLocked(set),
	}
}

// refreshSession serves PATCH sessions/{sid}: a new queue token for the same session.
func (s *Server) refreshSession(w http.ResponseWriter, r *http.Request, scope string) {
	set, ok := s.setID(w, r, scope)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if set.session == nil || set.session.id != r.PathValue("sid") {
		writeException(w, http.StatusNotFound, "TaskAgentSessionExpiredException", "the session is gone")
		return
	}
	set.session.token = randomHex(20)
	writeJSON(w, http.StatusOK, s.sessionViewLocked(r, set))
}

// deleteSession serves DELETE sessions/{sid}: 204, and the scale set takes a new session.
func (s *Server) deleteSession(w http.ResponseWriter, r *http.Request, scope string) {
	set, ok := s.setID(w, r, scope)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if set.session == nil || set.session.id != r.PathValue("sid") {
		writeException(w, http.StatusNotFound, "TaskAgentSessionExpiredException", "the session is gone")
		return
	}
	set.session = nil
	s.notifyLocked()
	w.WriteHeader(http.StatusNoContent)
}

// queueSet finds the scale set of a queue request and checks the session's token: a wrong one
// is 401, which the client takes for an expired token (session_client.go getMessage).
func (s *Server) queueSetLocked(w http.ResponseWriter, r *http.Request) *scaleSet {
	id, _ := strconv.Atoi(r.PathValue("id"))
	set := s.sets[id]
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if set == nil || set.session == nil || tok != set.session.token {
		writeException(w, http.StatusUnauthorized, "UnauthorizedException", "the message queue token is not valid")
		return nil
	}
	return set
}

// getMessage serves GET {messageQueueUrl}?lastMessageId=: the message not yet deleted, or a
// new one batching at most 50 job messages, with the statistics now; 202 after LongPoll
// without one (the scaleset README, "Long Polling"). X-ScaleSetMaxCapacity bounds how many
// jobs the scale set is assigned.
func (s *Server) getMessage(w http.ResponseWriter, r *http.Request) {
	timer := time.NewTimer(s.opts.LongPoll)
	defer timer.Stop()
	last, _ := strconv.Atoi(r.URL.Query().Get("lastMessageId"))
	capacity, err := strconv.Atoi(r.Header.Get("X-ScaleSetMaxCapacity"))
	if err != nil || capacity < 0 {
		capacity = -1
	}
	s.mu.Lock()
	set := s.queueSetLocked(w, r)
	if set == nil {
		s.mu.Unlock()
		return
	}
	ss := set.session
	ss.polling++
	set.maxCapacity = capacity
	defer func() { ss.polling--; ss.lastPoll = time.Now(); s.mu.Unlock() }()
	for {
		if set.session != ss {
			writeException(w, http.StatusUnauthorized, "UnauthorizedException", "the session was deleted")
			return
		}
		if set.inflight != nil && set.inflight.id <= last {
			set.inflight = nil
		}
		if set.inflight == nil && len(set.events) > 0 {
			n := min(len(set.events), 50)
			set.nextMsg++
			set.inflight = &message{id: set.nextMsg, events: set.events[:n:n]}
			set.events = set.events[n:]
		}
		if m := set.inflight; m != nil {
			body, _ := json.Marshal(m.events)
			writeJSON(w, http.StatusOK, map[string]any{"messageId": m.id, "messageType": "RunnerScaleSetJobMessages",
				"body": string(body), "statistics": s.statsLocked(set)})
			return
		}
		wake := s.wake
		s.mu.Unlock()
		select {
		case <-wake:
			s.mu.Lock()
		case <-timer.C:
			s.mu.Lock()
			w.WriteHeader(http.StatusAccepted)
			return
		case <-r.Context().Done():
			s.mu.Lock()
			return
		}
	}
}

// deleteMessage serves DELETE {messageQueueUrl}/{messageId}: 204, the message is acknowledged.
func (s *Server) deleteMessage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	set := s.queueSetLocked(w, r)
	if set == nil {
		return
	}
	if mid, _ := strconv.Atoi(r.PathValue("mid")); set.inflight != nil && set.inflight.id == mid {
		set.inflight = nil
	}
	w.WriteHeader(http.StatusNoContent)
}

func newUUID() string {
	h := randomHex(16)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}
