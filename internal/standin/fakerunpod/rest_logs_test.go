package fakerunpod

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// logEvent is one event of a log stream.
type logEvent struct {
	ID, TS, Source, Line string
}

// logStream is an open log stream.
type logStream struct {
	events <-chan logEvent // closed when the stream ends
}

// next reads the next event; false if none comes within a second.
func (s logStream) next() (logEvent, bool) {
	select {
	case e, ok := <-s.events:
		return e, ok
	case <-time.After(time.Second):
		return logEvent{}, false
	}
}

// ended reports whether the server ended the stream within a second.
func (s logStream) ended() bool {
	deadline := time.After(time.Second)
	for {
		select {
		case _, ok := <-s.events:
			if !ok {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

// openLogs opens a log stream at path and returns a function that reads
// its next event, false if none comes within a second. The stream closes
// when the test ends.
func openLogs(t *testing.T, srv *Server, ts *httptest.Server, path, lastEventID string) func() (logEvent, bool) {
	t.Helper()
	return openLogStream(t, srv, ts, path, lastEventID).next
}

// openLogStream opens a log stream at path; it closes when the test ends.
func openLogStream(t *testing.T, srv *Server, ts *httptest.Server, path, lastEventID string) logStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := newRESTRequest(ctx, ts.URL, testKey, http.MethodGet, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("open logs: %v", err)
	}
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	checkWire(t, srv, http.MethodGet, path, restResponse{status: resp.StatusCode, header: resp.Header})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("open logs: status %d", resp.StatusCode)
	}
	events := make(chan logEvent)
	go readEvents(ctx, bufio.NewScanner(resp.Body), events)
	return logStream{events: events}
}

// readEvents sends the events sc reads until it ends or ctx does, then
// closes out.
func readEvents(ctx context.Context, sc *bufio.Scanner, out chan<- logEvent) {
	defer close(out)
	var e logEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "id: "):
			e.ID = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "data: "):
			var d struct{ TS, Source, Line string }
			_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &d)
			e.TS, e.Source, e.Line = d.TS, d.Source, d.Line
		case line == "":
			select {
			case out <- e:
			case <-ctx.Done():
				return
			}
			e = logEvent{}
		}
	}
}

// machineName hides the made-up machine id in a create line.
var machineName = regexp.MustCompile(`machine \w+`)

func TestRESTLogs(t *testing.T) {
	t.Parallel()
	create := "system: create: pod POD placed on machine M in EU-RO-1 (SECURE)"
	system := []string{create, "system: image pull: runpod/base:0.6.2", "system: container started"}
	later, stop := "container: later", "system: stop: container stopped, volume kept"
	tests := []struct {
		name     string
		query    string
		backfill []string // "source: line", POD for the pod's id
		live     []string // what arrives as the container writes "later", then the pod stops
	}{
		{name: "both sources", backfill: append(system, "container: hello", "container: world"), live: []string{later, stop}},
		{name: "system", query: "?source=system", backfill: system, live: []string{stop}},
		{name: "container", query: "?source=container", backfill: []string{"container: hello", "container: world"}, live: []string{later}},
		{name: "tail", query: "?tail=2", backfill: []string{"container: hello", "container: world"}, live: []string{later, stop}},
		{name: "no backfill", query: "?tail=0&source=container", live: []string{later}},
	}
	host := &restHost{}
	srv, ts := newRESTServer(t, Options{Host: host})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			id := createREST(t, srv, ts, createBody())
			waitForREST(t, srv, ts, id, "RUNNING")
			host.write(id, "hello", "world")
			next := openLogs(t, srv, ts, "/v2/pods/"+id+"/logs"+tc.query, "")
			var got []string
			last := ""
			for range tc.backfill {
				e, ok := next()
				if !ok {
					break
				}
				if e.ID != e.TS || e.TS <= last {
					t.Errorf("event id %q, ts %q after %q: want the ts as id, increasing", e.ID, e.TS, last)
				}
				last = e.TS
				got = append(got, machineName.ReplaceAllString(e.Source+": "+strings.ReplaceAll(e.Line, id, "POD"), "machine M"))
			}
			if diff := cmp.Diff(tc.backfill, got); diff != "" {
				t.Errorf("backfill mismatch (-want +got):\n%s", diff)
			}
			host.write(id, "later")
			for _, want := range tc.live {
				if want == stop {
					call(t, srv, ts, testKey, http.MethodPost, "/v2/pods/"+id+"/action", map[string]any{"action": "stop"})
				}
				if e, ok := next(); !ok || e.Source+": "+e.Line != want {
					t.Errorf("live event = %+v (%v), want %q", e, ok, want)
				}
			}
		})
	}
}

func TestRESTLogsResume(t *testing.T) {
	t.Parallel()
	host := &restHost{}
	srv, ts := newRESTServer(t, Options{Host: host})
	id := createREST(t, srv, ts, createBody())
	waitForREST(t, srv, ts, id, "RUNNING")
	host.write(id, "one", "two", "three")
	next := openLogs(t, srv, ts, "/v2/pods/"+id+"/logs?source=container", "")
	first, _ := next()
	tests := []struct {
		name, query, lastEventID string
	}{
		{name: "Last-Event-ID", lastEventID: first.ID},
		{name: "since", query: "&since=" + first.TS},
		{name: "Last-Event-ID wins over since and tail", query: "&tail=1&since=2000-01-01T00:00:00Z", lastEventID: first.ID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			next := openLogs(t, srv, ts, "/v2/pods/"+id+"/logs?source=container"+tc.query, tc.lastEventID)
			var got []string
			for range 2 {
				e, _ := next()
				got = append(got, e.Line)
			}
			if diff := cmp.Diff([]string{"two", "three"}, got); diff != "" {
				t.Errorf("events after the cursor mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRESTLogsOfAnUnknownPod(t *testing.T) {
	t.Parallel()
	srv, ts := newRESTServer(t, Options{})
	resp := call(t, srv, ts, testKey, http.MethodGet, "/v2/pods/nosuchpod00000/logs", nil)
	want := problemOf{ContentType: "application/problem+json", Status: 404, Detail: "pod not found"}
	if diff := cmp.Diff(want, readProblem(t, resp)); diff != "" {
		t.Errorf("problem mismatch (-want +got):\n%s", diff)
	}
}

func TestRESTLogStreamOutlivesItsPod(t *testing.T) {
	t.Parallel()
	srv, ts := newRESTServer(t, Options{})
	id := createREST(t, srv, ts, createBody())
	stream := openLogStream(t, srv, ts, "/v2/pods/"+id+"/logs?tail=0", "")
	call(t, srv, ts, testKey, http.MethodDelete, "/v2/pods/"+id, nil)
	if stream.ended() {
		t.Fatal("the stream ended with its pod; want it open until the client goes away")
	}
	srv.Close()
	if !stream.ended() {
		t.Error("the stream outlived the server")
	}
}
