package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/runpod-runner/runpod-runner/internal/action"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
	"github.com/runpod-runner/runpod-runner/internal/scale"
	"github.com/runpod-runner/runpod-runner/internal/workflow"
)

// TestReportSaysEachHintOnce: a GitHub hint is printed once, not once in the error and again
// after it; when GitHub and RunPod both refuse, each annotation has its own service's hint.
func TestReportSaysEachHintOnce(t *testing.T) {
	t.Parallel()
	ghHint := "a fine-grained token needs Administration: read and write on repository octo/repo"
	rpHint := "RunPod refused the key in runpod-api-key"
	gh := &registration.Error{Op: "register", Class: registration.Auth, Status: 403, Message: "Resource not accessible", Hint: ghHint}
	rp := &runpod.Error{Op: "list GPU types", Class: runpod.Auth, Status: 401, Message: "unauthorized"}
	for _, tc := range []struct {
		name string
		err  error
		want [][2]string // per annotation: the hint it has, the hint it must not have
	}{
		{name: "github_alone", err: &action.PhaseError{Phase: action.PhaseJIT, Err: gh}, want: [][2]string{{ghHint, rpHint}}},
		{name: "both_apis_fail", err: &action.PhaseError{Phase: action.PhaseJIT, Err: errors.Join(gh, rp)},
			want: [][2]string{{ghHint, rpHint}, {rpHint, ghHint}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			_ = report(workflow.New(func(string) string { return "" }, &out), tc.err)
			var lines []string
			for _, l := range strings.Split(out.String(), "\n") {
				if strings.HasPrefix(l, "::error") {
					lines = append(lines, l)
				}
			}
			if len(lines) != len(tc.want) {
				t.Fatalf("got %d annotations, want %d:\n%s", len(lines), len(tc.want), out.String())
			}
			for i, l := range lines {
				if !strings.Contains(l, "title=runpod-runner failed in phase jit") {
					t.Errorf("annotation %d does not name the phase: %s", i, l)
				}
				if n := strings.Count(l, tc.want[i][0]); n != 1 {
					t.Errorf("annotation %d says its hint %d times, want once: %s", i, n, l)
				}
				if strings.Contains(l, tc.want[i][1]) {
					t.Errorf("annotation %d has the other service's hint: %s", i, l)
				}
			}
		})
	}
}

// TestSecretInputsAreMaskedFirst: each input the table marks secret is masked before the inputs
// are checked, so even a run that stops at a bad input has masked them.
func TestSecretInputsAreMaskedFirst(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"INPUT_MODE":            "bogus",
		"INPUT_RUNPOD-API-KEY":  "rpa_secret_key",
		"INPUT_GITHUB-TOKEN":    "ghp_secret_token",
		"INPUT_SSH-PRIVATE-KEY": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----",
		"INPUT_GPU-TYPES":       "NVIDIA A40",
		"GITHUB_REPOSITORY":     "octo/repo",
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), nil, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	if err == nil {
		t.Fatal("run() with mode bogus succeeded")
	}
	out := stdout.String()
	firstError := strings.Index(out, "::error")
	for _, secret := range []string{"rpa_secret_key", "ghp_secret_token", "b3BlbnNzaC1rZXk"} {
		at := strings.Index(out, "::add-mask::"+secret)
		if at < 0 || (firstError >= 0 && at > firstError) {
			t.Errorf("%s is not masked before the first error:\n%s", secret, out)
		}
	}
}

// redirector is an API that answers every request 302 to another host, and that other host; both
// record what they were asked.
type redirector struct {
	URL       string
	mu        sync.Mutex
	asked     int
	elsewhere []string
}

func newRedirector(t *testing.T) *redirector {
	t.Helper()
	r := &redirector{}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.elsewhere = append(r.elsewhere, req.Method+" "+req.URL.Path+" Authorization="+req.Header.Get("Authorization"))
		r.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(other.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.asked++
		r.mu.Unlock()
		http.Redirect(w, req, other.URL+req.URL.Path, http.StatusFound)
	}))
	t.Cleanup(api.Close)
	r.URL = api.URL
	return r
}

// check fails t if the other host got any request or the API was asked other than once.
func (r *redirector) check(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.elsewhere) > 0 {
		t.Errorf("the redirect's target got requests: %q", r.elsewhere)
	}
	if r.asked != 1 {
		t.Errorf("the API was asked %d times, want once: a refused redirect is not retried", r.asked)
	}
}

// TestTokensAreNeverRedirected: for every front door (the action, the operator CLI, the
// autoscaler), an API that answers 302 to another host gets the request, and the other host gets
// none, so no token travels there; the redirect is not retried.
func TestTokensAreNeverRedirected(t *testing.T) {
	t.Parallel()
	t.Run("action", func(t *testing.T) {
		t.Parallel()
		api := newRedirector(t)
		dir := t.TempDir()
		env := map[string]string{
			"INPUT_MODE": "stop", "INPUT_RUNPOD-API-KEY": "rpa_secret_key", "INPUT_GITHUB-TOKEN": "ghp_secret_token",
			"INPUT_POD-ID": "abcdef123", "INPUT_RUNPOD-API-URL": api.URL, "INPUT_GITHUB-API-URL": api.URL,
			"GITHUB_REPOSITORY": "octo/repo", "GITHUB_STATE": dir + "/state", "GITHUB_OUTPUT": dir + "/output",
			"GITHUB_STEP_SUMMARY": dir + "/summary",
		}
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), nil, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
		if err == nil || !strings.Contains(stdout.String(), "redirect refused") {
			t.Errorf("run() = %v, want a refused redirect:\n%s", err, stdout.String())
		}
		api.check(t)
	})
	t.Run("operator", func(t *testing.T) {
		t.Parallel()
		api := newRedirector(t)
		env := map[string]string{"RUNPOD_API_KEY": "rpa_secret_key", "RUNPOD_API_URL": api.URL}
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"pods", "list"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
		if err == nil || !strings.Contains(stderr.String(), "redirect refused") {
			t.Errorf("run(pods list) = %v, want a refused redirect:\n%s", err, stderr.String())
		}
		api.check(t)
	})
	t.Run("autoscaler", func(t *testing.T) {
		t.Parallel()
		api := newRedirector(t)
		cfg := &scale.Config{RunPodAPIURL: api.URL, Secrets: scale.Secrets{RunPodAPIKey: "rpa_secret_key"}}
		_, err := scalePods(cfg, slog.New(slog.DiscardHandler)).List(context.Background())
		if err == nil || !strings.Contains(err.Error(), "redirect refused") {
			t.Errorf("List() = %v, want a refused redirect", err)
		}
		api.check(t)
	})
}

func TestAPIURLOverPlainHTTPOnlyOnLoopback(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"INPUT_MODE": "stop", "INPUT_RUNPOD-API-KEY": "rpa_secret_key", "INPUT_GITHUB-TOKEN": "ghp_secret_token",
		"INPUT_RUNPOD-API-URL": "http://api.runpod.io", "GITHUB_REPOSITORY": "octo/repo",
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), nil, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	if err == nil || !strings.Contains(stdout.String(), "::error title=Invalid input runpod-api-url::") {
		t.Errorf("run() = %v, want an input error for runpod-api-url:\n%s", err, stdout.String())
	}
}
