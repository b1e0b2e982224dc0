package fakerunpod

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// problemOf is the problem an answer carries, with its Content-Type.
type problemOf struct {
	ContentType string
	Status      int
	Detail      string
	Errors      []string
}

// readProblem reads resp as a problem.
func readProblem(t *testing.T, resp restResponse) problemOf {
	t.Helper()
	m := resp.json(t)
	var errs []string
	for _, e := range asList(m["errors"]) {
		s, _ := e.(string)
		errs = append(errs, s)
	}
	status, _ := m["status"].(float64)
	detail, _ := m["detail"].(string)
	return problemOf{ContentType: resp.header.Get("Content-Type"), Status: int(status), Detail: detail, Errors: errs}
}

func TestRESTRejectsWhatRunPodRejects(t *testing.T) {
	t.Parallel()
	srv, ts := newRESTServer(t, Options{})
	gpu := func(extra map[string]any) map[string]any {
		return with(map[string]any{"id": "NVIDIA GeForce RTX 4090"}, extra)
	}
	invalid := func(errs ...string) problemOf {
		return problemOf{ContentType: "application/problem+json", Status: 422, Detail: "Request validation failed.", Errors: errs}
	}
	bad := func(status int, detail string) problemOf {
		return problemOf{ContentType: "application/problem+json", Status: status, Detail: detail}
	}
	tests := []struct {
		name   string
		method string
		path   string // "" is /v2/pods
		body   any    // changes to createBody() if a map
		want   problemOf
	}{
		{name: "unknown field", body: map[string]any{"bogus": 1}, want: invalid("$: additional properties 'bogus' not allowed")},
		{name: "unknown gpu field", body: map[string]any{"gpu": gpu(map[string]any{"bogus": true})},
			want: invalid("$.gpu: additional properties 'bogus' not allowed")},
		{name: "GraphQL field name", body: map[string]any{"imageName": "x"}, want: invalid("$: additional properties 'imageName' not allowed")},
		{name: "wrong type", body: map[string]any{"name": 5}, want: invalid("$.name: got number, want string")},
		{name: "missing name", body: map[string]any{"name": nil}, want: invalid("$: missing property 'name'")},
		{name: "empty name", body: map[string]any{"name": ""}, want: invalid("$.name: minLength: got 0, want 1")},
		{name: "bad enum", body: map[string]any{"cloud": "ALL"}, want: invalid("$.cloud: value must be one of 'SECURE', 'COMMUNITY'")},
		{name: "env as GraphQL's list", body: map[string]any{"env": []any{"A=B"}}, want: invalid("$.env: got array, want object")},
		{name: "no image and no template", body: map[string]any{"image": nil}, want: invalid("$: missing property 'image'")},
		{name: "persistent mount under 10 GB", body: map[string]any{"mounts": map[string]any{"persistent": map[string]any{"size": 5, "path": "/w"}}},
			want: invalid("$.mounts.persistent.size: minimum: got 5, want 10")},
		{name: "zero GPUs", body: map[string]any{"gpu": gpu(map[string]any{"count": 0})}, want: invalid("$.gpu.count: minimum: got 0, want 1")},
		{name: "bare major CUDA floor", body: map[string]any{"gpu": gpu(map[string]any{"minCudaVersion": "12"})},
			want: invalid(`$.gpu.minCudaVersion: '12' does not match pattern '^\\d+\\.\\d+$'`)},
		{name: "unknown query parameter", method: http.MethodGet, path: "/v2/pods?api_key=x",
			want: invalid("query parameter 'api_key' is not defined for this operation")},
		{name: "wrong query type", method: http.MethodGet, path: "/v2/pods?includeClusterPods=maybe",
			want: invalid("Query parameter 'includeClusterPods' is not a valid boolean: Value 'maybe' is not a valid boolean")},
		{name: "bad action", path: "/v2/pods/x/action", body: `{"action":"reboot"}`,
			want: invalid("$.action: value must be one of 'start', 'stop', 'restart', 'terminate'")},
		{name: "not JSON", body: `{"name":`, want: bad(400, "request body is not valid JSON")},
		{name: "gpu and cpu", body: map[string]any{"cpu": map[string]any{"id": "cpu5c", "vcpuCount": 4}},
			want: bad(400, "Exactly one of gpu or cpu must be set.")},
		{name: "neither gpu nor cpu", body: map[string]any{"gpu": nil}, want: bad(400, "Exactly one of gpu or cpu must be set.")},
		{name: "persistent and network mounts", body: map[string]any{"mounts": map[string]any{
			"persistent": map[string]any{"size": 20, "path": "/w"}, "network": []any{map[string]any{"volumeId": "v", "path": "/n"}}}},
			want: bad(400, "mounts.persistent and mounts.network are mutually exclusive.")},
		{name: "CUDA set and floor", body: map[string]any{"gpu": gpu(map[string]any{"allowedCudaVersions": []any{"12.8"}, "minCudaVersion": "12.4"})},
			want: bad(400, "gpu.allowedCudaVersions and gpu.minCudaVersion are mutually exclusive.")},
		{name: "bad port", body: map[string]any{"ports": []any{"22/udp"}}, want: bad(400, `Invalid port "22/udp": expected <port>/tcp or <port>/http.`)},
		{name: "unknown network volume", body: map[string]any{"mounts": map[string]any{"network": []any{map[string]any{"volumeId": "vol_x", "path": "/n"}}}},
			want: bad(404, `network volume "vol_x" not found`)},
		{name: "unknown pod", method: http.MethodGet, path: "/v2/pods/nosuchpod00000", want: bad(404, "pod not found")},
		{name: "action on unknown pod", path: "/v2/pods/nosuchpod00000/action", body: `{"action":"stop"}`, want: bad(404, "pod not found")},
		{name: "delete unknown pod", method: http.MethodDelete, path: "/v2/pods/nosuchpod00000", want: bad(404, "pod not found")},
		{name: "unknown path", method: http.MethodGet, path: "/v2/nothing", want: bad(404, "no such path: /v2/nothing")},
		{name: "method not allowed", method: http.MethodPut, path: "/v2/pods/x", body: `{}`,
			want: bad(405, "The requested method is not allowed for this path.")},
	}
	t.Cleanup(func() {
		if n := len(srv.Pods()); n != 0 {
			t.Errorf("%d pods exist, want 0", n)
		}
	})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			method, path, body := tc.method, tc.path, tc.body
			if method == "" {
				method = http.MethodPost
			}
			if path == "" {
				path = "/v2/pods"
			}
			if m, ok := body.(map[string]any); ok {
				body = with(createBody(), m)
			}
			resp := call(t, srv, ts, testKey, method, path, body)
			if resp.status != tc.want.Status {
				t.Errorf("status = %d, want %d; body %s", resp.status, tc.want.Status, resp.body)
			}
			if diff := cmp.Diff(tc.want, readProblem(t, resp)); diff != "" {
				t.Errorf("problem mismatch (-want +got):\n%s", diff)
			}
			if got := resp.header.Get("Allow"); resp.status == http.StatusMethodNotAllowed && got != "DELETE, GET, PATCH" {
				t.Errorf("Allow = %q, want %q", got, "DELETE, GET, PATCH")
			}
		})
	}
}
