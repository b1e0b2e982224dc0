package fakegithub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// itoa formats an int64.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSandboxJobsHTTP(t *testing.T) {
	t.Parallel()
	_, ts := start(t, testOptions())
	status, _, body := do(t, http.MethodPost, ts.URL+"/_sandbox/jobs", "", `{"labels":["gpu"],"script":"nvidia-smi"}`)
	var created struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(body), &created); err != nil || status != 201 {
		t.Fatalf("create = %d %s (%v), want 201", status, body, err)
	}
	status, _, body = do(t, http.MethodGet, ts.URL+"/_sandbox/jobs/"+itoa(created.ID), "", "")
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil || status != 200 {
		t.Fatalf("get = %d %s (%v), want 200", status, body, err)
	}
	want := map[string]any{"id": float64(created.ID), "status": "queued", "labels": []any{"gpu"},
		"runner_id": float64(0), "runner_name": "", "result": "", "exit_code": float64(0), "output": ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("job (-want +got):\n%s", diff)
	}
}

func TestSandboxJobsRejects(t *testing.T) {
	t.Parallel()
	_, ts := start(t, testOptions())
	tests := []struct {
		name       string
		method     string
		path       string
		body       string
		wantStatus int
	}{
		{name: "broken JSON", method: http.MethodPost, path: "/_sandbox/jobs", body: "{", wantStatus: 400},
		{name: "no script", method: http.MethodPost, path: "/_sandbox/jobs", body: `{"labels":[]}`, wantStatus: 422},
		{name: "unknown job", method: http.MethodGet, path: "/_sandbox/jobs/99", wantStatus: 404},
		{name: "bad job id", method: http.MethodGet, path: "/_sandbox/jobs/x", wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if status, _, body := do(t, tt.method, ts.URL+tt.path, "", tt.body); status != tt.wantStatus {
				t.Errorf("status = %d (%s), want %d", status, body, tt.wantStatus)
			}
		})
	}
}

func TestWaitJob(t *testing.T) {
	t.Parallel()
	fake, _ := start(t, testOptions())
	if _, err := fake.WaitJob(context.Background(), 42); err == nil {
		t.Errorf("unknown job: want an error")
	}
	id := fake.QueueJob(nil, "true")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	st, err := fake.WaitJob(ctx, id)
	if err == nil || st.Status != "queued" {
		t.Errorf("WaitJob = %+v, %v; want queued and a deadline error", st, err)
	}
}
