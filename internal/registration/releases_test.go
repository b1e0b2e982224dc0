package registration

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

// now is the clock of the version tests; day(n) is n days before it.
var now = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)

func day(n int) time.Time { return now.AddDate(0, 0, -n) }

// runnerReleases: 2.338.0 is 10 days old, so 2.337.0 (40 days old) is the oldest accepted.
var runnerReleases = []fakegithub.Release{
	{Version: "2.339.0", Published: day(2), Prerelease: true},
	{Version: "2.338.0", Published: day(10)},
	{Version: "2.337.0", Published: day(40)},
	{Version: "2.336.0", Published: day(70)},
	{Version: "2.340.0", Published: day(1), Draft: true},
}

func TestRunnerVersionSupportWindow(t *testing.T) {
	t.Parallel()
	srv := fakegithub.New(fakegithub.Options{Tokens: map[string]fakegithub.Grant{token: {}}, RunnerReleases: runnerReleases})
	c := newClient(t, srv, token, Scope{Owner: "octo", Repo: "repo"})
	releases, err := c.RunnerReleases(context.Background())
	if err != nil {
		t.Fatalf("RunnerReleases: %v", err)
	}
	want := []Release{{Version: "2.339.0", Published: day(2), Prerelease: true}, {Version: "2.338.0", Published: day(10)},
		{Version: "2.337.0", Published: day(40)}, {Version: "2.336.0", Published: day(70)}}
	if diff := cmp.Diff(want, releases); diff != "" {
		t.Fatalf("releases (-want +got):\n%s", diff)
	}
	tooOld := func(v string) error { return &VersionTooOldError{Version: v, Oldest: "2.337.0", Since: day(40)} }
	tests := []struct {
		name, version string
		want          error
	}{
		{name: "newest", version: "2.338.0"},
		{name: "superseded less than 30 days ago", version: "2.337.0"},
		{name: "a prerelease starts no window", version: "2.339.0"},
		{name: "superseded more than 30 days ago", version: "2.336.0", want: tooOld("2.336.0")},
		{name: "older than the list", version: "2.300.0", want: tooOld("2.300.0")},
		{name: "unknown within the window", version: "2.337.5", want: ErrUnknownVersion},
		{name: "a draft is not a release", version: "2.340.0", want: ErrUnknownVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckVersion(releases, tt.version, now)
			var old *VersionTooOldError
			switch {
			case tt.want == nil && err != nil,
				errors.Is(tt.want, ErrUnknownVersion) && !errors.Is(err, ErrUnknownVersion):
				t.Errorf("CheckVersion(%s) = %v, want %v", tt.version, err, tt.want)
			case errors.As(tt.want, &old):
				if diff := cmp.Diff(tt.want, err); diff != "" {
					t.Errorf("CheckVersion(%s) (-want +got):\n%s", tt.version, diff)
				}
			}
		})
	}
}

func TestRunnerReleasesMissingIsNotFound(t *testing.T) {
	t.Parallel()
	srv := fakegithub.New(fakegithub.Options{Tokens: map[string]fakegithub.Grant{token: {}}})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c, err := New(Options{BaseURL: hs.URL, Token: token, Scope: Scope{Owner: "octo", Repo: "repo"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.RunnerReleases(context.Background()); ClassOf(err) != NotFound {
		t.Errorf("RunnerReleases on a server without actions/runner = %v, want NotFound", err)
	}
}
