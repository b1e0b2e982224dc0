package ops

import (
	"errors"
	"strings"
	"testing"

	"github.com/runpod-runner/runpod-runner/internal/registration"
)

// TestAPIURLOverPlainHTTPOnlyOnLoopback: RUNPOD_API_URL and GITHUB_API_URL over http to another
// host are a wrong command line, refused before a client is built; loopback is allowed.
func TestAPIURLOverPlainHTTPOnlyOnLoopback(t *testing.T) {
	t.Parallel()
	build := map[string]func(c *cli) error{
		"RUNPOD_API_URL": func(c *cli) error { _, err := c.api(); return err },
		"GITHUB_API_URL": func(c *cli) error {
			_, err := c.runners(registration.Scope{Owner: "octo", Repo: "repo"})
			return err
		},
	}
	for name, f := range build {
		for _, tc := range []struct {
			url     string
			wantErr bool
		}{
			{url: "http://api.example.com", wantErr: true},
			{url: "http://127.0.0.1:8080"},
			{url: "https://api.example.com"},
		} {
			env := map[string]string{"RUNPOD_API_KEY": "rpa_secret_key", "GITHUB_TOKEN": "ghp_secret_token", name: tc.url}
			err := f(newCLI(Env{Getenv: func(k string) string { return env[k] }}))
			var ee *ExitError
			gotErr := errors.As(err, &ee) && ee.Code == 2 && strings.Contains(err.Error(), name+" must be https")
			if gotErr != tc.wantErr || (!tc.wantErr && err != nil) {
				t.Errorf("%s=%s: error %v, want a usage error: %t", name, tc.url, err, tc.wantErr)
			}
		}
	}
}
