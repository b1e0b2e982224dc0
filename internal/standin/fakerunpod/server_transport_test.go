package fakerunpod

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTransport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		method     string
		path       string
		body       string
		wantStatus int
		wantBody   string
	}{
		{name: "other path", method: http.MethodPost, path: "/v1/pods", body: `{}`, wantStatus: http.StatusNotFound},
		{name: "GET", method: http.MethodGet, path: "/graphql", wantStatus: http.StatusMethodNotAllowed},
		{name: "body not JSON", method: http.MethodPost, path: "/graphql", body: `query { myself { id } }`,
			wantStatus: http.StatusBadRequest, wantBody: `{"errors":[{"message":"Body is not valid JSON."}]}`},
		{name: "no query", method: http.MethodPost, path: "/graphql", body: `{"variables":{}}`,
			wantStatus: http.StatusBadRequest, wantBody: `{"errors":[{"message":"Must provide query string."}]}`},
		{name: "unknown operation name", method: http.MethodPost, path: "/graphql",
			body:       `{"query":"query A { myself { id } }","operationName":"B"}`,
			wantStatus: http.StatusBadRequest, wantBody: `{"errors":[{"message":"Unknown operation named \"B\"."}]}`},
		{name: "operation picked by name", method: http.MethodPost, path: "/graphql",
			body:       `{"query":"query A { myself { id } } query B { myself { email } }","operationName":"B","variables":null}`,
			wantStatus: http.StatusOK, wantBody: `{"data":{"myself":{"email":"ci@example.com"}}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, ts := newServer(t, Options{})
			req, err := http.NewRequest(tc.method, ts.URL+tc.path, bytes.NewBufferString(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+testKey)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body bytes.Buffer
			if _, err := body.ReadFrom(resp.Body); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if tc.wantBody != "" {
				if diff := cmp.Diff(tc.wantBody, body.String()); diff != "" {
					t.Errorf("body mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestNewNeedsAValidSchema(t *testing.T) {
	t.Parallel()
	for _, schema := range []string{"", "type Query {"} {
		if _, err := New(Options{Schema: schema}); err == nil {
			t.Errorf("New with schema %q: no error", schema)
		}
	}
}

func TestInspect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		json string
		want string
	}{
		{name: "object keeps key order", json: `{"z":1,"a":"x","m":[true,null]}`, want: `{ z: 1, a: "x", m: [true, null] }`},
		{name: "empty object", json: `{}`, want: `{}`},
		{name: "deep nesting", json: `{"a":{"b":{"c":{"d":1}}}}`, want: `{ a: { b: [Object] } }`},
		{name: "long list", json: `[1,2,3,4,5,6,7,8,9,10,11,12]`, want: `[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]`},
		{name: "number forms", json: `[1.0,2.5,-0.1]`, want: `[1, 2.5, -0.1]`},
		{name: "string escapes", json: `"a\"b<c>"`, want: `"a\"b<c>"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dec := json.NewDecoder(bytes.NewBufferString(tc.json))
			dec.UseNumber()
			v, err := decodeValue(dec)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, inspect(v)); diff != "" {
				t.Errorf("inspect mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// slowHost is a recordingHost whose Start takes a while.
type slowHost struct {
	recordingHost
	delay time.Duration
}

func (h *slowHost) Start(id string, env map[string]string) (string, int, error) {
	time.Sleep(h.delay)
	return h.recordingHost.Start(id, env)
}

func TestHostCallsFollowStateChanges(t *testing.T) {
	t.Parallel()
	host := &slowHost{delay: 100 * time.Millisecond}
	srv, ts := newServer(t, Options{Host: host})
	id := createPod(t, ts.URL, createInput())
	time.Sleep(30 * time.Millisecond) // the first Start is under way
	var wg sync.WaitGroup
	var stopErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, stopErr = send(context.Background(), ts.URL, testKey, stopDoc, podInput(id))
	}()
	time.Sleep(20 * time.Millisecond) // the stop waits for the Start
	post(t, ts.URL, testKey, resumeDoc, podInput(id))
	wg.Wait()
	if stopErr != nil {
		t.Fatalf("stop: %v", stopErr)
	}
	waitFor(t, 5*time.Second, "the second boot", func() bool { return len(srv.Pods()) == 1 && srv.Pods()[0].Booted })
	key := "ssh-ed25519 AAAA test"
	want := []string{"start " + id + " " + key, "stop " + id, "start " + id + " " + key}
	if diff := cmp.Diff(want, host.Calls()); diff != "" {
		t.Errorf("host calls mismatch (-want +got):\n%s", diff)
	}
	if got := srv.Pods()[0].SSHPort; got != 30002 {
		t.Errorf("ssh port = %d, want 30002", got)
	}
}
