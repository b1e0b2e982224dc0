package fakescaleset

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

func (s *Server) githubRoutes() {
	// client.go createRegistrationTokenPath: repository and organization scopes.
	s.mux.HandleFunc("POST /api/v3/repos/{owner}/{repo}/actions/runners/registration-token", s.registrationToken)
	s.mux.HandleFunc("POST /api/v3/orgs/{org}/actions/runners/registration-token", s.registrationToken)
	// client.go fetchAccessToken; https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app
	s.mux.HandleFunc("POST /api/v3/app/installations/{id}/access_tokens", s.accessToken)
	// https://docs.github.com/en/rest/actions/self-hosted-runners#list-runner-applications-for-a-repository
	// (and -for-an-organization): what runner-version latest resolves against.
	s.mux.HandleFunc("GET /api/v3/repos/{owner}/{repo}/actions/runners/downloads", s.downloads)
	s.mux.HandleFunc("GET /api/v3/orgs/{org}/actions/runners/downloads", s.downloads)
	// https://docs.github.com/en/rest/actions/self-hosted-runners#list-self-hosted-runners-for-a-repository
	// (and -for-an-organization): the scope's runners, a scale set's among them, one page.
	s.mux.HandleFunc("GET /api/v3/repos/{owner}/{repo}/actions/runners", s.listRunners)
	s.mux.HandleFunc("GET /api/v3/orgs/{org}/actions/runners", s.listRunners)
	// client.go getActionsServiceAdminConnection.
	s.mux.HandleFunc("POST /api/v3/actions/runner-registration", s.runnerRegistration)
}

// registrationToken serves POST .../actions/runners/registration-token: 201 {token,
// expires_at} for a PAT or an installation token of an App (client.go getRunnerRegistrationToken
// wants 201). https://docs.github.com/en/rest/actions/self-hosted-runners#create-a-registration-token-for-a-repository
func (s *Server) registrationToken(w http.ResponseWriter, r *http.Request) {
	scope := r.PathValue("org")
	exists := slices.Contains(s.opts.Orgs, scope)
	if scope == "" {
		scope = r.PathValue("owner") + "/" + r.PathValue("repo")
		exists = slices.Contains(s.opts.Repos, scope)
	}
	if !s.bearerValid(r) {
		writeGitHubError(w, http.StatusUnauthorized, "Bad credentials")
		return
	}
	if !exists {
		writeGitHubError(w, http.StatusNotFound, "Not Found")
		return
	}
	tok, exp := "AAAA"+strings.ToUpper(randomHex(13)), time.Now().Add(time.Hour)
	s.mu.Lock()
	s.tokens[tok] = tokenGrant{kind: "registration", scope: scope, expires: exp}
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"token": tok, "expires_at": exp.UTC().Format(time.RFC3339)})
}

// downloads serves GET .../actions/runners/downloads: 200 and the GitHub stand-in's list for a
// PAT or an installation token, 401 without, 404 for a scope that does not exist.
func (s *Server) downloads(w http.ResponseWriter, r *http.Request) {
	exists := slices.Contains(s.opts.Orgs, r.PathValue("org"))
	if r.PathValue("org") == "" {
		exists = slices.Contains(s.opts.Repos, r.PathValue("owner")+"/"+r.PathValue("repo"))
	}
	switch {
	case !s.bearerValid(r):
		writeGitHubError(w, http.StatusUnauthorized, "Bad credentials")
	case !exists:
		writeGitHubError(w, http.StatusNotFound, "Not Found")
	default:
		writeJSON(w, http.StatusOK, s.opts.GitHub.Downloads())
	}
}

// listRunners serves GET .../actions/runners: 200 {total_count, runners} with the GitHub
// stand-in's runners of the scope, 401 without a token, 404 for a scope that does not exist.
func (s *Server) listRunners(w http.ResponseWriter, r *http.Request) {
	org, repo := r.PathValue("org"), r.PathValue("owner")+"/"+r.PathValue("repo")
	exists := slices.Contains(s.opts.Orgs, org) || (org == "" && slices.Contains(s.opts.Repos, repo))
	switch {
	case !s.bearerValid(r):
		writeGitHubError(w, http.StatusUnauthorized, "Bad credentials")
		return
	case !exists:
		writeGitHubError(w, http.StatusNotFound, "Not Found")
		return
	}
	list := []map[string]any{}
	for _, rn := range s.opts.GitHub.Runners() {
		if (org != "" && rn.Org == org) || (org == "" && rn.Repo == repo) {
			list = append(list, map[string]any{"id": rn.ID, "name": rn.Name, "os": rn.OS, "status": rn.Status, "busy": rn.Busy})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total_count": len(list), "runners": list})
}

// bearerValid: the PAT, or an installation token this server issued.
func (s *Server) bearerValid(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return false
	}
	if s.opts.Token != "" && tok == s.opts.Token {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.tokens[tok]
	return ok && g.kind == "installation" && time.Now().Before(g.expires)
}

// accessToken serves POST /app/installations/{id}/access_tokens: the App's JWT (RS256, iss the
// client id, at most 10 minutes long) for an installation token, 201.
func (s *Server) accessToken(w http.ResponseWriter, r *http.Request) {
	app := s.opts.App
	raw, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if app == nil || r.PathValue("id") != fmt.Sprint(app.InstallationID) {
		writeGitHubError(w, http.StatusNotFound, "Not Found")
		return
	}
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(raw, &claims, func(t *jwt.Token) (any, error) {
		if t.Method != jwt.SigningMethodRS256 {
			return nil, fmt.Errorf("unexpected signing method %v", t.Header["alg"])
		}
		return app.PublicKey, nil
	})
	if err != nil || claims.Issuer != app.ClientID || claims.ExpiresAt == nil || claims.IssuedAt == nil ||
		claims.ExpiresAt.Sub(claims.IssuedAt.Time) > 10*time.Minute {
		writeGitHubError(w, http.StatusUnauthorized, "A JSON web token could not be decoded")
		return
	}
	tok, exp := "ghs_"+randomHex(18), time.Now().Add(time.Hour)
	s.mu.Lock()
	s.tokens[tok] = tokenGrant{kind: "installation", expires: exp}
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"token": tok, "expires_at": exp.UTC().Format(time.RFC3339)})
}

// runnerRegistration serves POST /actions/runner-registration: "RemoteAuth <registration
// token>" and {url, runner_event: register} for the Actions service URL of the scope and an
// admin token, a JWT whose exp the client reads (client.go actionsServiceAdminTokenExpiresAt).
func (s *Server) runnerRegistration(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "RemoteAuth ")
	var body struct {
		URL         string `json:"url"`
		RunnerEvent string `json:"runner_event"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.RunnerEvent != "register" {
		writeGitHubError(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	s.mu.Lock()
	g, ok := s.tokens[tok]
	s.mu.Unlock()
	if !ok || g.kind != "registration" || time.Now().After(g.expires) {
		writeGitHubError(w, http.StatusUnauthorized, "Bad credentials")
		return
	}
	if !strings.HasSuffix(strings.TrimRight(body.URL, "/"), "/"+g.scope) {
		writeGitHubError(w, http.StatusForbidden, "The registration token does not belong to "+body.URL)
		return
	}
	admin, err := s.adminToken(g.scope)
	if err != nil {
		writeGitHubError(w, http.StatusInternalServerError, "Server Error")
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"url": s.serviceURL(r, g.scope), "token": admin, "token_schema": "OAuthAccessToken"})
}

// adminClaims are the admin token's claims: the scope it serves.
type adminClaims struct {
	Scope string `json:"scope"`
	jwt.RegisteredClaims
}

func (s *Server) adminToken(scope string) (string, error) {
	now := time.Now()
	claims := adminClaims{Scope: scope, RegisteredClaims: jwt.RegisteredClaims{
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(s.opts.AdminTokenTTL)),
	}}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.secret)
}

// serviceURL is the Actions service URL of a scope: its tenant lives under /_actions/.
func (s *Server) serviceURL(r *http.Request, scope string) string {
	return "http://" + r.Host + "/_actions/" + strings.ReplaceAll(scope, "/", "~") + "/"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeGitHubError writes GitHub REST's error body.
func writeGitHubError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest"})
}

// writeException writes the Actions service's error body, which the client reads by typeName
// (errors.go newRequestResponseError: AgentExistsException, AgentNotFoundException,
// JobStillRunningException).
func writeException(w http.ResponseWriter, status int, typeName, msg string) {
	writeJSON(w, status, map[string]string{"typeName": "GitHub.DistributedTask.WebApi." + typeName, "message": msg})
}
