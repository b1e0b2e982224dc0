// Package fakegithub is a local stand-in for the parts of the GitHub REST API
// that manage self-hosted runners, plus the broker a runner listener talks
// to. It answers the JSON shapes go-github decodes, enforces the validation,
// authentication and permissions the real API enforces, and lets tests
// inspect state and inject faults.
//
// REST endpoints, each at repository (/repos/{owner}/{repo}) and
// organization (/orgs/{org}) level: POST actions/runners/generate-jitconfig,
// GET actions/runners, GET and DELETE actions/runners/{id}, GET
// actions/runners/downloads, GET /orgs/{org}/actions/runner-groups (with
// visible_to_repository), GET /repos/{owner}/{repo} and its releases.
// GET /repos/{owner}/{repo}/actions/runs/{run_id} answers a workflow run
// set with SetWorkflowRun (the Actions permission, read).
//
// The broker lives under /_broker/ (the serverUrlV2 of a just-in-time
// configuration). Every call carries "Authorization: Bearer <token>" with
// the token from the configuration's .credentials file; an unknown or
// deleted registration answers 401.
//
//	GET    /_broker/config                     200 {runnerId, runnerName, behaviour,
//	                                               pollMillis, heartbeatMillis, giveUpMillis}
//	POST   /_broker/sessions {os, version}     201 {sessionId}: the runner is online;
//	                                           409 while another session is online
//	GET    /_broker/sessions/{sid}/message     long poll (at most pollMillis), a heartbeat:
//	                                           200 {jobId, script, labels}: the job is taken,
//	                                           the runner busy; 204 no job; 404 unknown session
//	POST   /_broker/jobs/{jid}/renew           200: heartbeat while the job runs
//	POST   /_broker/jobs/{jid}/result          {result, exitCode, output} 200: the job is
//	                                           completed and the registration deleted
//	DELETE /_broker/sessions/{sid}             204: the runner is offline at once
//
// A runner is online while it has a session and its last poll or renewal
// is less than Options.OfflineAfter ago.
//
// Sandbox jobs: POST /_sandbox/jobs {labels, script} answers 201 {id}; GET
// /_sandbox/jobs/{id} answers the JobStatus.
package fakegithub

import (
	"net/http"
	"sync"
	"time"
)

// Server is the GitHub stand-in. It is an http.Handler and is safe for
// concurrent use; serve it with httptest.NewServer.
type Server struct {
	opts  Options
	mux   *http.ServeMux
	repos map[string]bool
	now   func() time.Time

	mu          sync.Mutex
	nextRunner  int64
	nextJob     int64
	nextLabel   int64
	labelIDs    map[string]int64
	runners     map[int64]*registration
	jobs        map[int64]*job
	behaviours  []behaviourRule
	faults      map[string][]Fault
	requests    []Request
	quotas      map[string]*quota
	wake        chan struct{}
	nextSession int64
	issued      []string               // every encoded_jit_config handed out, for secret scanners
	onlineAt    map[int64]time.Time    // when each runner first went online
	runs        map[string]WorkflowRun // by "owner/name#id"
}

// New returns a Server configured by opts.
func New(opts Options) *Server {
	opts = opts.withDefaults()
	tokens := make(map[string]Grant, len(opts.Tokens))
	for tok, g := range opts.Tokens {
		tokens[tok] = g
	}
	opts.Tokens = tokens
	s := &Server{
		opts:       opts,
		mux:        http.NewServeMux(),
		repos:      make(map[string]bool, len(opts.Repos)),
		now:        opts.Now,
		nextRunner: 1000,
		labelIDs:   make(map[string]int64),
		runners:    make(map[int64]*registration),
		onlineAt:   make(map[int64]time.Time),
		runs:       make(map[string]WorkflowRun),
		jobs:       make(map[int64]*job),
		faults:     make(map[string][]Fault),
		quotas:     make(map[string]*quota),
		wake:       make(chan struct{}),
	}
	if s.now == nil {
		s.now = time.Now
	}
	for _, r := range opts.Repos {
		s.repos[r] = true
	}
	s.routes()
	return s
}

// routes registers every endpoint on the mux.
func (s *Server) routes() {
	for _, sc := range []string{"/repos/{owner}/{repo}", "/orgs/{org}"} {
		s.mux.Handle("POST "+sc+"/actions/runners/generate-jitconfig",
			s.api(epJIT, WriteAccess, s.generateJIT))
		s.mux.Handle("GET "+sc+"/actions/runners", s.api(epList, ReadAccess, s.listRunners))
		s.mux.Handle("GET "+sc+"/actions/runners/downloads", s.api(epDownloads, ReadAccess, s.downloads))
		s.mux.Handle("GET "+sc+"/actions/runners/{id}", s.api(epGet, ReadAccess, s.getRunner))
		s.mux.Handle("DELETE "+sc+"/actions/runners/{id}", s.api(epDelete, WriteAccess, s.deleteRunner))
	}
	s.mux.Handle("GET /orgs/{org}/actions/runner-groups", s.api(epGroups, ReadAccess, s.runnerGroups))
	s.mux.Handle("GET /repos/{owner}/{repo}", s.api(epRepo, NoAccess, s.getRepository))
	s.mux.Handle("GET /repos/{owner}/{repo}/releases", s.api(epReleases, NoAccess, s.listReleases))
	s.mux.Handle("GET /repos/{owner}/{repo}/actions/runs/{run_id}", s.api(epRun, ReadAccess, s.getWorkflowRun))
	s.brokerRoutes()
	s.mux.HandleFunc("POST /_sandbox/jobs", s.postSandboxJob)
	s.mux.HandleFunc("GET /_sandbox/jobs/{id}", s.getSandboxJob)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "Not Found", docRoot)
	})
}

// ServeHTTP answers one request and records it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w}
	arrived := s.now()
	s.mux.ServeHTTP(rec, r)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{
		Time:       arrived,
		Method:     r.Method,
		Path:       r.URL.Path,
		Query:      r.URL.RawQuery,
		Endpoint:   rec.endpoint,
		Status:     rec.code(),
		AuthScheme: authScheme(r),
	})
}

// Request is one request the server answered.
type Request struct {
	Time     time.Time // when it arrived
	Method   string
	Path     string
	Query    string
	Endpoint string // endpoint key, e.g. "generate-jitconfig"; empty when unrouted
	Status   int
	// AuthScheme is "Bearer", "token", another scheme as sent, or empty.
	AuthScheme string
}

// Requests returns every request answered so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests hit the endpoint with the given key.
func (s *Server) Count(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Endpoint == endpoint {
			n++
		}
	}
	return n
}

// recorder captures the status code and endpoint key of a response.
type recorder struct {
	http.ResponseWriter
	status   int
	endpoint string
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) code() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

// setEndpoint labels the request being served with an endpoint key.
func setEndpoint(w http.ResponseWriter, key string) {
	if rec, ok := w.(*recorder); ok {
		rec.endpoint = key
	}
}

// OnlineAt is when the runner first went online; zero if it never did. It is kept after the
// registration is gone.
func (s *Server) OnlineAt(runnerID int64) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.onlineAt[runnerID]
}
