package fakegithub

import (
	"net/http"
	"slices"
	"strings"
)

// docRepo documents GET /repos/{owner}/{repo}.
const docRepo = "https://docs.github.com/rest/repos/repos#get-a-repository"

// repoJSON is the part of a repository object the stand-in fills
// (https://docs.github.com/en/rest/repos/repos#get-a-repository).
type repoJSON struct {
	Name       string    `json:"name"`
	FullName   string    `json:"full_name"`
	Private    bool      `json:"private"`
	Visibility string    `json:"visibility"`
	Owner      ownerJSON `json:"owner"`
}

type ownerJSON struct {
	Login string `json:"login"`
}

// visibility is a repository's visibility: "public", "internal" or "private" (the default).
func (s *Server) visibility(repo string) string {
	if v := s.opts.Visibility[repo]; v != "" {
		return v
	}
	return "private"
}

// visibleTo reports whether a runner group's repository access lets repo use it: "all" every
// repository of the organization, "selected" the repositories chosen, "private" private and
// internal repositories
// (https://docs.github.com/en/rest/actions/self-hosted-runner-groups#create-a-self-hosted-runner-group-for-an-organization).
func (s *Server) visibleTo(g RunnerGroup, repo string) bool {
	if !s.repos[repo] {
		return false
	}
	switch g.Visibility {
	case "selected":
		return slices.ContainsFunc(g.SelectedRepositories, func(r string) bool { return strings.EqualFold(r, repo) })
	case "private":
		return s.visibility(repo) != "public"
	}
	return true
}

// getRepository serves GET /repos/{owner}/{repo}. A public repository answers any valid token;
// a private or internal one answers 404 to a token without access to it, as GitHub hides
// what a token may not see (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api#404-not-found-for-an-existing-resource).
func (s *Server) getRepository(w http.ResponseWriter, r *http.Request, sc scope) {
	if s.hidden(r, sc.repo) {
		writeError(w, http.StatusNotFound, "Not Found", docRepo)
		return
	}
	vis := s.visibility(sc.repo)
	owner, name, _ := strings.Cut(sc.repo, "/")
	writeJSON(w, http.StatusOK, repoJSON{Name: name, FullName: sc.repo, Private: vis != "public",
		Visibility: vis, Owner: ownerJSON{Login: owner}})
}

// hidden reports whether the request's token may not see a repository: it is not public and the
// token holds no permission on it.
func (s *Server) hidden(r *http.Request, repo string) bool {
	tok, _ := credentials(r)
	g := s.opts.Tokens[tok]
	return s.visibility(repo) != "public" && g.Administration[repo] == NoAccess && g.Actions[repo] == NoAccess
}
