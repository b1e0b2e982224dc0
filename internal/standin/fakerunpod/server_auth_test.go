package fakerunpod

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAuth(t *testing.T) {
	t.Parallel()
	myself := `query Me { myself { id } }`
	tests := []struct {
		name       string
		key        string
		query      string
		vars       map[string]any
		wantStatus int
		wantBody   string // "" to skip
	}{
		{name: "no key", query: myself, wantStatus: http.StatusUnauthorized},
		{name: "unknown key", key: "rpa_WRONG", query: myself, wantStatus: http.StatusUnauthorized},
		{name: "unknown key on the catalog", key: "rpa_WRONG", query: gpuDoc, wantStatus: http.StatusUnauthorized},
		{name: "no key on the catalog", query: `{ gpuTypes(input: {id: "NVIDIA L4"}) { id } }`,
			wantStatus: http.StatusOK, wantBody: `{"data":{"gpuTypes":[{"id":"NVIDIA L4"}]}}`},
		{name: "read-write key", key: testKey, query: myself,
			wantStatus: http.StatusOK, wantBody: `{"data":{"myself":{"id":"user_fakerunpod"}}}`},
		{name: "read-only key on myself", key: readOnlyKey, query: myself, wantStatus: http.StatusOK,
			wantBody: `{"errors":[{"message":"Unauthorized","path":["myself"],"extensions":{"code":"RUNPOD"}}],"data":{"myself":null}}`},
		{name: "read-only key on create", key: readOnlyKey, query: createDoc, vars: input(createInput()), wantStatus: http.StatusOK,
			wantBody: `{"errors":[{"message":"Unauthorized","path":["podFindAndDeployOnDemand"],"extensions":{"code":"RUNPOD"}}],"data":{"podFindAndDeployOnDemand":null}}`},
		{name: "read-only key on terminate", key: readOnlyKey, query: termDoc, vars: podInput("x"), wantStatus: http.StatusOK,
			wantBody: `{"errors":[{"message":"Unauthorized","path":["podTerminate"],"extensions":{"code":"RUNPOD"}}],"data":{"podTerminate":null}}`},
		{name: "read-only key on stop, whose pod is non-null", key: readOnlyKey, query: stopDoc, vars: podInput("x"), wantStatus: http.StatusOK,
			wantBody: `{"errors":[{"message":"Unauthorized","path":["podStop"],"extensions":{"code":"RUNPOD"}}],"data":null}`},
		{name: "read-only key on pod", key: readOnlyKey, query: getPodDoc, vars: podInput("x"),
			wantStatus: http.StatusOK, wantBody: `{"data":{"pod":null}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, ts := newServer(t, Options{})
			resp := post(t, ts.URL, tc.key, tc.query, tc.vars)
			if resp.status != tc.wantStatus {
				t.Errorf("status = %d, want %d; body %s", resp.status, tc.wantStatus, resp.body)
			}
			if tc.wantBody != "" {
				if diff := cmp.Diff(tc.wantBody, resp.body); diff != "" {
					t.Errorf("body mismatch (-want +got):\n%s", diff)
				}
			}
			if n := len(srv.Pods()); n != 0 {
				t.Errorf("%d pods exist, want 0", n)
			}
		})
	}
}

func TestAuthMethodIsRecorded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		header     string
		rawQuery   string
		wantStatus int
		want       AuthMethod
	}{
		{name: "bearer header", header: "Bearer " + testKey, wantStatus: http.StatusOK, want: AuthHeader},
		{name: "api_key parameter", rawQuery: "api_key=" + testKey, wantStatus: http.StatusOK, want: AuthQueryParam},
		{name: "header wins", header: "Bearer " + testKey, rawQuery: "api_key=rpa_WRONG", wantStatus: http.StatusOK, want: AuthHeader},
		{name: "header without Bearer", header: testKey, wantStatus: http.StatusUnauthorized, want: AuthHeader},
		{name: "nothing", wantStatus: http.StatusUnauthorized, want: AuthNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, ts := newServer(t, Options{})
			url := ts.URL + "/graphql"
			if tc.rawQuery != "" {
				url += "?" + tc.rawQuery
			}
			req, err := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(`{"query":"{ myself { id } }"}`))
			if err != nil {
				t.Fatal(err)
			}
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests recorded, want 1", len(reqs))
			}
			if reqs[0].Auth != tc.want {
				t.Errorf("Auth = %q, want %q", reqs[0].Auth, tc.want)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	srv, ts := newServer(t, Options{RateLimit: 1, Clock: clock, Keys: map[string]KeyAccess{testKey: ReadWrite, "rpa_OTHER": ReadWrite}})
	query := `{ myself { id } }`
	if got := post(t, ts.URL, testKey, query, nil).status; got != http.StatusOK {
		t.Fatalf("first request: status %d, want 200", got)
	}
	resp := post(t, ts.URL, testKey, query, nil)
	if resp.status != http.StatusTooManyRequests || resp.header.Get("Retry-After") != "1" {
		t.Errorf("second request: status %d, Retry-After %q; want 429 and 1", resp.status, resp.header.Get("Retry-After"))
	}
	if got := post(t, ts.URL, "rpa_OTHER", query, nil).status; got != http.StatusOK {
		t.Errorf("another key: status %d, want 200", got)
	}
	clock.Advance(1100 * time.Millisecond)
	if got := post(t, ts.URL, testKey, query, nil).status; got != http.StatusOK {
		t.Errorf("after a second: status %d, want 200", got)
	}
	var statuses []int
	for _, r := range srv.Requests() {
		statuses = append(statuses, r.Status)
	}
	if diff := cmp.Diff([]int{200, 429, 200, 200}, statuses); diff != "" {
		t.Errorf("recorded statuses mismatch (-want +got):\n%s", diff)
	}
}
