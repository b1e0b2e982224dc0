// Package fakescaleset is a local stand-in for GitHub's runner scale-set API as
// github.com/actions/scaleset (v0.4.0) calls it: the GitHub endpoints that hand out a
// registration token, exchange a GitHub App's JWT for an installation token and turn the
// registration token into an Actions service URL and admin token; and the Actions service
// endpoints for runner groups, scale sets, message sessions (long poll, 202, delete message),
// acquire jobs, generatejitconfig and agents. Paths, status codes and bodies follow the
// client's source (client.go, session_client.go, types.go, errors.go in
// https://github.com/actions/scaleset); a scale set's runners are registrations of a
// fakegithub.Server and run their jobs from its broker, as the stand-in runner does.
//
// The config URL of a client is this server's URL followed by /OWNER/REPO or /ORG: the client
// treats a host other than github.com as GitHub Enterprise Server and calls the API under
// /api/v3 (config.go gitHubAPIURL).
package fakescaleset

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

// Options configures a Server.
type Options struct {
	// GitHub holds the runners and runs their jobs; GitHubURL is its URL as a runner sees it.
	GitHub    *fakegithub.Server
	GitHubURL string
	// Token is the personal access token accepted; App, when set, the GitHub App accepted.
	Token string
	App   *App
	// Repos ("owner/name") and Orgs that exist.
	Repos, Orgs []string
	// LongPoll is how long a message poll waits before answering 202 (GitHub: about 50 s).
	LongPoll time.Duration
	// AcquireTimeout is how long an available job waits to be acquired before GitHub cancels
	// the assignment and queues it again (the scaleset README, "Job Reassignment").
	AcquireTimeout time.Duration
	// SessionIdle is how long a session lives without a poll: a second session is refused with
	// 409 until then (a listener killed with -9 leaves its session behind).
	SessionIdle time.Duration
	// AdminTokenTTL is the life of the Actions service admin token (the client refreshes it a
	// minute before it expires: client.go updateTokenIfNeeded).
	AdminTokenTTL time.Duration
}

// App is a GitHub App installation the server accepts.
type App struct {
	ClientID       string
	InstallationID int64
	PublicKey      *rsa.PublicKey
}

func (o Options) withDefaults() Options {
	if o.LongPoll == 0 {
		o.LongPoll = 50 * time.Second
	}
	if o.AcquireTimeout == 0 {
		o.AcquireTimeout = time.Minute
	}
	if o.SessionIdle == 0 {
		o.SessionIdle = 2 * time.Minute
	}
	if o.AdminTokenTTL == 0 {
		o.AdminTokenTTL = time.Hour
	}
	return o
}

// Server is the scale-set stand-in, an http.Handler safe for concurrent use.
type Server struct {
	opts   Options
	mux    *http.ServeMux
	secret []byte // signs admin tokens
	stop   chan struct{}

	mu        sync.Mutex
	wake      chan struct{}
	tokens    map[string]tokenGrant // registration and installation tokens
	sets      map[int]*scaleSet
	nextSet   int
	jobs      map[int64]*job
	nextJob   int64
	runners   map[int64]int // runner id → scale set id
	requests  []Request
	closeOnce sync.Once
}

// tokenGrant is what a registration or installation token was issued for.
type tokenGrant struct {
	kind    string // "registration" or "installation"
	scope   string // "owner/repo" or "org"
	expires time.Time
}

// New starts a Server; Close stops its clock.
func New(opts Options) *Server {
	s := &Server{
		opts: opts.withDefaults(), mux: http.NewServeMux(), stop: make(chan struct{}), wake: make(chan struct{}),
		tokens: map[string]tokenGrant{}, sets: map[int]*scaleSet{}, jobs: map[int64]*job{}, runners: map[int64]int{},
	}
	s.secret = []byte(randomHex(32))
	s.routes()
	go s.tick()
	return s
}

// Close stops the server's clock.
func (s *Server) Close() { s.closeOnce.Do(func() { close(s.stop) }) }

func (s *Server) routes() {
	s.githubRoutes()
	s.serviceRoutes()
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeException(w, http.StatusNotFound, "NotFoundException", "no such endpoint: "+r.Method+" "+r.URL.Path)
	})
}

// Request is one request the server answered.
type Request struct {
	Method, Path string
	Status       int
}

// ServeHTTP answers one request and records it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(rec, r)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Status: rec.status})
	s.mu.Unlock()
}

// Requests returns every request answered so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// notifyLocked wakes every long poll.
func (s *Server) notifyLocked() {
	close(s.wake)
	s.wake = make(chan struct{})
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
