package fakegithub

import (
	"fmt"
	"net/http"
	"slices"
	"time"
)

// runnerRepo is the repository of the runner application.
const runnerRepo = "actions/runner"

// docReleases documents GET /repos/{owner}/{repo}/releases.
const docReleases = "https://docs.github.com/rest/releases/releases#list-releases"

// Release is one release of actions/runner.
type Release struct {
	Version    string // the tag is "v" + Version, as actions/runner tags its releases
	Published  time.Time
	Prerelease bool
	Draft      bool
}

// releaseJSON is the part of a release object the stand-in fills
// (https://docs.github.com/en/rest/releases/releases#list-releases): published_at is null
// for a draft.
type releaseJSON struct {
	ID          int64   `json:"id"`
	TagName     string  `json:"tag_name"`
	Name        string  `json:"name"`
	Draft       bool    `json:"draft"`
	Prerelease  bool    `json:"prerelease"`
	CreatedAt   string  `json:"created_at"`
	PublishedAt *string `json:"published_at"`
	HTMLURL     string  `json:"html_url"`
}

// listReleases serves GET /repos/{owner}/{repo}/releases, newest first and paged. "Only users
// with push access will receive listings for draft releases" (same page): the stand-in's tokens
// never have push access, so drafts are left out.
func (s *Server) listReleases(w http.ResponseWriter, r *http.Request, sc scope) {
	if s.hidden(r, sc.repo) {
		writeError(w, http.StatusNotFound, "Not Found", docReleases)
		return
	}
	var list []Release
	if sc.repo == runnerRepo {
		list = slices.DeleteFunc(slices.Clone(s.opts.RunnerReleases), func(r Release) bool { return r.Draft })
	}
	slices.SortStableFunc(list, func(a, b Release) int { return b.Published.Compare(a.Published) })
	pg := pageOf(r, len(list))
	body := []releaseJSON{}
	for i, rel := range list[pg.start:pg.end] {
		at := rel.Published.UTC().Format(time.RFC3339)
		body = append(body, releaseJSON{ID: int64(pg.start + i + 1), TagName: "v" + rel.Version, Name: "v" + rel.Version,
			Prerelease: rel.Prerelease, CreatedAt: at, PublishedAt: &at,
			HTMLURL: fmt.Sprintf("https://github.com/%s/releases/tag/v%s", sc.repo, rel.Version)})
	}
	pg.setLink(w, r, s.baseURL(r))
	writeJSON(w, http.StatusOK, body)
}
