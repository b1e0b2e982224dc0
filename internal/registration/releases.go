package registration

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// SupportWindow is how long GitHub still gives jobs to a runner after a newer runner release
// is published, for runners that do not update themselves: "you will be required to update
// your runner version within 30 days of a new version being made available"
// (https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/autoscaling-with-self-hosted-runners#controlling-runner-software-updates-on-self-hosted-runners;
// https://github.com/orgs/community/discussions/194762 for its enforcement).
const SupportWindow = 30 * 24 * time.Hour

// Release is a published release of the runner application (github.com/actions/runner).
type Release struct {
	Version    string // such as 2.338.0, from the tag v2.338.0
	Published  time.Time
	Prerelease bool
}

// RunnerReleases lists the newest hundred releases of actions/runner, as GitHub's API at the
// configured base serves them (https://docs.github.com/en/rest/releases/releases#list-releases);
// a GitHub Enterprise Server without that repository answers NotFound.
func (c *Client) RunnerReleases(ctx context.Context) ([]Release, error) {
	var list []*github.RepositoryRelease
	err := c.call(ctx, "list releases of actions/runner", func(ctx context.Context) (resp *github.Response, err error) {
		list, resp, err = c.gh.Repositories.ListReleases(ctx, "actions", "runner", &github.ListOptions{PerPage: 100})
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]Release, 0, len(list))
	for _, r := range list {
		v := strings.TrimPrefix(r.GetTagName(), "v")
		if r.GetDraft() || r.PublishedAt == nil || parseVersion(v) == nil {
			continue
		}
		out = append(out, Release{Version: v, Published: r.GetPublishedAt().Time, Prerelease: r.GetPrerelease()})
	}
	return out, nil
}

// ErrUnknownVersion: the releases list has no such runner version.
var ErrUnknownVersion = errors.New("not a release of actions/runner")

// VersionTooOldError: GitHub no longer gives jobs to runners of Version.
type VersionTooOldError struct {
	Version string
	// Oldest is the oldest version GitHub still accepts: the newest release published more
	// than SupportWindow ago, on Since.
	Oldest string
	Since  time.Time
}

func (e *VersionTooOldError) Error() string {
	return fmt.Sprintf("runner %s is past GitHub's support window: a runner that does not update itself gets no jobs "+
		"%d days after a newer release is published, and %s was published on %s; the oldest version accepted now is %s",
		e.Version, int(SupportWindow.Hours()/24), e.Oldest, e.Since.Format(time.DateOnly), e.Oldest)
}

// CheckVersion says whether GitHub still gives jobs at now to a runner of version that does not
// update itself: nil, a *VersionTooOldError, or ErrUnknownVersion. A version is accepted while
// every newer release was published within SupportWindow; prereleases start no window.
func CheckVersion(releases []Release, version string, now time.Time) error {
	want := parseVersion(version)
	for _, r := range stableNewestFirst(releases) {
		if now.Sub(r.Published) <= SupportWindow {
			continue
		}
		// Every newer release is recent, so r is the oldest version accepted.
		if slices.Compare(want, parseVersion(r.Version)) < 0 {
			return &VersionTooOldError{Version: version, Oldest: r.Version, Since: r.Published}
		}
		break
	}
	if !slices.ContainsFunc(releases, func(r Release) bool { return r.Version == version }) {
		return fmt.Errorf("runner %s: %w", version, ErrUnknownVersion)
	}
	return nil
}

// stableNewestFirst returns the releases that are not prereleases, highest version first.
func stableNewestFirst(releases []Release) []Release {
	out := slices.DeleteFunc(slices.Clone(releases), func(r Release) bool { return r.Prerelease })
	slices.SortFunc(out, func(a, b Release) int { return slices.Compare(parseVersion(b.Version), parseVersion(a.Version)) })
	return out
}

// parseVersion reads "major.minor.patch"; nil when it is not one.
func parseVersion(v string) []int {
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return nil
	}
	out := make([]int, 3)
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil
		}
		out[i] = n
	}
	return out
}
