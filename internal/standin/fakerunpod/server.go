// Package fakerunpod is a local stand-in for RunPod's APIs, for tests and
// the sandbox: the GraphQL API (POST /graphql) and the REST v2 API
// (/v2/pods and /v2/catalog/gpus), both over one simulated world of pods.
//
// The GraphQL transport validates every document against the schema it
// is given and answers the way RunPod does (see
// https://graphql-spec.runpod.io): HTTP 400 in graphql-js words for an
// invalid document, 401 for a bad key, HTTP 200 with an errors array for
// business failures, and only the fields a document selects.
//
// The REST transport validates every request, and every answer it makes,
// against RunPod's OpenAPI 3.1 description of REST v2 (see
// https://docs.runpod.io/api-reference-v2): 422 for a body or parameter
// that breaks it, 400 for a rule it states in words or for no capacity,
// 409 for an action the pod's status does not allow, all as RFC 9457
// problems. An answer that would break the description is a 500 instead,
// and recorded. Each pod has a pod-scoped key, which its container gets
// as RUNPOD_API_KEY and which may read, act on and delete that pod only.
//
// Behind the transports it simulates pods with time: a new pod has no
// runtime until its boot delay has passed, then a Host starts its
// container and its ports appear. Pods stop, resume on a new port,
// restart, terminate, and die at their terminateAfter; each keeps a log
// of what happened to it, with what its container wrote if the Host is a
// LogHost. Tests can take capacity away, make pods hang, queue faults for
// the next request and inspect every request the server saw.
//
// File names show the three parts: gql_* is the GraphQL transport, rest_*
// the REST v2 transport, world_* the simulated pods, catalog and hosts;
// server* is what the transports share (keys, rate limit, faults, the
// record of requests, the controls tests use).
package fakerunpod

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// KeyAccess is what an API key may do.
type KeyAccess int

// The kinds of API key.
const (
	// ReadWrite keys may do anything.
	ReadWrite KeyAccess = iota + 1
	// ReadOnly keys get Unauthorized on every mutation and on myself.
	ReadOnly
)

// Options configures a Server.
type Options struct {
	// Schema is the GraphQL schema (SDL) the server validates against.
	Schema string
	// Keys are the API keys the server accepts. A request with any other
	// key gets 401; one with no key may only read the catalog (gpuTypes,
	// dataCenters, countryCodes), as on RunPod.
	Keys map[string]KeyAccess
	// Host runs the pods' containers. Nil runs nothing and hands out
	// 127.0.0.1 with a new port on every start.
	Host Host
	// BootDelay is how long a created or resumed pod stays without a runtime.
	BootDelay time.Duration
	// PortsDelay is how long a started pod's runtime lists no ports.
	PortsDelay time.Duration
	// GPUTypes is the catalog; empty means DefaultGPUTypes().
	GPUTypes []GPUType
	// DataCenters are where pods land; empty means DefaultDataCenters().
	DataCenters []DataCenter
	// RateLimit, if above 0, is how many requests per second each key may
	// make (a token bucket holding one second's worth); more get 429.
	RateLimit float64
	// OpenAPI is RunPod's OpenAPI description of REST v2 (JSON), which the
	// REST transport validates against. Empty serves no REST: /v2 is 404.
	OpenAPI []byte
	// Clock times requests, the rate limiter and the pod life cycle; nil
	// means the wall clock.
	Clock Clock
}

// Server is the stand-in. It is an http.Handler serving POST /graphql
// and, given an OpenAPI description, REST v2 under /v2/; all its methods
// are safe for concurrent use.
type Server struct {
	schema  *ast.Schema
	keys    map[string]KeyAccess
	world   *world
	limiter *limiter
	now     func() time.Time
	rest    *openAPI // nil: no REST

	mu       sync.Mutex
	faults   map[string][]Fault
	requests []Request
}

var _ http.Handler = (*Server)(nil)

// New returns a Server for opts. Call Close when done with it.
func New(opts Options) (*Server, error) {
	if opts.Schema == "" {
		return nil, errors.New("fakerunpod: no schema given")
	}
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: opts.Schema})
	if err != nil {
		return nil, fmt.Errorf("fakerunpod: load schema: %w", err)
	}
	keys := make(map[string]KeyAccess, len(opts.Keys))
	for k, a := range opts.Keys {
		keys[k] = a
	}
	host := opts.Host
	if host == nil {
		host = &noopHost{}
	}
	gpus := append([]GPUType(nil), opts.GPUTypes...)
	if len(gpus) == 0 {
		gpus = DefaultGPUTypes()
	}
	dcs := append([]DataCenter(nil), opts.DataCenters...)
	if len(dcs) == 0 {
		dcs = DefaultDataCenters()
	}
	s := &Server{
		schema: schema,
		keys:   keys,
		faults: map[string][]Fault{},
	}
	clock := opts.Clock
	if clock == nil {
		clock = realClock{}
	}
	s.now = clock.Now
	s.world = newWorld(host, clock, gpus, dcs, opts.BootDelay, opts.PortsDelay)
	if opts.RateLimit > 0 {
		s.limiter = newLimiter(opts.RateLimit)
	}
	if len(opts.OpenAPI) > 0 {
		if s.rest, err = sharedOpenAPI(opts.OpenAPI); err != nil {
			return nil, fmt.Errorf("fakerunpod: %w", err)
		}
	}
	return s, nil
}

// ServeHTTP answers POST /graphql and, if the server has an OpenAPI
// description, the REST v2 operations under /v2/; any other path is 404.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/graphql":
		s.serveGraphQL(w, r)
	case s.rest != nil && strings.HasPrefix(r.URL.Path, "/v2/"):
		s.serveREST(w, r)
	default:
		http.NotFound(w, r)
	}
}

// Close stops the pods' pending events (boots, stopAfter, terminateAfter)
// and waits for those already running; open REST log streams end soon
// after. It leaves the pods' containers to the Host.
func (s *Server) Close() { s.world.close() }
