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
	"slices"
	"sync"
	"testing"
	"time"
)

// Keys the test servers accept.
const (
	testKey     = "rpa_TESTKEY"
	readOnlyKey = "rpa_READONLY"
)

// The documents the project's client sends.
const (
	createDoc = `mutation CreatePod($input: PodFindAndDeployOnDemandInput!) { podFindAndDeployOnDemand(input: $input) { id name desiredStatus imageName costPerHr gpuCount lastStatusChange machineId env machine { podHostId gpuDisplayName location } } }`
	getPodDoc = `query GetPod($input: PodFilter!) { pod(input: $input) { id name desiredStatus lastStatusChange imageName costPerHr adjustedCostPerHr gpuCount ports env machine { podHostId gpuDisplayName } runtime { uptimeInSeconds ports { ip isIpPublic privatePort publicPort type } gpus { id } } } }`
	listDoc   = `query ListPods { myself { id pods { id name desiredStatus costPerHr gpuCount env lastStatusChange machine { gpuDisplayName } runtime { uptimeInSeconds ports { ip isIpPublic privatePort publicPort type } } } } }`
	resumeDoc = `mutation ResumePod($input: PodResumeInput!) { podResume(input: $input) { id desiredStatus costPerHr lastStatusChange } }`
	stopDoc   = `mutation StopPod($input: PodStopInput!) { podStop(input: $input) { id desiredStatus lastStatusChange } }`
	termDoc   = `mutation TerminatePod($input: PodTerminateInput!) { podTerminate(input: $input) }`
	gpuDoc    = `query GpuTypes($input: GpuTypeFilter, $lp: GpuLowestPriceInput) { gpuTypes(input: $input) { id displayName memoryInGb secureCloud communityCloud lowestPrice(input: $lp) { stockStatus uninterruptablePrice availableGpuCounts } } }`
	// minifiedCreateDoc is createDoc as hasura/go-graphql-client writes it.
	minifiedCreateDoc = `mutation CreatePod($input:PodFindAndDeployOnDemandInput!){podFindAndDeployOnDemand(input: $input){id,name,desiredStatus,imageName,costPerHr,gpuCount,lastStatusChange,machineId,env,machine{podHostId,gpuDisplayName,location}}}`
)

// newServer starts a Server over HTTP with the project's schema and the
// test keys, and stops both when the test ends.
func newServer(t *testing.T, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	schema, err := os.ReadFile("../../../testdata/runpod/schema.graphql")
	if err != nil {
		t.Fatalf("read schema: %v", err)
	}
	opts.Schema = string(schema)
	if opts.Keys == nil {
		opts.Keys = map[string]KeyAccess{testKey: ReadWrite, readOnlyKey: ReadOnly}
	}
	srv, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return srv, ts
}

// response is an HTTP answer, read whole.
type response struct {
	status int
	header http.Header
	body   string
}

// post sends a GraphQL request with key as a Bearer token (none if "").
func post(t *testing.T, url, key, query string, vars any) response {
	t.Helper()
	resp, err := send(context.Background(), url, key, query, vars)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	return resp
}

// send sends a GraphQL request and reads the answer.
func send(ctx context.Context, url, key, query string, vars any) (response, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return response{}, fmt.Errorf("marshal: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/graphql", bytes.NewReader(body))
	if err != nil {
		return response{}, fmt.Errorf("new request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return response{}, fmt.Errorf("do: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, fmt.Errorf("read: %w", err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}, nil
}

// decode parses a JSON body.
func decode(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return m
}

// at walks a decoded JSON value along keys and indexes.
func at(v any, path ...any) any {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[p]
		case int:
			l, _ := v.([]any)
			if p >= len(l) {
				return nil
			}
			v = l[p]
		}
	}
	return v
}

// input wraps an input object as the variables {"input": in}.
func input(in map[string]any) map[string]any { return map[string]any{"input": in} }

// podInput is the input of a pod mutation or query for id.
func podInput(id string) map[string]any { return input(map[string]any{"podId": id}) }

// createInput is a typical create input.
func createInput() map[string]any {
	return map[string]any{
		"name": "gha-repo-1-1", "imageName": "runpod/base:0.6.2", "gpuTypeId": "NVIDIA GeForce RTX 4090",
		"gpuCount": 1, "cloudType": "SECURE", "containerDiskInGb": 20, "volumeInGb": 0, "ports": "22/tcp",
		"supportPublicIp": true, "startSsh": true, "minCudaVersion": "12.8",
		"env": []any{map[string]any{"key": "PUBLIC_KEY", "value": "ssh-ed25519 AAAA test"}},
	}
}

// createPod creates a pod from in and returns its id.
func createPod(t *testing.T, url string, in map[string]any) string {
	t.Helper()
	resp := post(t, url, testKey, createDoc, input(in))
	id, _ := at(decode(t, resp.body), "data", "podFindAndDeployOnDemand", "id").(string)
	if resp.status != http.StatusOK || id == "" {
		t.Fatalf("create: status %d, body %s", resp.status, resp.body)
	}
	return id
}

// getPod fetches a pod with the client's GetPod document.
func getPod(t *testing.T, url, id string) any {
	t.Helper()
	resp := post(t, url, testKey, getPodDoc, podInput(id))
	if resp.status != http.StatusOK {
		t.Fatalf("get pod: status %d, body %s", resp.status, resp.body)
	}
	return at(decode(t, resp.body), "data", "pod")
}

// waitFor polls cond until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// recordingHost is a Host that records its calls and hands out new ports.
type recordingHost struct {
	mu       sync.Mutex
	calls    []string
	port     int
	startErr error
}

func (h *recordingHost) Start(id string, env map[string]string) (string, int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, "start "+id+" "+env["PUBLIC_KEY"])
	if h.startErr != nil {
		return "", 0, h.startErr
	}
	h.port++
	return "203.0.113.7", 30000 + h.port, nil
}

func (h *recordingHost) Stop(id string) error   { return h.record("stop " + id) }
func (h *recordingHost) Remove(id string) error { return h.record("remove " + id) }

func (h *recordingHost) record(call string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, call)
	return nil
}

// Calls returns the calls so far.
func (h *recordingHost) Calls() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.calls...)
}

// testClock is a clock a test moves on by hand, to cross a rate-limit
// window or a pod's boot delay without waiting.
type testClock struct {
	mu      sync.Mutex
	now     time.Time
	pending []*testTimer
}

var _ Clock = (*testClock)(nil)

// testTimer is a call the testClock makes when it is moved past at.
type testTimer struct {
	c  *testClock
	at time.Time
	f  func()
}

func newTestClock() *testClock { return &testClock{now: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &testTimer{c: c, at: c.now.Add(d), f: f}
	c.pending = append(c.pending, t)
	return t
}

// Stop removes t from the pending calls.
func (t *testTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	for i, p := range t.c.pending {
		if p == t {
			t.c.pending = append(t.c.pending[:i:i], t.c.pending[i+1:]...)
			return true
		}
	}
	return false
}

// Advance moves the clock on by d. On the way it makes, in order and
// before it returns, every call that comes due, each at its own time.
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		i := -1
		for j, t := range c.pending {
			if !t.at.After(end) && (i < 0 || t.at.Before(c.pending[i].at)) {
				i = j
			}
		}
		if i < 0 {
			c.now = end
			c.mu.Unlock()
			return
		}
		t := c.pending[i]
		c.pending = slices.Delete(c.pending, i, i+1)
		if t.at.After(c.now) {
			c.now = t.at
		}
		c.mu.Unlock()
		t.f()
	}
}
