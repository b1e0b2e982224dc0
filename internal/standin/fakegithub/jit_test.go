package fakegithub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

func TestGenerateJITConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		org        bool
		token      string
		group      int64
		wantGitHub string
	}{
		{name: "repository", token: repoAdmin, group: 1, wantGitHub: "https://github.com/acme/app"},
		{name: "organization", org: true, token: orgAdmin, group: 5, wantGitHub: "https://github.com/acme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake, ts := start(t, testOptions())
			c := client(t, ts, tt.token)
			req := jitReq("pod-1", tt.group, "gpu", "runpod", "GPU")
			var cfg *github.JITRunnerConfig
			var resp *github.Response
			var err error
			if tt.org {
				cfg, resp, err = c.Actions.GenerateOrgJITConfig(context.Background(), "acme", req)
			} else {
				cfg, resp, err = c.Actions.GenerateRepoJITConfig(context.Background(), "acme", "app", req)
			}
			if err != nil {
				t.Fatalf("generate: %v", err)
			}
			if resp.StatusCode != http.StatusCreated {
				t.Errorf("status = %d, want 201", resp.StatusCode)
			}
			r := cfg.GetRunner()
			gotRunner := map[string]any{"name": r.GetName(), "os": r.GetOS(), "status": r.GetStatus(),
				"busy": r.GetBusy(), "labels": len(r.Labels)}
			wantRunner := map[string]any{"name": "pod-1", "os": "unknown", "status": "offline",
				"busy": false, "labels": 2}
			if diff := cmp.Diff(wantRunner, gotRunner); diff != "" {
				t.Errorf("runner mismatch (-want +got):\n%s", diff)
			}
			for _, l := range r.Labels {
				if l.GetID() == 0 || l.GetType() != "custom" {
					t.Errorf("label %+v: want an ID and type custom", l)
				}
			}
			d := decodeJIT(t, cfg.GetEncodedJITConfig())
			wantFile := map[string]any{
				"agentId": float64(r.GetID()), "agentName": "pod-1", "poolId": float64(tt.group),
				"serverUrl": ts.URL, "gitHubUrl": tt.wantGitHub, "workFolder": "_work",
				"ephemeral": true, "useV2Flow": true, "serverUrlV2": ts.URL + "/_broker/",
			}
			if diff := cmp.Diff(wantFile, d.Runner); diff != "" {
				t.Errorf(".runner mismatch (-want +got):\n%s", diff)
			}
			if d.Credentials.Scheme != "OAuthAccessToken" || len(d.Credentials.Data.Token) != 64 ||
				len(d.Credentials.Data.ClientID) != 36 || d.RSAParams != "{}" {
				t.Errorf("credentials = %+v, rsaparams %q", d.Credentials, d.RSAParams)
			}
			if got := fake.Runners(); len(got) != 1 || got[0].GroupID != tt.group {
				t.Errorf("Runners() = %+v, want one runner in group %d", got, tt.group)
			}
		})
	}
}

func TestGenerateJITConfigWorkFolder(t *testing.T) {
	t.Parallel()
	_, ts := start(t, testOptions())
	req := jitReq("pod-w", 1, "gpu")
	req.WorkFolder = github.String("jobs")
	cfg, _, err := client(t, ts, repoAdmin).Actions.GenerateRepoJITConfig(context.Background(), "acme", "app", req)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	if got := decodeJIT(t, cfg.GetEncodedJITConfig()).Runner["workFolder"]; got != "jobs" {
		t.Errorf("workFolder = %v, want jobs", got)
	}
}

func TestGenerateJITConfigRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		org        bool
		req        *github.GenerateJITConfigRequest
		wantStatus int
		wantMsg    string
	}{
		{name: "empty name", req: jitReq("", 1, "gpu"), wantStatus: 422, wantMsg: "Validation Failed"},
		{name: "long name", req: jitReq(strings.Repeat("a", 65), 1, "gpu"), wantStatus: 422, wantMsg: "Validation Failed"},
		{name: "slash in name", req: jitReq("a/b", 1, "gpu"), wantStatus: 422, wantMsg: "Validation Failed"},
		{name: "colon in name", req: jitReq("a:b", 1, "gpu"), wantStatus: 422, wantMsg: "Validation Failed"},
		{name: "question mark", req: jitReq("a?", 1, "gpu"), wantStatus: 422, wantMsg: "Validation Failed"},
		{name: "no labels", req: jitReq("pod", 1), wantStatus: 422, wantMsg: "Validation Failed"},
		{name: "empty label", req: jitReq("pod", 1, "gpu", ""), wantStatus: 422, wantMsg: "Validation Failed"},
		{name: "101 labels", req: jitReq("pod", 1, manyLabels(101)...), wantStatus: 422, wantMsg: "Validation Failed"},
		{name: "group zero", req: jitReq("pod", 0, "gpu"), wantStatus: 404, wantMsg: "Not Found"},
		{name: "unknown repo group", req: jitReq("pod", 99999, "gpu"), wantStatus: 404, wantMsg: "Not Found"},
		{name: "unknown org group", org: true, req: jitReq("pod", 9, "gpu"), wantStatus: 404, wantMsg: "Not Found"},
		{name: "repo hosted group", req: jitReq("pod", 2, "gpu"), wantStatus: 403,
			wantMsg: "Runner group 2 is reserved for GitHub-hosted runners."},
		{name: "org hosted group", org: true, req: jitReq("pod", 2, "gpu"), wantStatus: 403,
			wantMsg: "Runner group 2 is reserved for GitHub-hosted runners."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake, ts := start(t, testOptions())
			var err error
			if tt.org {
				_, _, err = client(t, ts, orgAdmin).Actions.GenerateOrgJITConfig(context.Background(), "acme", tt.req)
			} else {
				_, _, err = client(t, ts, repoAdmin).Actions.GenerateRepoJITConfig(context.Background(), "acme", "app", tt.req)
			}
			status, msg := apiStatus(t, err)
			if diff := cmp.Diff([]any{tt.wantStatus, tt.wantMsg}, []any{status, msg}); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			if n := len(fake.Runners()); n != 0 {
				t.Errorf("%d runners registered, want 0", n)
			}
		})
	}
}

func TestGenerateJITConfigRawBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		body       string
		wantStatus int
		wantMsg    string
	}{
		{name: "group omitted", body: `{"name":"pod","labels":["gpu"]}`, wantStatus: 422,
			wantMsg: "Invalid input: object is missing required key: runner_group_id."},
		{name: "labels not strings", body: `{"name":"pod","runner_group_id":1,"labels":[1]}`, wantStatus: 422,
			wantMsg: "Invalid request.\n\nFor 'labels', number is not a string."},
		{name: "broken JSON", body: `{"name":`, wantStatus: 400, wantMsg: "Problems parsing JSON"},
		{name: "complete", body: `{"name":"pod","runner_group_id":1,"labels":["gpu"]}`, wantStatus: 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, ts := start(t, testOptions())
			url := ts.URL + "/repos/acme/app/actions/runners/generate-jitconfig"
			status, _, body := do(t, http.MethodPost, url, "Bearer "+repoAdmin, tt.body)
			var got struct {
				Message string `json:"message"`
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("decode %s: %v", body, err)
			}
			if diff := cmp.Diff([]any{tt.wantStatus, tt.wantMsg}, []any{status, got.Message}); diff != "" {
				t.Errorf("response mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGenerateJITConfigDuplicateName(t *testing.T) {
	t.Parallel()
	_, ts := start(t, testOptions())
	c := client(t, ts, repoAdmin)
	ctx := context.Background()
	if _, _, err := c.Actions.GenerateRepoJITConfig(ctx, "acme", "app", jitReq("pod-1", 1, "gpu")); err != nil {
		t.Fatalf("first generate: %v", err)
	}
	_, _, err := c.Actions.GenerateRepoJITConfig(ctx, "acme", "app", jitReq("pod-1", 1, "gpu"))
	status, msg := apiStatus(t, err)
	want := []any{409, "Already exists - A runner with the name pod-1 already exists."}
	if diff := cmp.Diff(want, []any{status, msg}); diff != "" {
		t.Errorf("error mismatch (-want +got):\n%s", diff)
	}
}

// manyLabels returns n distinct labels.
func manyLabels(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strings.Repeat("l", i+1)
	}
	return out
}
