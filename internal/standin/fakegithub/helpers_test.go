package fakegithub_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

// Tokens of the test server.
const (
	repoAdmin = "tok-repo-admin" // Administration: write on acme/app
	repoRead  = "tok-repo-read"  // Administration: read on acme/app
	orgAdmin  = "tok-org-admin"  // Self-hosted runners: write on acme
	orgRead   = "tok-org-read"   // Self-hosted runners: read on acme
	noGrant   = "tok-none"       // known token without permissions
)

// testOptions is the configuration most tests use.
func testOptions() fakegithub.Options {
	return fakegithub.Options{
		Tokens: map[string]fakegithub.Grant{
			repoAdmin: {Administration: map[string]fakegithub.Access{"acme/app": fakegithub.WriteAccess}},
			repoRead:  {Administration: map[string]fakegithub.Access{"acme/app": fakegithub.ReadAccess}},
			orgAdmin:  {SelfHostedRunners: map[string]fakegithub.Access{"acme": fakegithub.WriteAccess}},
			orgRead:   {SelfHostedRunners: map[string]fakegithub.Access{"acme": fakegithub.ReadAccess}},
			noGrant:   {},
		},
		Repos: []string{"acme/app", "acme/other"},
		Orgs: map[string][]fakegithub.RunnerGroup{
			"acme": {
				{ID: 1, Name: "Default", Default: true},
				{ID: 2, Name: "GitHub-hosted", GitHubHosted: true},
				{ID: 5, Name: "gpu", Visibility: "selected"},
			},
		},
	}
}

// start serves a fakegithub.Server built from opts.
func start(t *testing.T, opts fakegithub.Options) (*fakegithub.Server, *httptest.Server) {
	t.Helper()
	fake := fakegithub.New(opts)
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	return fake, ts
}

// client returns a go-github client for the test server using tok.
func client(t *testing.T, ts *httptest.Server, tok string) *github.Client {
	t.Helper()
	c := github.NewClient(nil).WithAuthToken(tok)
	u, err := c.BaseURL.Parse(ts.URL + "/")
	if err != nil {
		t.Fatalf("parse base URL: %v", err)
	}
	c.BaseURL = u
	return c
}

// apiStatus returns the HTTP status of a go-github error and its message.
func apiStatus(t *testing.T, err error) (int, string) {
	t.Helper()
	var ge *github.ErrorResponse
	if !errors.As(err, &ge) {
		t.Fatalf("error = %v (%T), want *github.ErrorResponse", err, err)
	}
	return ge.Response.StatusCode, ge.Message
}

// jitReq builds a just-in-time configuration request.
func jitReq(name string, group int64, labels ...string) *github.GenerateJITConfigRequest {
	return &github.GenerateJITConfigRequest{Name: name, RunnerGroupID: group, Labels: labels}
}

// decodedJIT is a decoded encoded_jit_config.
type decodedJIT struct {
	Runner      map[string]any
	Credentials struct {
		Scheme string `json:"scheme"`
		Data   struct {
			ClientID         string `json:"clientId"`
			AuthorizationURL string `json:"authorizationUrl"`
			Token            string `json:"token"`
		} `json:"data"`
	}
	RSAParams string
}

// decodeJIT decodes an encoded_jit_config the way the runner does.
func decodeJIT(t *testing.T, enc string) decodedJIT {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		t.Fatalf("decode config: %v", err)
	}
	var files map[string]string
	if err := json.Unmarshal(raw, &files); err != nil {
		t.Fatalf("unmarshal files: %v", err)
	}
	file := func(name string) []byte {
		b, err := base64.StdEncoding.DecodeString(files[name])
		if err != nil {
			t.Fatalf("decode %s: %v", name, err)
		}
		return b
	}
	var d decodedJIT
	if err := json.Unmarshal(file(".runner"), &d.Runner); err != nil {
		t.Fatalf("unmarshal .runner: %v", err)
	}
	if err := json.Unmarshal(file(".credentials"), &d.Credentials); err != nil {
		t.Fatalf("unmarshal .credentials: %v", err)
	}
	d.RSAParams = string(file(".credentials_rsaparams"))
	return d
}

// do sends a raw request and returns status, headers and body.
func do(t *testing.T, method, url, auth, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp.StatusCode, resp.Header, string(b)
}
