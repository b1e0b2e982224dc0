package action

import (
	"context"
	"errors"
	"fmt"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/registration"
)

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
