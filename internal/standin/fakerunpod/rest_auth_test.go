package fakerunpod

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRESTAuth(t *testing.T) {
	t.Parallel()
	srv, ts := newRESTServer(t, Options{})
	id := createREST(t, srv, ts, createBody())
	tests := []struct {
		name       string
		header     string // the Authorization header
		method     string
		path       string
		body       any
		wantStatus int
		wantDetail string // "" for a success
	}{
		{name: "no key", method: http.MethodGet, path: "/v2/pods", wantStatus: 401, wantDetail: "missing bearer token"},
		{name: "key as a parameter", method: http.MethodGet, path: "/v2/pods?api_key=" + testKey, wantStatus: 401, wantDetail: "missing bearer token"},
		{name: "unknown key", header: "Bearer rpa_WRONG", method: http.MethodGet, path: "/v2/pods", wantStatus: 401, wantDetail: "invalid bearer token"},
		{name: "not Bearer", header: "Basic " + testKey, method: http.MethodGet, path: "/v2/pods", wantStatus: 401, wantDetail: "malformed bearer token"},
		{name: "no key on the catalog", method: http.MethodGet, path: "/v2/catalog/gpus", wantStatus: 401, wantDetail: "missing bearer token"},
		{name: "read-write key", header: "Bearer " + testKey, method: http.MethodGet, path: "/v2/pods", wantStatus: 200},
		{name: "read-only key lists", header: "Bearer " + readOnlyKey, method: http.MethodGet, path: "/v2/pods", wantStatus: 200},
		{name: "read-only key reads a pod", header: "Bearer " + readOnlyKey, method: http.MethodGet, path: "/v2/pods/" + id, wantStatus: 200},
		{name: "read-only key reads the catalog", header: "Bearer " + readOnlyKey, method: http.MethodGet, path: "/v2/catalog/gpus", wantStatus: 200},
		{name: "read-only key creates", header: "Bearer " + readOnlyKey, method: http.MethodPost, path: "/v2/pods", body: createBody(),
			wantStatus: 403, wantDetail: "access denied"},
		{name: "read-only key updates", header: "Bearer " + readOnlyKey, method: http.MethodPatch, path: "/v2/pods/" + id,
			body: map[string]any{"name": "x"}, wantStatus: 403, wantDetail: "access denied"},
		{name: "read-only key acts", header: "Bearer " + readOnlyKey, method: http.MethodPost, path: "/v2/pods/" + id + "/action",
			body: map[string]any{"action": "stop"}, wantStatus: 403, wantDetail: "access denied"},
		{name: "read-only key deletes", header: "Bearer " + readOnlyKey, method: http.MethodDelete, path: "/v2/pods/" + id,
			wantStatus: 403, wantDetail: "access denied"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, err := newRESTRequest(t.Context(), ts.URL, "", tc.method, tc.path, tc.body)
			if err != nil {
				t.Fatal(err)
			}
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp := doREST(t, srv, req)
			if resp.status != tc.wantStatus {
				t.Errorf("status = %d, want %d; body %s", resp.status, tc.wantStatus, resp.body)
			}
			if got := readProblem(t, resp).Detail; got != tc.wantDetail {
				t.Errorf("detail = %q, want %q", got, tc.wantDetail)
			}
		})
	}
	t.Cleanup(func() {
		if got := srv.Pods(); len(got) != 1 || got[0].Status != "RUNNING" {
			t.Errorf("pods = %+v, want the one pod, running", got)
		}
	})
}

// doREST sends req and checks the answer against the OpenAPI description.
func doREST(t *testing.T, srv *Server, req *http.Request) restResponse {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("do: %v", err)
	}
	defer resp.Body.Close()
	var b []byte
	if b, err = readAll(resp); err != nil {
		t.Fatalf("read: %v", err)
	}
	out := restResponse{status: resp.StatusCode, header: resp.Header, body: string(b)}
	checkWire(t, srv, req.Method, req.URL.RequestURI(), out)
	return out
}

func TestRESTPodKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		method     string
		path       string // OWN and OTHER stand for the pods' ids
		body       any
		wantStatus int
	}{
		{name: "get its pod", method: http.MethodGet, path: "/v2/pods/OWN", wantStatus: 200},
		{name: "stop its pod", method: http.MethodPost, path: "/v2/pods/OWN/action", body: map[string]any{"action": "stop"}, wantStatus: 200},
		{name: "terminate its pod", method: http.MethodPost, path: "/v2/pods/OWN/action", body: map[string]any{"action": "terminate"}, wantStatus: 204},
		{name: "delete its pod", method: http.MethodDelete, path: "/v2/pods/OWN", wantStatus: 204},
		{name: "get another pod", method: http.MethodGet, path: "/v2/pods/OTHER", wantStatus: 403},
		{name: "stop another pod", method: http.MethodPost, path: "/v2/pods/OTHER/action", body: map[string]any{"action": "stop"}, wantStatus: 403},
		{name: "delete another pod", method: http.MethodDelete, path: "/v2/pods/OTHER", wantStatus: 403},
		{name: "update its pod", method: http.MethodPatch, path: "/v2/pods/OWN", body: map[string]any{"name": "x"}, wantStatus: 403},
		{name: "list pods", method: http.MethodGet, path: "/v2/pods", wantStatus: 403},
		{name: "create a pod", method: http.MethodPost, path: "/v2/pods", body: createBody(), wantStatus: 403},
		{name: "read its logs", method: http.MethodGet, path: "/v2/pods/OWN/logs", wantStatus: 403},
		{name: "read the catalog", method: http.MethodGet, path: "/v2/catalog/gpus", wantStatus: 403},
	}
	srv, ts := newRESTServer(t, Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			own, other := createREST(t, srv, ts, createBody()), createREST(t, srv, ts, createBody())
			key := podKey(t, srv, own)
			path := replaceAll(tc.path, "OWN", own, "OTHER", other)
			resp := call(t, srv, ts, key, tc.method, path, tc.body)
			if resp.status != tc.wantStatus {
				t.Errorf("status = %d, want %d; body %s", resp.status, tc.wantStatus, resp.body)
			}
			if tc.wantStatus == http.StatusForbidden {
				if diff := cmp.Diff("access denied", readProblem(t, resp).Detail); diff != "" {
					t.Errorf("detail mismatch (-want +got):\n%s", diff)
				}
			}
			if _, ok := srv.world.get(other); !ok {
				t.Errorf("the other pod is gone")
			}
		})
	}
}

func TestRESTPodKeyDiesWithItsPod(t *testing.T) {
	t.Parallel()
	srv, ts := newRESTServer(t, Options{})
	id := createREST(t, srv, ts, createBody())
	key := podKey(t, srv, id)
	for _, p := range call(t, srv, ts, testKey, http.MethodGet, "/v2/pods", nil).json(t)["pods"].([]any) {
		if env := at(p, "env"); at(env, "RUNPOD_API_KEY") != nil {
			t.Errorf("Pod.env lists the pod key: %v", env)
		}
	}
	if got := call(t, srv, ts, key, http.MethodDelete, "/v2/pods/"+id, nil).status; got != http.StatusNoContent {
		t.Fatalf("delete with the pod key: status %d, want 204", got)
	}
	resp := call(t, srv, ts, key, http.MethodGet, "/v2/pods/"+id, nil)
	if diff := cmp.Diff("invalid bearer token", readProblem(t, resp).Detail); resp.status != http.StatusUnauthorized || diff != "" {
		t.Errorf("the key of a terminated pod: status %d, detail mismatch (-want +got):\n%s", resp.status, diff)
	}
}

// podKey returns the pod-scoped key of the pod with id.
func podKey(t *testing.T, srv *Server, id string) string {
	t.Helper()
	for _, p := range srv.Pods() {
		if p.ID == id {
			return p.APIKey
		}
	}
	t.Fatalf("no pod %s", id)
	return ""
}
