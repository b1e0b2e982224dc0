package action

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/retry"
	"github.com/runpod-runner/runpod-runner/internal/runner"
)

var reVersionInName = regexp.MustCompile(`-([0-9]+\.[0-9]+\.[0-9]+)\.tar\.gz$`)

// resolvePackage settles which runner package to install for an architecture, its checksum,
// and the token its download needs (GitHub Enterprise Server's temp_download_token, "" for
// none): runner-download-url with runner-sha256; or the package GitHub offers now (latest, or
// the version asked for when it is the one offered); or an official release with a known or
// given checksum.
func (s *start) resolvePackage(arch string) (runner.Package, string, error) {
	c := s.cfg
	if c.RunnerDownloadURL != "" {
		version := c.RunnerVersion
		if m := reVersionInName.FindStringSubmatch(path.Base(c.RunnerDownloadURL)); m != nil && version == "latest" {
			version = m[1]
		}
		return runner.Package{Version: version, URL: c.RunnerDownloadURL, SHA256: c.RunnerSHA256}, "", nil
	}
	for _, d := range s.downloads {
		m := reVersionInName.FindStringSubmatch(d.Filename)
		if d.OS == "linux" && d.Arch == arch && m != nil && (c.RunnerVersion == "latest" || c.RunnerVersion == m[1]) {
			return runner.Package{Version: m[1], URL: d.URL, SHA256: strings.ToLower(d.SHA256)}, d.Token, nil
		}
	}
	if c.RunnerVersion == "latest" {
		return runner.Package{}, "", fmt.Errorf("GitHub offers no runner package for linux/%s", arch)
	}
	sum := c.RunnerSHA256
	if sum == "" {
		sum = runner.KnownChecksum(c.RunnerVersion, arch)
	}
	if sum == "" {
		return runner.Package{}, "", &config.InputError{Input: config.InRunnerVersion, Problem: fmt.Sprintf(
			"no checksum is known for runner %s on linux/%s; set runner-sha256 or use latest", c.RunnerVersion, arch)}
	}
	return runner.Package{Version: c.RunnerVersion, URL: runner.ReleaseURL(c.RunnerVersion, arch), SHA256: sum}, "", nil
}

// waitOnline polls GitHub until it reports the runner online.
func (s *start) waitOnline(ctx context.Context) error {
	id := s.jit.Runner.ID
	var last *registration.Runner
	gone := false
	err := retry.Poll(ctx, s.d.timing().OnlinePoll, func(ctx context.Context) (retry.State, error) {
		r, err := s.d.Runners.Runner(ctx, id)
		if registration.ClassOf(err) == registration.NotFound {
			if s.listening {
				// GitHub removes a just-in-time runner as soon as its one job ends: one that
				// listened for jobs and is gone took a short job and finished it.
				gone = true
				return retry.Done, nil
			}
			return retry.Waiting, fmt.Errorf("runner %d disappeared from GitHub before it came online", id)
		}
		if err != nil {
			return retry.Waiting, err
		}
		last = r
		switch {
		case r.Status == "online":
			return retry.Done, nil
		case s.listening:
			return retry.Close, nil
		}
		return retry.Waiting, nil
	})
	if err != nil {
		status := "never seen"
		if last != nil {
			status = last.Status
		}
		return fmt.Errorf("runner %s (id %d) did not come online (last status: %s): %w", s.jit.Runner.Name, id, status, err)
	}
	if gone {
		s.log.Infof("Runner %s listened for jobs, took one and was removed by GitHub: its job is done.", s.jit.Runner.Name)
		return nil
	}
	s.log.Infof("Runner %s is online.", s.jit.Runner.Name)
	return nil
}

// RunnerReleases lists the releases of the runner application. Runners that implement it let
// a pinned runner-version be checked against GitHub's support window before any pod exists.
type RunnerReleases interface {
	RunnerReleases(ctx context.Context) ([]registration.Release, error)
}

// checkRunnerVersion fails a pinned runner-version that GitHub no longer gives jobs to, or that
// is no release of actions/runner (a warning when runner-download-url is given: that package is
// the user's to vouch for). latest is the newest release (resolved from GitHub's downloads list)
// and needs no check; when the releases cannot be read, the start goes on with a warning.
func (s *start) checkRunnerVersion(ctx context.Context) error {
	version := s.cfg.RunnerVersion
	lister, ok := s.d.Runners.(RunnerReleases)
	if version == "latest" || !ok {
		return nil
	}
	releases, err := lister.RunnerReleases(ctx)
	if err != nil {
		s.log.Warningf("Could not read the releases of actions/runner to check runner-version %s (%v); going on.", version, err)
		return nil
	}
	var old *registration.VersionTooOldError
	switch err := registration.CheckVersion(releases, version, s.d.Now()); {
	case errors.As(err, &old):
		return &config.InputError{Input: config.InRunnerVersion, Problem: fmt.Sprintf(
			"%v; use latest, or %s or newer", err, old.Oldest)}
	case err != nil && s.cfg.RunnerDownloadURL != "":
		s.log.Warningf("runner-version %s is not a release of actions/runner; running it as runner-download-url gives it, "+
			"on your word that GitHub accepts it.", version)
	case err != nil:
		return &config.InputError{Input: config.InRunnerVersion, Problem: fmt.Sprintf(
			"%s is not a release of actions/runner (https://github.com/actions/runner/releases); use latest or a released version",
			version)}
	}
	return nil
}
