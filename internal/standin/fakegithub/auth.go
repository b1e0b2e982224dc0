package fakegithub

import (
	"net/http"
	"net/http/httptest"
	"strings"
)

// scope is the repository or organization a request addresses.
type scope struct {
	repo string // "owner/name" for repository endpoints
	org  string // organization for organization endpoints
}

func (sc scope) isOrg() bool { return sc.org != "" }

// scopeOf reads the scope from the path of a routed request.
func scopeOf(r *http.Request) scope {
	if org := r.PathValue("org"); org != "" {
		return scope{org: org}
	}
	return scope{repo: r.PathValue("owner") + "/" + r.PathValue("repo")}
}

// access returns the permission the grant holds for the scope that the endpoint needs: Actions
// for workflow runs, else Administration (Self-hosted runners for an organization).
func (g Grant) access(endpoint string, sc scope) Access {
	if endpoint == epRun {
		return g.Actions[sc.repo]
	}
	if sc.isOrg() {
		return g.SelfHostedRunners[sc.org]
	}
	return g.Administration[sc.repo]
}

// acceptedPermission is the X-Accepted-GitHub-Permissions value of an endpoint.
func acceptedPermission(endpoint string, sc scope, need Access) string {
	level := "read"
	if need >= WriteAccess {
		level = "write"
	}
	if endpoint == epRun {
		return "actions=" + level
	}
	if endpoint == epRepo {
		// https://docs.github.com/en/rest/authentication/permissions-required-for-fine-grained-personal-access-tokens#repository-permissions-for-metadata
		return "metadata=read"
	}
	if sc.isOrg() {
		return "organization_self_hosted_runners=" + level
	}
	return "administration=" + level
}

// apiHandler serves one REST endpoint after authentication and checks.
type apiHandler func(w http.ResponseWriter, r *http.Request, sc scope)

// api wraps h with what every REST endpoint does before its own work:
// fault injection, authentication, rate limits, scope existence and
// permission checks.
func (s *Server) api(endpoint string, need Access, h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setEndpoint(w, endpoint)
		f, faulted := s.takeFault(endpoint)
		if faulted && f.AfterCommit {
			s.serveAPI(httptest.NewRecorder(), r, endpoint, need, h)
			s.answerFault(w, r, f)
			return
		}
		if faulted && s.answerFault(w, r, f) {
			return
		}
		s.serveAPI(w, r, endpoint, need, h)
	})
}

// serveAPI authenticates, limits and checks a request, then serves it with h.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, endpoint string, need Access, h apiHandler) {
	sc := scopeOf(r)
	w.Header().Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	tok, ok := credentials(r)
	grant, known := s.opts.Tokens[tok]
	if !ok || !known {
		s.admit(w, "", unauthHourlyLimit)
		writeError(w, http.StatusUnauthorized, "Bad credentials", docRoot)
		return
	}
	if !s.admit(w, tok, s.opts.HourlyLimit) {
		return
	}
	if !s.scopeExists(sc) {
		writeError(w, http.StatusNotFound, "Not Found", docRoot)
		return
	}
	w.Header().Set("X-Accepted-GitHub-Permissions", acceptedPermission(endpoint, sc, need))
	if grant.access(endpoint, sc) < need {
		writeError(w, http.StatusForbidden,
			"Resource not accessible by personal access token", docURL(endpoint, sc.isOrg()))
		return
	}
	h(w, r, sc)
}

// scopeExists reports whether the repository or organization is configured.
func (s *Server) scopeExists(sc scope) bool {
	if sc.isOrg() {
		_, ok := s.opts.Orgs[sc.org]
		return ok
	}
	return s.repos[sc.repo]
}

// credentials returns the token of an "Authorization: Bearer <t>" or
// "Authorization: token <t>" header.
func credentials(r *http.Request) (string, bool) {
	f := strings.Fields(r.Header.Get("Authorization"))
	if len(f) != 2 {
		return "", false
	}
	if !strings.EqualFold(f[0], "bearer") && !strings.EqualFold(f[0], "token") {
		return "", false
	}
	return f[1], true
}

// authScheme returns the scheme of the Authorization header as sent.
func authScheme(r *http.Request) string {
	f := strings.Fields(r.Header.Get("Authorization"))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}
