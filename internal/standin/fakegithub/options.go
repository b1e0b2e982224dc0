package fakegithub

import (
	"slices"
	"strings"
	"time"
)

// Access is a permission level a token holds on a repository or organization.
type Access int

// Permission levels. WriteAccess implies ReadAccess.
const (
	NoAccess Access = iota
	ReadAccess
	WriteAccess
)

// Grant says what a token may do.
type Grant struct {
	// Administration maps "owner/name" to the repository permission
	// "Administration" that repository runner endpoints require.
	Administration map[string]Access
	// SelfHostedRunners maps an organization to the organization permission
	// "Self-hosted runners" that organization runner endpoints require.
	SelfHostedRunners map[string]Access
	// Actions maps "owner/name" to the repository permission "Actions" that
	// reading a workflow run requires
	// (https://docs.github.com/en/rest/authentication/permissions-required-for-fine-grained-personal-access-tokens#repository-permissions-for-actions).
	Actions map[string]Access
}

// RunnerGroup is an organization runner group, with the access policy GitHub keeps for it
// (https://docs.github.com/en/rest/actions/self-hosted-runner-groups#list-self-hosted-runner-groups-for-an-organization).
type RunnerGroup struct {
	ID   int64
	Name string
	// Visibility is "all" (every repository of the organization; the default), "selected"
	// (SelectedRepositories only) or "private" (private and internal repositories).
	Visibility           string
	SelectedRepositories []string // "owner/name", for Visibility "selected"
	Default              bool
	// AllowsPublicRepositories is false unless set, as on GitHub: "By default, only private
	// repositories can access runners in a runner group"
	// (https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/managing-access-to-self-hosted-runners-using-groups).
	AllowsPublicRepositories bool
	// RestrictedToWorkflows limits the group to jobs defined in SelectedWorkflows, each
	// "owner/repo/.github/workflows/file.yml@ref" (same page as above).
	RestrictedToWorkflows bool
	SelectedWorkflows     []string
	Inherited             bool
	// GitHubHosted marks a group that holds GitHub-hosted runners only; a
	// just-in-time configuration for it is refused with 403.
	GitHubHosted bool
}

// Download is one entry of the runner application downloads list.
type Download struct {
	OS             string `json:"os"`
	Architecture   string `json:"architecture"`
	DownloadURL    string `json:"download_url"`
	Filename       string `json:"filename"`
	SHA256Checksum string `json:"sha256_checksum"`
}

// Options configures a Server.
type Options struct {
	// Tokens maps each accepted token to its grant.
	Tokens map[string]Grant
	// Repos lists the repositories ("owner/name") that exist.
	Repos []string
	// Visibility maps a repository of Repos to "public", "private" or "internal"; the
	// default is "private".
	Visibility map[string]string
	// Orgs maps each existing organization to its runner groups. An empty
	// list stands for the single Default group (ID 1).
	Orgs map[string][]RunnerGroup
	// Downloads is the runner application downloads list.
	Downloads []Download
	// RunnerReleases, when not nil, are the releases of the public repository actions/runner,
	// which then exists.
	RunnerReleases []Release
	// OfflineAfter is how long after its listener's last poll a runner turns
	// offline. Default 5s.
	OfflineAfter time.Duration
	// Now is the clock runner presence and rate limits follow; nil means
	// time.Now. A test moves it on past OfflineAfter without waiting.
	Now func() time.Time
	// ListenerGiveUp is how long a listener keeps retrying a server it cannot
	// reach before it exits non-zero. Default 30s.
	ListenerGiveUp time.Duration
	// RateLimit is the secondary rate limit in requests per second per
	// token; beyond it requests answer 429 with Retry-After. Zero disables it.
	RateLimit float64
	// HourlyLimit is the primary rate limit per token and hour. Default 5000.
	HourlyLimit int
	// RunnerStartDelay is how long a listener takes to start before it goes online, as the real
	// runner's own start-up does.
	RunnerStartDelay time.Duration
	// PublicURL is the base URL written into just-in-time configurations.
	// Default: the scheme and host the request came in on.
	PublicURL string
}

const (
	defaultOfflineAfter = 5 * time.Second
	defaultGiveUp       = 30 * time.Second
	defaultHourlyLimit  = 5000
	unauthHourlyLimit   = 60
)

// withDefaults returns a copy of o with zero values replaced by defaults
// and with its maps copied so callers cannot change them afterwards.
func (o Options) withDefaults() Options {
	if o.OfflineAfter <= 0 {
		o.OfflineAfter = defaultOfflineAfter
	}
	if o.ListenerGiveUp <= 0 {
		o.ListenerGiveUp = defaultGiveUp
	}
	if o.HourlyLimit <= 0 {
		o.HourlyLimit = defaultHourlyLimit
	}
	o.PublicURL = strings.TrimSuffix(o.PublicURL, "/")
	orgs := make(map[string][]RunnerGroup, len(o.Orgs))
	for org, groups := range o.Orgs {
		if len(groups) == 0 {
			groups = []RunnerGroup{{ID: 1, Name: "Default", Default: true}}
		}
		groups = append([]RunnerGroup(nil), groups...)
		for i := range groups {
			if groups[i].Visibility == "" {
				groups[i].Visibility = "all"
			}
		}
		orgs[org] = groups
	}
	o.Orgs = orgs
	o.Downloads = append([]Download{}, o.Downloads...)
	vis := make(map[string]string, len(o.Visibility)+1)
	for repo, v := range o.Visibility {
		vis[repo] = v
	}
	if o.RunnerReleases != nil {
		o.Repos = append(slices.Clone(o.Repos), runnerRepo)
		vis[runnerRepo] = "public"
	}
	o.Visibility = vis
	return o
}

// pollWait is how long a broker long-poll waits for a job.
func (o Options) pollWait() time.Duration {
	return min(max(o.OfflineAfter/2, 50*time.Millisecond), 30*time.Second)
}

// heartbeat is how often a busy listener renews its job.
func (o Options) heartbeat() time.Duration {
	return max(o.OfflineAfter/3, 20*time.Millisecond)
}
