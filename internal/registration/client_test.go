package registration

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/retry"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

const (
	token   = "ghp_admin"
	reader  = "ghp_reader"
	orgTok  = "ghp_org"
	repoFul = "octo/repo"
)

func standIn(t *testing.T) *fakegithub.Server {
	t.Helper()
	return fakegithub.New(fakegithub.Options{
		Tokens: map[string]fakegithub.Grant{
			token:  {Administration: map[string]fakegithub.Access{repoFul: fakegithub.WriteAccess}},
			reader: {Administration: map[string]fakegithub.Access{repoFul: fakegithub.ReadAccess}},
			orgTok: {SelfHostedRunners: map[string]fakegithub.Access{"octo-org": fakegithub.WriteAccess}},
		},
		Repos: []string{repoFul},
		Orgs: map[string][]fakegithub.RunnerGroup{"octo-org": {
			{ID: 1, Name: "Default", Default: true}, {ID: 7, Name: "gpu runners"},
		}},
		Downloads: []fakegithub.Download{{OS: "linux", Architecture: "x64", DownloadURL: "https://dl/x.tar.gz",
			Filename: "actions-runner-linux-x64-2.338.0.tar.gz", SHA256Checksum: "abc"}},
	})
}

func newClient(t *testing.T, srv *fakegithub.Server, tok string, scope Scope) *Client {
	t.Helper()
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c, err := New(Options{BaseURL: hs.URL, Token: tok, Scope: scope,
		Retry: retry.Policy{Initial: 10 * time.Millisecond, Max: 50 * time.Millisecond, MaxAttempts: 3}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRepositoryRunnerLifecycle(t *testing.T) {
	t.Parallel()
	srv := standIn(t)
	c := newClient(t, srv, token, Scope{Owner: "octo", Repo: "repo"})
	ctx := context.Background()
	group, err := c.GroupID(ctx, "")
	if err != nil || group != DefaultGroupID {
		t.Fatalf("GroupID() = %d, %v", group, err)
	}
	jit, err := c.GenerateJIT(ctx, "gha-1-1-a", group, []string{"runpod-1-1-a", "gpu"})
	if err != nil {
		t.Fatal(err)
	}
	if jit.Encoded == "" || jit.Runner.Name != "gha-1-1-a" || jit.Runner.Status != "offline" {
		t.Errorf("JIT = %+v", jit)
	}
	// A second runner of the same name is a label collision, never a replacement.
	_, err = c.GenerateJIT(ctx, "gha-1-1-a", group, []string{"runpod-1-1-a"})
	if e := (*Error)(nil); !errors.As(err, &e) || e.Class != Conflict ||
		!strings.Contains(e.Hint, "give each start (each matrix leg) its own label") {
		t.Fatalf("second GenerateJIT() = %v; want a conflict whose hint names the label", err)
	}
	again := jit
	got, err := c.Runner(ctx, again.Runner.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"runpod-1-1-a", "gpu"}, got.Labels); diff != "" {
		t.Errorf("labels mismatch (-want +got):\n%s", diff)
	}
	list, err := c.List(ctx, "gha-1-1-a")
	if err != nil || len(list) != 1 {
		t.Errorf("List() = %+v, %v", list, err)
	}
	if err := srv.SetBusy(again.Runner.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, again.Runner.ID); ClassOf(err) != Busy {
		t.Errorf("Delete(busy) = %v, want Busy", err)
	}
	_ = srv.SetBusy(again.Runner.ID, false)
	for i := 0; i < 2; i++ { // deleting twice is fine
		if err := c.Delete(ctx, again.Runner.ID); err != nil {
			t.Errorf("Delete() #%d = %v", i+1, err)
		}
	}
	if _, err := c.Runner(ctx, again.Runner.ID); ClassOf(err) != NotFound {
		t.Errorf("Runner(deleted) = %v, want NotFound", err)
	}
	dl, err := c.Downloads(ctx)
	if err != nil || len(dl) != 1 || dl[0].SHA256 != "abc" {
		t.Errorf("Downloads() = %+v, %v", dl, err)
	}
}

func TestOrganizationGroups(t *testing.T) {
	t.Parallel()
	srv := standIn(t)
	c := newClient(t, srv, orgTok, Scope{Org: "octo-org"})
	for _, tc := range []struct {
		name, group string
		want        int64
		wantErr     string
	}{
		{name: "default", group: "", want: 1},
		{name: "by_name", group: "gpu runners", want: 7},
		{name: "by_id", group: "7", want: 7},
		{name: "unknown", group: "cpu", wantErr: `no runner group "cpu" in organization octo-org`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := c.GroupID(context.Background(), tc.group)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("GroupID(%q) = %v, want error %q", tc.group, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("GroupID(%q) = %d, %v; want %d", tc.group, got, err, tc.want)
			}
		})
	}
	jit, err := c.GenerateJIT(context.Background(), "gha-2-1-b", 7, []string{"b"})
	if err != nil || jit.Runner.ID == 0 {
		t.Fatalf("org GenerateJIT() = %+v, %v", jit, err)
	}
	if runners := srv.Runners(); len(runners) != 1 || runners[0].Org != "octo-org" || runners[0].GroupID != 7 {
		t.Errorf("runners = %+v", runners)
	}
}

func TestErrorsNameWhatToDo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		tok      string
		prepare  func(*fakegithub.Server)
		want     Class
		wantText string
	}{
		{name: "bad_token", tok: "ghp_nope", want: Auth, wantText: "check that it exists"},
		{name: "read_only_token", tok: reader, want: Auth, wantText: "Administration: read and write on repository octo/repo; GitHub asked for administration=write"},
		{name: "server_errors_retried", tok: token, want: -1,
			prepare: func(s *fakegithub.Server) { s.FailNext("generate-jitconfig", fakegithub.Fault{Status: 502}) }},
		{name: "rate_limited_retried", tok: token, want: -1,
			prepare: func(s *fakegithub.Server) {
				s.FailNext("generate-jitconfig", fakegithub.Fault{Status: 429, RetryAfter: time.Second})
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := standIn(t)
			if tc.prepare != nil {
				tc.prepare(srv)
			}
			c := newClient(t, srv, tc.tok, Scope{Owner: "octo", Repo: "repo"})
			_, err := c.GenerateJIT(context.Background(), "gha-3-1-c", 1, []string{"c"})
			if tc.want == -1 {
				if err != nil {
					t.Errorf("GenerateJIT() = %v, want success after a retry", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("GenerateJIT() = %v, want an *Error", err)
			}
			if e.Class != tc.want || !strings.Contains(e.Hint, tc.wantText) {
				t.Errorf("GenerateJIT() = %v (hint %q), want class %d with hint %q", err, e.Hint, tc.want, tc.wantText)
			}
			if n := srv.Count("generate-jitconfig"); n != 1 {
				t.Errorf("an auth error was tried %d times; it must not be retried", n)
			}
			if strings.Contains(err.Error(), tc.tok) {
				t.Errorf("error %q holds the token", err)
			}
		})
	}
}

// TestGenerateJITAfterALostAnswer: generate-jitconfig is not idempotent
// (https://docs.github.com/en/rest/actions/self-hosted-runners, "Create configuration for a
// just-in-time runner": 409 when the name exists). When GitHub registered the runner but its
// answer failed, the retry removes that runner first, so it gets a config rather than a 409
// blamed on another start's label, and only one runner of the name is left.
func TestGenerateJITAfterALostAnswer(t *testing.T) {
	t.Parallel()
	srv := standIn(t)
	srv.FailNext("generate-jitconfig", fakegithub.Fault{Status: 502, AfterCommit: true})
	c := newClient(t, srv, token, Scope{Owner: "octo", Repo: "repo"})
	jit, err := c.GenerateJIT(context.Background(), "gha-3-1-c", 1, []string{"c"})
	if err != nil {
		t.Fatalf("GenerateJIT() = %v, want a config after removing the runner the lost answer made", err)
	}
	if runners := srv.Runners(); len(runners) != 1 || runners[0].ID != jit.Runner.ID {
		t.Errorf("runners = %+v, want only the one registered last (id %d)", runners, jit.Runner.ID)
	}
}
