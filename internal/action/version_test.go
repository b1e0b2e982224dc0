package action

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/registration"
)

// releasedRunners is GitHub with the releases of actions/runner.
type releasedRunners struct {
	*fakeRunners
	releases []registration.Release
	err      error
}

var _ RunnerReleases = (*releasedRunners)(nil)

func (r *releasedRunners) RunnerReleases(context.Context) ([]registration.Release, error) {
	r.record("releases")
	return r.releases, r.err
}

func TestPinnedRunnerVersionOutsideTheWindow(t *testing.T) {
	t.Parallel()
	ago := func(days int) time.Time { return time.Now().AddDate(0, 0, -days) }
	// 2.338.0 is 10 days old, 2.337.0 40 days: 2.337.0 is the oldest GitHub accepts.
	releases := []registration.Release{{Version: "2.338.0", Published: ago(10)}, {Version: "2.337.0", Published: ago(40)},
		{Version: "2.335.1", Published: ago(70)}}
	sum := strings.Repeat("ab", 32)
	tests := []struct {
		name        string
		inputs      map[string]string
		listErr     error
		wantErr     []string // "" parts of the error; none for a start that succeeds
		wantWarning string
		wantList    bool
	}{
		{name: "latest needs no check", inputs: map[string]string{"runner-version": "latest"}},
		{name: "within the window", inputs: map[string]string{"runner-version": "2.337.0"}, wantList: true},
		{name: "past the window", inputs: map[string]string{"runner-version": "2.335.1"}, wantList: true,
			wantErr: []string{"input runner-version: runner 2.335.1 is past GitHub's support window", "oldest version accepted now is 2.337.0",
				"use latest, or 2.337.0 or newer"}},
		{name: "past the window from a mirror too", wantList: true,
			inputs:  map[string]string{"runner-version": "2.335.1", "runner-download-url": "https://mirror.example/r.tar.gz", "runner-sha256": sum},
			wantErr: []string{"input runner-version: runner 2.335.1 is past"}},
		{name: "not a release", inputs: map[string]string{"runner-version": "2.337.9", "runner-sha256": sum}, wantList: true,
			wantErr: []string{"input runner-version: 2.337.9 is not a release of actions/runner"}},
		{name: "not a release, from the user's own URL", wantList: true,
			inputs:      map[string]string{"runner-version": "2.337.9", "runner-download-url": "https://mirror.example/r.tar.gz", "runner-sha256": sum},
			wantWarning: "runner-version 2.337.9 is not a release of actions/runner; running it as runner-download-url gives it"},
		{name: "releases unreadable", inputs: map[string]string{"runner-version": "2.337.0"}, listErr: errors.New("HTTP 502"), wantList: true,
			wantWarning: "Could not read the releases of actions/runner to check runner-version 2.337.0 (HTTP 502); going on."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tt.inputs)
			d := h.deps()
			gh := &releasedRunners{fakeRunners: h.runners, releases: releases, err: tt.listErr}
			d.Runners = gh
			err := Start(context.Background(), h.config(t, false), d)
			var ie *config.InputError
			if len(tt.wantErr) == 0 && err != nil {
				t.Fatalf("Start() = %v\n%s", err, h.out.String())
			}
			if len(tt.wantErr) > 0 && (!errors.As(err, &ie) || ie.Input != config.InRunnerVersion) {
				t.Fatalf("Start() = %v, want an error of input runner-version", err)
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Start() = %v, want it to say %q", err, want)
				}
			}
			if len(tt.wantErr) > 0 && (slices.ContainsFunc(h.pods.Calls(), func(c string) bool { return strings.HasPrefix(c, "create") }) ||
				slices.ContainsFunc(gh.Calls(), func(c string) bool { return strings.HasPrefix(c, "jit") })) {
				t.Errorf("a refused version still made a pod or a runner: RunPod %v, GitHub %v", h.pods.Calls(), gh.Calls())
			}
			if tt.wantWarning != "" && !strings.Contains(h.out.String(), "::warning::"+tt.wantWarning) {
				t.Errorf("no warning %q in:\n%s", tt.wantWarning, h.out.String())
			}
			if listed := slices.Contains(gh.Calls(), "releases"); listed != tt.wantList {
				t.Errorf("releases listed = %t, want %t", listed, tt.wantList)
			}
		})
	}
}
