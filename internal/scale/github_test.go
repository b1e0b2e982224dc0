package scale

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakescaleset"
)

func TestGitHubAPIURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ url, want string }{
		{url: "https://github.com/octo/repo", want: "https://api.github.com"},
		{url: "https://www.github.com/octo", want: "https://api.github.com"},
		{url: "https://acme.ghe.com/octo", want: "https://api.acme.ghe.com"},
		{url: "https://ghes.example.com/octo/repo", want: "https://ghes.example.com/api/v3"},
		{url: "http://127.0.0.1:8080/octo/repo", want: "http://127.0.0.1:8080/api/v3"},
	} {
		got, err := GitHubAPIURL(tc.url)
		if err != nil || got != tc.want {
			t.Errorf("GitHubAPIURL(%s) = %q, %v; want %q", tc.url, got, err, tc.want)
		}
	}
	if diff := cmp.Diff(registration.Scope{Org: "octo"}, ScopeOf("https://github.com/octo")); diff != "" {
		t.Errorf("ScopeOf (-want +got):\n%s", diff)
	}
}

// TestRunnerDownloadsWithTokenOrApp: runner-version latest is resolved against GitHub's
// downloads list of the scope, with the token or with the App's installation token (made once
// and kept); a wrong credential is an error.
func TestRunnerDownloadsWithTokenOrApp(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	list := []fakegithub.Download{{OS: "linux", Architecture: "x64", DownloadURL: "https://example.com/actions-runner-linux-x64-2.340.0.tar.gz",
		Filename: "actions-runner-linux-x64-2.340.0.tar.gz", SHA256Checksum: "ab12"}}
	gh := fakegithub.New(fakegithub.Options{Repos: []string{"octo/repo"}, Downloads: list})
	fake := fakescaleset.New(fakescaleset.Options{GitHub: gh, Token: pat, Repos: []string{"octo/repo"},
		App: &fakescaleset.App{ClientID: "Iv1.test", InstallationID: 77, PublicKey: &key.PublicKey}})
	srv := httptest.NewServer(fake)
	t.Cleanup(func() { srv.Close(); fake.Close() })
	api, _ := GitHubAPIURL(srv.URL + "/octo/repo")
	app := &AppToken{APIURL: api, ClientID: "Iv1.test", InstallationID: 77, HTTPClient: srv.Client(), Now: time.Now,
		PrivateKey: string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))}
	fixed := func(tok string) func(context.Context) (string, error) {
		return func(context.Context) (string, error) { return tok, nil }
	}
	want := []registration.Download{{OS: "linux", Arch: "x64", URL: list[0].DownloadURL, Filename: list[0].Filename, SHA256: "ab12"}}
	for _, tc := range []struct {
		name    string
		token   func(context.Context) (string, error)
		wantErr bool
	}{
		{name: "token", token: fixed(pat)},
		{name: "app", token: app.Token},
		{name: "app_again", token: app.Token},
		{name: "wrong_token", token: fixed("ghp_wrong"), wantErr: true},
	} {
		d := &GitHubREST{APIURL: api, Scope: ScopeOf(srv.URL + "/octo/repo"), HTTPClient: srv.Client(), Token: tc.token}
		got, err := d.Downloads(context.Background())
		if (err != nil) != tc.wantErr {
			t.Fatalf("%s: List: %v, want an error: %t", tc.name, err, tc.wantErr)
		}
		if diff := cmp.Diff(want, got); !tc.wantErr && diff != "" {
			t.Errorf("%s: downloads (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestProvisioningResolvesAgainstDownloads: the start of each runner asks the list, as the
// action's start does.
func TestProvisioningResolvesAgainstDownloads(t *testing.T) {
	t.Parallel()
	calls := 0
	j := &jitRunners{downloads: func(context.Context) ([]registration.Download, error) {
		calls++
		return []registration.Download{{OS: "linux", Arch: "x64"}}, nil
	}}
	got, err := j.Downloads(context.Background())
	if err != nil || len(got) != 1 || calls != 1 {
		t.Errorf("Downloads = %v, %v after %d calls; want the list, asked once", got, err, calls)
	}
	if _, err := (&jitRunners{}).Downloads(context.Background()); err == nil {
		t.Error("Downloads without a GitHub API: no error")
	}
}
