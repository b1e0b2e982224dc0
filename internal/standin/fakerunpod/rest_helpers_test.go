package fakerunpod

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// newRESTServer starts a Server over HTTP that serves REST v2 as well as
// GraphQL. When the test ends it checks that every answer the server made
// validated against the OpenAPI description.
func newRESTServer(t *testing.T, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	spec, err := os.ReadFile("../../../testdata/runpod/rest-v2-openapi.json")
	if err != nil {
		t.Fatalf("read openapi: %v", err)
	}
	opts.OpenAPI = spec
	srv, ts := newServer(t, opts)
	t.Cleanup(func() {
		for _, r := range srv.Requests() {
			if len(r.ResponseErrors) > 0 {
				t.Errorf("%s %s: the server's answer failed the OpenAPI description: %q", r.Method, r.Path, r.ResponseErrors)
			}
		}
	})
	return srv, ts
}

// restResponse is a REST answer, read whole.
type restResponse struct {
	status int
	header http.Header
	body   string
}

// json decodes the answer's body; nil if it has none.
func (r restResponse) json(t *testing.T) map[string]any {
	t.Helper()
	if r.body == "" {
		return nil
	}
	return decode(t, r.body)
}

// call sends a REST request with key as a Bearer token (none if "") and
// body (a string as is, anything else as JSON; nil for none), and checks
// that the answer validates against the OpenAPI description.
func call(t *testing.T, srv *Server, ts *httptest.Server, key, method, path string, body any) restResponse {
	t.Helper()
	resp, err := sendREST(context.Background(), ts.URL, key, method, path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	checkWire(t, srv, method, path, resp)
	return resp
}

// sendREST sends a REST request and reads the answer.
func sendREST(ctx context.Context, url, key, method, path string, body any) (restResponse, error) {
	req, err := newRESTRequest(ctx, url, key, method, path, body)
	if err != nil {
		return restResponse{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return restResponse{}, fmt.Errorf("do: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return restResponse{}, fmt.Errorf("read: %w", err)
	}
	return restResponse{status: resp.StatusCode, header: resp.Header, body: string(b)}, nil
}

// newRESTRequest builds a REST request.
func newRESTRequest(ctx context.Context, url, key, method, path string, body any) (*http.Request, error) {
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return nil, fmt.Errorf("marshal: %w", err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, url+path, r)
	if err != nil {
		return nil, fmt.Errorf("new request: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return req, nil
}

// checkWire fails the test if an answer, as it came over the wire, does
// not validate against the OpenAPI description of its operation. Paths
// that name no operation have nothing to validate against.
func checkWire(t *testing.T, srv *Server, method, path string, resp restResponse) {
	t.Helper()
	if routeREST(method, strings.SplitN(path, "?", 2)[0]).op == "" {
		return
	}
	req := httptest.NewRequest(method, path, nil)
	if errs := srv.rest.checkResponse(req, resp.status, resp.header, []byte(resp.body)); len(errs) > 0 {
		t.Errorf("%s %s: answer %d fails the OpenAPI description: %q\nbody: %s", method, path, resp.status, errs, resp.body)
	}
}

// createREST creates a pod over REST from body and returns its id.
func createREST(t *testing.T, srv *Server, ts *httptest.Server, body map[string]any) string {
	t.Helper()
	resp := call(t, srv, ts, testKey, http.MethodPost, "/v2/pods", body)
	id, _ := resp.json(t)["id"].(string)
	if resp.status != http.StatusCreated || id == "" {
		t.Fatalf("create: status %d, body %s", resp.status, resp.body)
	}
	return id
}

// createBody is a typical createPod body.
func createBody() map[string]any {
	return map[string]any{
		"name": "gha-repo-1-1", "image": "runpod/base:0.6.2",
		"gpu":   map[string]any{"id": "NVIDIA GeForce RTX 4090", "count": 1, "minCudaVersion": "12.8"},
		"cloud": "SECURE", "ports": []any{"22/tcp"}, "disk": 20, "startSsh": true,
		"env": map[string]any{"PUBLIC_KEY": "ssh-ed25519 AAAA test"},
	}
}

// with returns a copy of body with changes; a nil value deletes the key.
func with(body map[string]any, changes map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range body {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

// restHost is a Host that records the env of every start, can hold
// starts until released, and shows container lines as a LogHost.
type restHost struct {
	hold chan struct{} // if set, each Start waits for a value

	mu     sync.Mutex
	starts []map[string]string
	port   int
	lines  map[string][]string
}

var _ LogHost = (*restHost)(nil)

func (h *restHost) Start(id string, env map[string]string) (string, int, error) {
	if h.hold != nil {
		<-h.hold
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.starts = append(h.starts, env)
	h.port++
	return "203.0.113.7", 30000 + h.port, nil
}

func (h *restHost) Stop(string) error   { return nil }
func (h *restHost) Remove(string) error { return nil }

// Logs returns what the pod's container wrote.
func (h *restHost) Logs(id string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.lines[id]...)
}

// write adds lines to what the pod's container wrote.
func (h *restHost) write(id string, lines ...string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.lines == nil {
		h.lines = map[string][]string{}
	}
	h.lines[id] = append(h.lines[id], lines...)
}

// Starts returns the env of every start so far.
func (h *restHost) Starts() []map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]map[string]string(nil), h.starts...)
}

// readAll reads an answer's body.
func readAll(resp *http.Response) ([]byte, error) {
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	return b, nil
}

// replaceAll replaces each old in s by its new, given as pairs.
func replaceAll(s string, oldNew ...string) string {
	return strings.NewReplacer(oldNew...).Replace(s)
}

// waitForREST polls a pod over REST until its status is status, and
// returns it.
func waitForREST(t *testing.T, srv *Server, ts *httptest.Server, id, status string) map[string]any {
	t.Helper()
	var pod map[string]any
	waitFor(t, 5*time.Second, "status "+status, func() bool {
		pod = call(t, srv, ts, testKey, http.MethodGet, "/v2/pods/"+id, nil).json(t)
		return pod["status"] == status
	})
	return pod
}
