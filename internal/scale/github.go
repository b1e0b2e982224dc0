package scale

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v4"
	"github.com/google/go-github/v62/github"

	"github.com/runpod-runner/runpod-runner/internal/registration"
)

// GitHubAPIURL is the REST API root of github.url, as the scale-set client derives it
// (https://github.com/actions/scaleset/blob/main/config.go, gitHubAPIURL): api.HOST for
// github.com and *.ghe.com, HOST/api/v3 on a GitHub Enterprise Server.
func GitHubAPIURL(configURL string) (string, error) {
	u, err := url.Parse(configURL)
	if err != nil {
		return "", fmt.Errorf("github.url: %w", err)
	}
	host := strings.ToLower(u.Host)
	switch {
	case host == "github.com" || host == "www.github.com":
		return u.Scheme + "://api.github.com", nil
	case host == "github.localhost" || strings.HasSuffix(host, ".ghe.com"):
		return u.Scheme + "://api." + u.Host, nil
	}
	return u.Scheme + "://" + u.Host + "/api/v3", nil
}

// ScopeOf is the organization or repository of github.url.
func ScopeOf(configURL string) registration.Scope {
	u, err := url.Parse(configURL)
	if err != nil {
		return registration.Scope{}
	}
	owner, repo, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	if repo == "" {
		return registration.Scope{Org: owner}
	}
	return registration.Scope{Owner: owner, Repo: repo}
}

// RunnerDownloads lists the runner packages GitHub offers to the scale sets' scope, which
// runner-version latest resolves against when a runner is provisioned, as the action's start
// does (https://docs.github.com/en/rest/actions/self-hosted-runners#list-runner-applications-for-a-repository).
type GitHubREST struct {
	APIURL     string
	Scope      registration.Scope
	HTTPClient *http.Client
	Token      func(ctx context.Context) (string, error) // the token, or an App's installation token
}

// Downloads asks GitHub for the list.
func (d *GitHubREST) Downloads(ctx context.Context) ([]registration.Download, error) {
	c, err := d.client(ctx)
	if err != nil {
		return nil, err
	}
	return c.Downloads(ctx)
}

// Runners lists the scope's self-hosted runners
// (https://docs.github.com/en/rest/actions/self-hosted-runners#list-self-hosted-runners-for-a-repository).
func (d *GitHubREST) Runners(ctx context.Context) ([]registration.Runner, error) {
	c, err := d.client(ctx)
	if err != nil {
		return nil, err
	}
	return c.List(ctx, "")
}

func (d *GitHubREST) client(ctx context.Context) (*registration.Client, error) {
	tok, err := d.Token(ctx)
	if err != nil {
		return nil, err
	}
	return registration.New(registration.Options{BaseURL: d.APIURL, Token: tok, HTTPClient: d.HTTPClient, Scope: d.Scope})
}

// AppToken is a GitHub App installation's access token, made from the App's JWT and kept
// until five minutes before it expires
// (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-an-installation-access-token-for-a-github-app).
type AppToken struct {
	APIURL         string
	ClientID       string
	InstallationID int64
	PrivateKey     string // PEM
	HTTPClient     *http.Client
	Now            func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
}

// Token returns the installation token, asking GitHub for a new one when it runs out.
func (a *AppToken) Token(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token != "" && a.Now().Add(5*time.Minute).Before(a.expires) {
		return a.token, nil
	}
	signed, err := a.jwt()
	if err != nil {
		return "", err
	}
	base, err := url.Parse(strings.TrimSuffix(a.APIURL, "/") + "/")
	if err != nil {
		return "", fmt.Errorf("github api url: %w", err)
	}
	gh := github.NewClient(a.HTTPClient).WithAuthToken(signed)
	gh.BaseURL = base
	tok, _, err := gh.Apps.CreateInstallationToken(ctx, a.InstallationID, nil)
	if err != nil {
		return "", fmt.Errorf("installation token of GitHub App %s: %w", a.ClientID, err)
	}
	a.token, a.expires = tok.GetToken(), tok.GetExpiresAt().Time
	return a.token, nil
}

// jwt is the App's token for the exchange: RS256, issued by the client id, backdated a minute
// for clock drift and valid for ten at most, as GitHub allows.
func (a *AppToken) jwt() (string, error) {
	key, err := jwt.ParseRSAPrivateKeyFromPEM([]byte(a.PrivateKey))
	if err != nil {
		return "", fmt.Errorf("the GitHub App's private key: %w", err)
	}
	now := a.Now()
	claims := jwt.RegisteredClaims{Issuer: a.ClientID, IssuedAt: jwt.NewNumericDate(now.Add(-time.Minute)),
		ExpiresAt: jwt.NewNumericDate(now.Add(9 * time.Minute))}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
	if err != nil {
		return "", fmt.Errorf("signing the GitHub App's JWT: %w", err)
	}
	return signed, nil
}
