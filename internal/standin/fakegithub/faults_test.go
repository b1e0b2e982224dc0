package fakegithub_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

func TestFailNext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		endpoint       string
		fault          fakegithub.Fault
		wantStatus     int
		wantBody       string
		wantRetryAfter string
		minDuration    time.Duration
	}{
		{name: "status only", endpoint: "list-runners", fault: fakegithub.Fault{Status: 502}, wantStatus: 502,
			wantBody: `{"message":"Bad Gateway","documentation_url":"https://docs.github.com/rest","status":"502"}`},
		{name: "custom body and retry", endpoint: "list-runners",
			fault:      fakegithub.Fault{Status: 429, Body: `{"message":"slow down"}`, RetryAfter: 1500 * time.Millisecond},
			wantStatus: 429, wantBody: `{"message":"slow down"}`, wantRetryAfter: "2"},
		{name: "delay only", endpoint: "list-runners", fault: fakegithub.Fault{Delay: 50 * time.Millisecond},
			wantStatus: 200, wantBody: `{"total_count":0,"runners":[]}`, minDuration: 50 * time.Millisecond},
		{name: "delay then error", endpoint: "list-runners",
			fault:      fakegithub.Fault{Status: 500, Delay: 30 * time.Millisecond},
			wantStatus: 500, wantBody: `{"message":"Internal Server Error","documentation_url":"https://docs.github.com/rest","status":"500"}`,
			minDuration: 30 * time.Millisecond},
		{name: "other endpoint untouched", endpoint: "get-runner", fault: fakegithub.Fault{Status: 500},
			wantStatus: 200, wantBody: `{"total_count":0,"runners":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake, ts := start(t, testOptions())
			fake.FailNext(tt.endpoint, tt.fault)
			url := ts.URL + "/repos/acme/app/actions/runners"
			began := time.Now()
			status, hdr, body := do(t, http.MethodGet, url, "Bearer "+repoRead, "")
			took := time.Since(began)
			got := []any{status, body, hdr.Get("Retry-After")}
			if diff := cmp.Diff([]any{tt.wantStatus, tt.wantBody, tt.wantRetryAfter}, got); diff != "" {
				t.Errorf("faulted response (-want +got):\n%s", diff)
			}
			if took < tt.minDuration {
				t.Errorf("answered after %v, want at least %v", took, tt.minDuration)
			}
			status, _, body = do(t, http.MethodGet, url, "Bearer "+repoRead, "")
			if status != 200 || body != `{"total_count":0,"runners":[]}` {
				t.Errorf("request after the fault = %d %s, want 200 with an empty list", status, body)
			}
		})
	}
}

func TestFailNextWithClient(t *testing.T) {
	t.Parallel()
	fake, ts := start(t, testOptions())
	c := client(t, ts, repoAdmin)
	ctx := context.Background()
	fake.FailNext("generate-jitconfig", fakegithub.Fault{Status: 503})
	fake.FailNext("generate-jitconfig", fakegithub.Fault{Status: 500})
	for _, want := range []int{503, 500} {
		_, _, err := c.Actions.GenerateRepoJITConfig(ctx, "acme", "app", jitReq("pod", 1, "gpu"))
		if status, _ := apiStatus(t, err); status != want {
			t.Errorf("status = %d, want %d", status, want)
		}
	}
	if _, _, err := c.Actions.GenerateRepoJITConfig(ctx, "acme", "app", jitReq("pod", 1, "gpu")); err != nil {
		t.Fatalf("third generate: %v", err)
	}
	var statuses []int
	for _, r := range fake.Requests() {
		statuses = append(statuses, r.Status)
	}
	if diff := cmp.Diff([]int{503, 500, 201}, statuses); diff != "" {
		t.Errorf("recorded statuses (-want +got):\n%s", diff)
	}
	if got := fake.Count("generate-jitconfig"); got != 3 {
		t.Errorf("Count = %d, want 3", got)
	}
}
