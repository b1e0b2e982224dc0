// Package fakepushgateway is a stand-in for a Prometheus Pushgateway: it accepts pushes on
// /metrics/job/<job>{/<label>/<value>} (values ending "@base64" are base64url encoded), parses
// each body with github.com/prometheus/common/expfmt in the format its Content-Type names, and
// keeps them for tests (https://github.com/prometheus/pushgateway/blob/master/README.md#url).
package fakepushgateway

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// Push is one push the gateway accepted.
type Push struct {
	Method   string // PUT replaces the group, POST adds to it
	Job      string
	Grouping map[string]string
	Families map[string]*dto.MetricFamily
}

// Server is the stand-in; serve it with httptest.
type Server struct {
	mu     sync.Mutex
	pushes []Push
	fail   bool
}

// Fail makes every later push answer 500, as a gateway that is down.
func (s *Server) Fail(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = on
}

// Pushes returns every push accepted so far, oldest first.
func (s *Server) Pushes() []Push {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Push(nil), s.pushes...)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	fail := s.fail
	s.mu.Unlock()
	if fail {
		http.Error(w, "pushgateway unavailable", http.StatusInternalServerError)
		return
	}
	if r.Method != http.MethodPut && r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	job, grouping, err := parsePath(r.URL.EscapedPath())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	families, err := decode(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest) // as the gateway answers a body it cannot parse
		return
	}
	s.mu.Lock()
	s.pushes = append(s.pushes, Push{Method: r.Method, Job: job, Grouping: grouping, Families: families})
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// parsePath reads /metrics/job/<job>/<label>/<value>/….
func parsePath(p string) (string, map[string]string, error) {
	parts := strings.Split(strings.TrimPrefix(p, "/metrics/"), "/")
	if len(parts) < 2 || len(parts)%2 != 0 || !strings.HasPrefix(p, "/metrics/") {
		return "", nil, errors.New("want /metrics/job/<job>{/<label>/<value>}")
	}
	kv := map[string]string{}
	for i := 0; i < len(parts); i += 2 {
		name, value := parts[i], parts[i+1]
		if base, ok := strings.CutSuffix(name, "@base64"); ok {
			b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(value, "="))
			if err != nil {
				return "", nil, err
			}
			name, value = base, string(b)
		} else {
			// Clients query-escape values (a space as "+"): client_golang's push uses
			// url.QueryEscape, prometheus/client_python quote_plus.
			v, err := url.QueryUnescape(value)
			if err != nil {
				return "", nil, err
			}
			value = v
		}
		kv[name] = value
	}
	job := kv["job"]
	delete(kv, "job")
	return job, kv, nil
}

func decode(r *http.Request) (map[string]*dto.MetricFamily, error) {
	dec := expfmt.NewDecoder(r.Body, expfmt.ResponseFormat(r.Header))
	out := map[string]*dto.MetricFamily{}
	for {
		mf := &dto.MetricFamily{}
		if err := dec.Decode(mf); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		out[mf.GetName()] = mf
	}
}

// Value returns the value of the gauge name whose labels include want, and whether there is one.
func (p Push) Value(name string, want map[string]string) (float64, bool) {
	mf, ok := p.Families[name]
	if !ok {
		return 0, false
	}
	for _, m := range mf.Metric {
		match := true
		for k, v := range want {
			found := false
			for _, l := range m.Label {
				found = found || (l.GetName() == k && l.GetValue() == v)
			}
			match = match && found
		}
		if match && m.Gauge != nil {
			return m.Gauge.GetValue(), true
		}
	}
	return 0, false
}
