package fakegithub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

// listener plays the runner side of the broker protocol over raw HTTP.
type listener struct {
	t       *testing.T
	id      int64
	base    string // serverUrlV2
	token   string
	session string
}

// newListener registers a repository runner and returns its listener side.
func newListener(t *testing.T, ts *httptest.Server, name string, labels ...string) *listener {
	t.Helper()
	cfg, _, err := client(t, ts, repoAdmin).Actions.GenerateRepoJITConfig(context.Background(), "acme", "app",
		jitReq(name, 1, labels...))
	if err != nil {
		t.Fatalf("generate %s: %v", name, err)
	}
	d := decodeJIT(t, cfg.GetEncodedJITConfig())
	base, _ := d.Runner["serverUrlV2"].(string)
	return &listener{t: t, id: cfg.GetRunner().GetID(), base: base, token: d.Credentials.Data.Token}
}

// call sends one broker request and decodes a JSON answer into out.
func (l *listener) call(method, path, body string, out any) int {
	l.t.Helper()
	status, _, resp := do(l.t, method, l.base+path, "Bearer "+l.token, body)
	if out != nil && status < 300 && resp != "" {
		if err := json.Unmarshal([]byte(resp), out); err != nil {
			l.t.Fatalf("%s %s: decode %q: %v", method, path, resp, err)
		}
	}
	return status
}

// connect creates a session.
func (l *listener) connect() int {
	var s struct {
		SessionID string `json:"sessionId"`
	}
	status := l.call(http.MethodPost, "sessions", `{"os":"Linux","version":"2.336.0"}`, &s)
	if s.SessionID != "" {
		l.session = s.SessionID
	}
	return status
}

// poll long-polls for a job and returns the status and the job ID.
func (l *listener) poll() (int, int64) {
	var m struct {
		JobID int64 `json:"jobId"`
	}
	status := l.call(http.MethodGet, "sessions/"+l.session+"/message", "", &m)
	return status, m.JobID
}

// runnerState returns status and busy of a runner, or "gone".
func runnerState(fake *fakegithub.Server, id int64) string {
	for _, r := range fake.Runners() {
		if r.ID == id {
			if r.Busy {
				return r.Status + "/busy"
			}
			return r.Status
		}
	}
	return "gone"
}

func TestBrokerJobLifecycle(t *testing.T) {
	t.Parallel()
	opts := testOptions()
	opts.OfflineAfter = 400 * time.Millisecond
	fake, ts := start(t, opts)
	l := newListener(t, ts, "pod-1", "gpu", "runpod")
	var cfg map[string]any
	if status := l.call(http.MethodGet, "config", "", &cfg); status != 200 {
		t.Fatalf("config status = %d", status)
	}
	wantCfg := map[string]any{"runnerId": float64(l.id), "runnerName": "pod-1", "behaviour": "normal",
		"pollMillis": float64(200), "heartbeatMillis": float64(133), "giveUpMillis": float64(30000), "startMillis": float64(0)}
	if diff := cmp.Diff(wantCfg, cfg); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	var states []any
	states = append(states, runnerState(fake, l.id), l.connect(), runnerState(fake, l.id), l.connect())
	status, jobID := l.poll()
	states = append(states, status, jobID)
	id := fake.QueueJob([]string{"GPU"}, "echo hi")
	status, jobID = l.poll()
	states = append(states, status, jobID == id, runnerState(fake, l.id))
	_, err := client(t, ts, repoAdmin).Actions.RemoveRunner(context.Background(), "acme", "app", l.id)
	code, _ := apiStatus(t, err)
	path := "jobs/" + itoa(id)
	states = append(states, code, l.call(http.MethodPost, path+"/renew", "", nil),
		l.call(http.MethodPost, path+"/result", `{"result":"Succeeded","exitCode":0,"output":"hi\n"}`, nil),
		runnerState(fake, l.id), l.call(http.MethodGet, "config", "", nil))
	want := []any{"offline", 201, "online", 409, 204, int64(0), 200, true, "online/busy", 422, 200, 200, "gone", 401}
	if diff := cmp.Diff(want, states); diff != "" {
		t.Errorf("lifecycle (-want +got):\n%s", diff)
	}
	got, err := fake.WaitJob(context.Background(), id)
	if err != nil {
		t.Fatalf("wait job: %v", err)
	}
	wantJob := fakegithub.JobStatus{ID: id, Status: "completed", Labels: []string{"GPU"}, RunnerID: l.id,
		RunnerName: "pod-1", Result: "Succeeded", Output: "hi\n"}
	if diff := cmp.Diff(wantJob, got); diff != "" {
		t.Errorf("job (-want +got):\n%s", diff)
	}
}

func TestBrokerOnlineOffline(t *testing.T) {
	t.Parallel()
	opts := testOptions()
	opts.OfflineAfter = 300 * time.Millisecond
	var mu sync.Mutex
	now := time.Now()
	opts.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	fake, ts := start(t, opts)
	l := newListener(t, ts, "pod-1", "gpu")
	var got []any
	got = append(got, l.connect())
	status, _ := l.poll()
	got = append(got, status, runnerState(fake, l.id))
	mu.Lock()
	now = now.Add(400 * time.Millisecond) // past OfflineAfter since the last poll
	mu.Unlock()
	got = append(got, runnerState(fake, l.id))
	status, _ = l.poll()
	got = append(got, status, runnerState(fake, l.id))
	got = append(got, l.call(http.MethodDelete, "sessions/"+l.session, "", nil), runnerState(fake, l.id))
	status, _ = l.poll()
	got = append(got, status, l.connect(), runnerState(fake, l.id))
	want := []any{201, 204, "online", "offline", 204, "online", 204, "offline", 404, 201, "online"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("states (-want +got):\n%s", diff)
	}
}

func TestBrokerJobMatching(t *testing.T) {
	t.Parallel()
	opts := testOptions()
	opts.OfflineAfter = 200 * time.Millisecond
	fake, ts := start(t, opts)
	gpu := newListener(t, ts, "gpu-pod", "gpu")
	cpu := newListener(t, ts, "cpu-pod", "cpu", "linux")
	gpu.connect()
	cpu.connect()
	cpuJob := fake.QueueJob([]string{"linux", "cpu"}, "true")
	none := fake.QueueJob([]string{"tpu"}, "true")
	gpuStatus, _ := gpu.poll()
	cpuStatus, cpuGot := cpu.poll()
	st, _ := fake.Job(none)
	got := []any{gpuStatus, cpuStatus, cpuGot == cpuJob, st.Status}
	if diff := cmp.Diff([]any{204, 200, true, "queued"}, got); diff != "" {
		t.Errorf("matching (-want +got):\n%s", diff)
	}
}

func TestBehaviourHook(t *testing.T) {
	t.Parallel()
	fake, ts := start(t, testOptions())
	fake.SetBehaviour("crash", fakegithub.BehaviourCrash)
	fake.SetBehaviour("late", fakegithub.BehaviourNeverOnline)
	fake.SetBehaviour("late-ok", fakegithub.BehaviourNormal)
	tests := []struct {
		name string
		want string
	}{
		{name: "pod-crash-1", want: "crash"},
		{name: "pod-late-1", want: "never-online"},
		{name: "pod-late-ok", want: "normal"},
		{name: "pod-plain", want: "normal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var cfg struct {
				Behaviour string `json:"behaviour"`
			}
			newListener(t, ts, tt.name, "gpu").call(http.MethodGet, "config", "", &cfg)
			if cfg.Behaviour != tt.want {
				t.Errorf("behaviour = %q, want %q", cfg.Behaviour, tt.want)
			}
		})
	}
}

func TestBrokerRejectsUnknownToken(t *testing.T) {
	t.Parallel()
	_, ts := start(t, testOptions())
	for _, auth := range []string{"", "Bearer " + repoAdmin, "Bearer nope"} {
		if status, _, _ := do(t, http.MethodGet, ts.URL+"/_broker/config", auth, ""); status != 401 {
			t.Errorf("auth %q: status = %d, want 401", auth, status)
		}
	}
}
