package fakegithub_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

func TestAuthentication(t *testing.T) {
	t.Parallel()
	const badCreds = `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}`
	tests := []struct {
		name       string
		auth       string
		wantStatus int
		wantBody   string
		wantScheme string
	}{
		{name: "missing", wantStatus: 401, wantBody: badCreds},
		{name: "unknown token", auth: "Bearer nope", wantStatus: 401, wantBody: badCreds, wantScheme: "Bearer"},
		{name: "basic", auth: "Basic dXNlcjpwYXNz", wantStatus: 401, wantBody: badCreds, wantScheme: "Basic"},
		{name: "bearer", auth: "Bearer " + repoRead, wantStatus: 200,
			wantBody: `{"total_count":0,"runners":[]}`, wantScheme: "Bearer"},
		{name: "token", auth: "token " + repoRead, wantStatus: 200,
			wantBody: `{"total_count":0,"runners":[]}`, wantScheme: "token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake, ts := start(t, testOptions())
			status, hdr, body := do(t, http.MethodGet, ts.URL+"/repos/acme/app/actions/runners", tt.auth, "")
			got := []any{status, body, hdr.Get("Content-Type"), hdr.Get("X-RateLimit-Resource")}
			want := []any{tt.wantStatus, tt.wantBody, "application/json; charset=utf-8", "core"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("response mismatch (-want +got):\n%s", diff)
			}
			reqs := fake.Requests()
			if len(reqs) != 1 || reqs[0].AuthScheme != tt.wantScheme || reqs[0].Endpoint != "list-runners" {
				t.Errorf("Requests() = %+v, want one list-runners request with scheme %q", reqs, tt.wantScheme)
			}
		})
	}
}

func TestPermissions(t *testing.T) {
	t.Parallel()
	_, ts := start(t, testOptions())
	ctx := context.Background()
	tests := []struct {
		name     string
		token    string
		call     func(c *github.Client) (*github.Response, error)
		wantPerm string
	}{
		{name: "read token generates", token: repoRead, wantPerm: "administration=write",
			call: func(c *github.Client) (*github.Response, error) {
				_, r, err := c.Actions.GenerateRepoJITConfig(ctx, "acme", "app", jitReq("p", 1, "gpu"))
				return r, err
			}},
		{name: "read token deletes", token: repoRead, wantPerm: "administration=write",
			call: func(c *github.Client) (*github.Response, error) { return c.Actions.RemoveRunner(ctx, "acme", "app", 1) }},
		{name: "no grant lists", token: noGrant, wantPerm: "administration=read",
			call: func(c *github.Client) (*github.Response, error) {
				_, r, err := c.Actions.ListRunners(ctx, "acme", "app", nil)
				return r, err
			}},
		{name: "other repository", token: repoAdmin, wantPerm: "administration=read",
			call: func(c *github.Client) (*github.Response, error) {
				_, r, err := c.Actions.GetRunner(ctx, "acme", "other", 1)
				return r, err
			}},
		{name: "no grant downloads", token: noGrant, wantPerm: "administration=read",
			call: func(c *github.Client) (*github.Response, error) {
				_, r, err := c.Actions.ListRunnerApplicationDownloads(ctx, "acme", "app")
				return r, err
			}},
		{name: "org read generates", token: orgRead, wantPerm: "organization_self_hosted_runners=write",
			call: func(c *github.Client) (*github.Response, error) {
				_, r, err := c.Actions.GenerateOrgJITConfig(ctx, "acme", jitReq("p", 1, "gpu"))
				return r, err
			}},
		{name: "repo token lists groups", token: repoAdmin, wantPerm: "organization_self_hosted_runners=read",
			call: func(c *github.Client) (*github.Response, error) {
				_, r, err := c.Actions.ListOrganizationRunnerGroups(ctx, "acme", nil)
				return r, err
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, err := tt.call(client(t, ts, tt.token))
			status, msg := apiStatus(t, err)
			got := []any{status, msg, resp.Header.Get("X-Accepted-GitHub-Permissions")}
			want := []any{403, "Resource not accessible by personal access token", tt.wantPerm}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("response mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRateLimitHeaders(t *testing.T) {
	t.Parallel()
	_, ts := start(t, testOptions())
	c := client(t, ts, repoRead)
	var remaining []int
	for range 2 {
		_, resp, err := c.Actions.ListRunners(context.Background(), "acme", "app", nil)
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		if resp.Rate.Limit != 5000 || resp.Rate.Reset.IsZero() {
			t.Errorf("rate = %+v, want limit 5000 and a reset time", resp.Rate)
		}
		remaining = append(remaining, resp.Rate.Remaining)
	}
	if diff := cmp.Diff([]int{4999, 4998}, remaining); diff != "" {
		t.Errorf("remaining (-want +got):\n%s", diff)
	}
}

func TestSecondaryRateLimit(t *testing.T) {
	t.Parallel()
	opts := testOptions()
	opts.RateLimit = 0.5
	_, ts := start(t, opts)
	url := ts.URL + "/repos/acme/app/actions/runners"
	first, _, _ := do(t, http.MethodGet, url, "Bearer "+repoRead, "")
	second, hdr, _ := do(t, http.MethodGet, url, "Bearer "+repoRead, "")
	other, _, _ := do(t, http.MethodGet, url, "Bearer "+repoAdmin, "")
	got := []any{first, second, hdr.Get("Retry-After"), other}
	if diff := cmp.Diff([]any{200, 429, "2", 200}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

func TestPrimaryRateLimit(t *testing.T) {
	t.Parallel()
	opts := testOptions()
	opts.HourlyLimit = 2
	_, ts := start(t, opts)
	ctx := context.Background()
	for i := range 3 {
		_, resp, err := client(t, ts, repoRead).Actions.ListRunners(ctx, "acme", "app", nil)
		if i < 2 {
			if err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
			continue
		}
		var rl *github.RateLimitError
		if !errors.As(err, &rl) || resp.StatusCode != http.StatusForbidden || rl.Rate.Remaining != 0 {
			t.Errorf("call %d: error %v (%T), want *github.RateLimitError with 403", i, err, err)
		}
	}
}
