//go:build !nocontract

package fakerunpod

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRESTAnswersAreChecked(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t, Options{})
	retryAfter := problem(http.StatusTooManyRequests, "slow down")
	retryAfter.header.Set("Retry-After", "soon")
	tests := []struct {
		name     string
		method   string
		path     string
		answer   restReply
		wantErrs []string // nil: the answer passes
	}{
		{name: "a valid answer", method: http.MethodGet, path: "/v2/pods", answer: jsonReply(200, map[string]any{"pods": []any{}})},
		{name: "a pod missing its fields", method: http.MethodGet, path: "/v2/pods", answer: jsonReply(200, map[string]any{"pods": []any{map[string]any{"id": "x"}}}),
			wantErrs: []string{"$.pods[0]: missing properties 'name', 'status', 'actions', 'image', 'args', 'disk', 'mounts', 'ports', 'env', 'registry', 'cloud', 'dataCenterId', 'cudaVersion', 'ssh', 'template', 'cost', 'locked', 'runtime', 'createdAt', 'startedAt', 'globalNetworking'"}},
		{name: "a status the operation does not answer", method: http.MethodPost, path: "/v2/pods", answer: jsonReply(200, restPod{}),
			wantErrs: []string{"POST / 200 operation response content type 'application/json' does not exist"}},
		{name: "a problem without detail", method: http.MethodGet, path: "/v2/pods/x", answer: jsonReplyAs(404, "application/problem+json", map[string]any{"title": "Not Found", "status": 404}),
			wantErrs: []string{"$: missing property 'detail'"}},
		{name: "Retry-After not in seconds", method: http.MethodGet, path: "/v2/pods", answer: retryAfter,
			wantErrs: []string{"header 'retry-after' failed to validate: got string, want integer"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var rec Request
			got := srv.checkAnswer(httptest.NewRequest(tc.method, tc.path, nil), tc.answer, &rec)
			if diff := cmp.Diff(tc.wantErrs, rec.ResponseErrors); diff != "" {
				t.Errorf("response errors mismatch (-want +got):\n%s", diff)
			}
			wantStatus := tc.answer.status
			if tc.wantErrs != nil {
				wantStatus = http.StatusInternalServerError
			}
			if got.status != wantStatus {
				t.Errorf("status = %d, want %d", got.status, wantStatus)
			}
		})
	}
}

// jsonReplyAs is a JSON answer with another content type.
func jsonReplyAs(status int, contentType string, v any) restReply {
	rep := jsonReply(status, v)
	rep.header.Set("Content-Type", contentType)
	return rep
}

func TestLoadOpenAPIRefusesDescriptionsItCannotServe(t *testing.T) {
	t.Parallel()
	spec, err := os.ReadFile("../../../testdata/runpod/rest-v2-openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	edit := func(change func(doc map[string]any)) []byte {
		var doc map[string]any
		if err := json.Unmarshal(spec, &doc); err != nil {
			t.Fatal(err)
		}
		change(doc)
		b, _ := json.Marshal(doc)
		return b
	}
	paths := func(doc map[string]any) map[string]any { return doc["paths"].(map[string]any) }
	tests := []struct {
		name    string
		spec    []byte
		wantErr string
	}{
		{name: "not JSON", spec: []byte("openapi: 3.1.0"), wantErr: "fakerunpod: parse openapi: "},
		{name: "no logs path", spec: edit(func(d map[string]any) { delete(paths(d), "/v2/pods/{id}/logs") }),
			wantErr: "fakerunpod: openapi: no path /v2/pods/{id}/logs"},
		{name: "renamed operation", spec: edit(func(d map[string]any) {
			at(paths(d), "/v2/pods/{id}/action", "post").(map[string]any)["operationId"] = "podActions"
		}), wantErr: "fakerunpod: openapi: no operation podAction"},
		{name: "dangling reference", spec: edit(func(d map[string]any) {
			at(d, "components", "schemas").(map[string]any)["Pod"] = map[string]any{"$ref": "#/components/schemas/Nope"}
		}), wantErr: `fakerunpod: openapi: cannot follow $ref "#/components/schemas/Nope"`},
	}
	schema, err := os.ReadFile("../../../testdata/runpod/schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(Options{Schema: string(schema), OpenAPI: tc.spec})
			if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
				t.Errorf("New: error %v, want one starting %q", err, tc.wantErr)
			}
		})
	}
}

func TestRESTRequestsAreRecorded(t *testing.T) {
	t.Parallel()
	srv, ts := newRESTServer(t, Options{})
	id := createREST(t, srv, ts, createBody())
	call(t, srv, ts, testKey, http.MethodGet, "/v2/pods/"+id, nil)
	call(t, srv, ts, testKey, http.MethodPost, "/v2/pods", map[string]any{"name": 1})
	call(t, srv, ts, "", http.MethodGet, "/v2/pods", nil)
	call(t, srv, ts, testKey, http.MethodGet, "/v2/templates", nil)
	post(t, ts.URL, testKey, getPodDoc, podInput(id))
	type summary struct {
		Method, Path, Operation string
		Fields                  []string
		Validated               bool
		Auth                    AuthMethod
		Status                  int
		Errors                  []string
	}
	var got []summary
	for _, r := range srv.Requests() {
		got = append(got, summary{r.Method, r.Path, r.Operation, r.RootFields, r.Validated, r.Auth, r.Status, r.Errors})
	}
	want := []summary{
		{"POST", "/v2/pods", "createPod", nil, true, AuthHeader, 201, nil},
		{"GET", "/v2/pods/" + id, "getPod", nil, true, AuthHeader, 200, nil},
		{"POST", "/v2/pods", "createPod", nil, false, AuthHeader, 422, []string{"Request validation failed.",
			"$.name: got number, want string", "$: missing property 'image'"}},
		{"GET", "/v2/pods", "listPods", nil, false, AuthNone, 401, []string{"missing bearer token"}},
		{"GET", "/v2/templates", "", nil, false, "", 404, []string{"no such path: /v2/templates"}},
		{"", "", "", []string{"pod"}, false, AuthHeader, 200, nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests mismatch (-want +got):\n%s", diff)
	}
	if got := srv.Requests()[0].Body; !strings.Contains(got, `"name":"gha-repo-1-1"`) {
		t.Errorf("recorded body = %s", got)
	}
	wantCounts := map[string]int{"createPod": 2, "getPod": 1, "listPods": 1, "pod": 1}
	if diff := cmp.Diff(wantCounts, srv.Counts()); diff != "" {
		t.Errorf("counts mismatch (-want +got):\n%s", diff)
	}
}
