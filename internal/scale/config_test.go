package scale

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/runpod-runner/runpod-runner/internal/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func noFile(string) ([]byte, error) { return nil, os.ErrNotExist }

var tokenEnv = env(map[string]string{EnvRunPodAPIKey: "rp-key", EnvGitHubToken: "ghp-token"})

func TestLoadGood(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Load(data, tokenEnv, noFile)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	type set struct {
		Name                     string
		GPUTypes, DCs, Labels    []string
		Env                      []config.EnvVar
		Min, Max, Warm, VolumeGB int
		Idle, WarmAge, Runtime   time.Duration
		Price                    float64
		Image                    string
	}
	var got []set
	for _, s := range c.ScaleSets {
		got = append(got, set{Name: s.Name, GPUTypes: s.Pod.GPUTypes, DCs: s.Pod.DataCenterIDs, Labels: s.Pod.RunnerLabels,
			Env: s.Pod.Env, Min: s.MinRunners, Max: s.MaxRunners, Warm: s.WarmPool, VolumeGB: s.Pod.VolumeGB,
			Idle: s.IdleTimeout, WarmAge: s.WarmMaxAge, Runtime: s.MaxRuntime, Price: s.MaxPricePerHour, Image: s.Pod.Image})
	}
	want := []set{
		{Name: "runpod-4090", GPUTypes: []string{"NVIDIA GeForce RTX 4090", "NVIDIA RTX A6000"}, DCs: []string{"EU-RO-1", "US-TX-3"},
			Labels: []string{"cuda", "big"}, Env: []config.EnvVar{{Key: "HF_HOME", Value: "/workspace/hf"}}, Min: 1, Max: 4, Warm: 2,
			VolumeGB: 20, Idle: 90 * time.Second, WarmAge: 12 * time.Hour, Runtime: 2 * time.Hour, Price: 0.80, Image: config.DefaultImage},
		{Name: "runpod-a40", GPUTypes: []string{"NVIDIA A40"}, Max: 1, Idle: DefaultIdleTimeout, WarmAge: DefaultWarmMaxAge,
			Runtime: DefaultMaxRuntime, Image: config.DefaultImage},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("scale sets (-want +got):\n%s", diff)
	}
	top := []any{c.GitHubURL, c.RunnerGroup, c.RunPodAPI, c.RunPodAPIURL, c.Listen, c.DrainTimeout, c.MaxHourlySpend, c.StateDir, c.Secrets}
	wantTop := []any{"https://github.com/octo/gpu-repo", "default", "rest", "https://api.runpod.io", "127.0.0.1:9464", 20 * time.Minute,
		12.5, "/var/lib/runpod-runner", Secrets{RunPodAPIKey: "rp-key", GitHubToken: "ghp-token"}}
	if diff := cmp.Diff(wantTop, top); diff != "" {
		t.Errorf("top level (-want +got):\n%s", diff)
	}
}

// TestLoadBadListsEveryError: one file with many mistakes gives one error for each, with its
// key and line, and nothing else.
func TestLoadBadListsEveryError(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load(data, env(nil), noFile)
	var got []string
	for _, e := range config.Leaves(err) {
		var ke *KeyError
		if !errors.As(e, &ke) {
			t.Fatalf("error %v is not a *KeyError", e)
		}
		got = append(got, ke.Key)
	}
	want := []string{
		"colour", "github.url", "github.runner-group", "runpod.api", "listen", "drain-timeout",
		"scale-sets[0].cpu", "scale-sets[0].name", "scale-sets[0].min-runners", "scale-sets[0].warm-max-age",
		"scale-sets[0].max-price-per-hour", "scale-sets[0].gpu-types", "scale-sets[0].gpu-count", "scale-sets[0].env",
		"scale-sets[0].template-id", "scale-sets[2].gpu-types", "scale-sets[2].name",
		EnvRunPodAPIKey, EnvGitHubToken,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("keys in error (-want +got):\n%s\nerror:\n%v", diff, err)
	}
	if !strings.Contains(err.Error(), "line 10: scale-sets[0].name: must start with a letter or digit") {
		t.Errorf("error does not name the line and key of the bad name:\n%v", err)
	}
}

func TestLoadSecrets(t *testing.T) {
	t.Parallel()
	pemKey := "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"
	files := func(name string) ([]byte, error) {
		if name == "/run/app.pem" {
			return []byte(pemKey), nil
		}
		return nil, os.ErrNotExist
	}
	cfg := []byte("github: {url: https://github.com/octo}\nscale-sets: [{name: gpu, gpu-types: NVIDIA A40}]\n")
	for _, tc := range []struct {
		name    string
		env     map[string]string
		wantErr []string // keys
		want    Secrets
	}{
		{name: "token", env: map[string]string{EnvRunPodAPIKey: "k", EnvGitHubToken: "t"}, want: Secrets{RunPodAPIKey: "k", GitHubToken: "t"}},
		{name: "app_key_file", env: map[string]string{EnvRunPodAPIKey: "k", EnvAppClientID: "Iv1.x", EnvAppInstallationID: "42", EnvAppPrivateKeyFile: "/run/app.pem"},
			want: Secrets{RunPodAPIKey: "k", AppClientID: "Iv1.x", AppInstallationID: 42, AppPrivateKey: pemKey}},
		{name: "app_incomplete", env: map[string]string{EnvRunPodAPIKey: "k", EnvAppInstallationID: "x", EnvAppPrivateKey: "nope"},
			wantErr: []string{EnvAppClientID, EnvAppInstallationID, EnvAppPrivateKey}},
		{name: "token_and_app", env: map[string]string{EnvRunPodAPIKey: "k", EnvGitHubToken: "t", EnvAppClientID: "x"}, wantErr: []string{EnvGitHubToken}},
		{name: "unreadable_file", env: map[string]string{EnvRunPodAPIKey: "k", EnvAppClientID: "x", EnvAppInstallationID: "1", EnvAppPrivateKeyFile: "/nope"},
			wantErr: []string{EnvAppPrivateKeyFile}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(cfg, env(tc.env), files)
			var keys []string
			for _, e := range config.Leaves(err) {
				keys = append(keys, e.(*KeyError).Key)
			}
			if diff := cmp.Diff(tc.wantErr, keys); diff != "" {
				t.Fatalf("errors (-want +got):\n%s\n%v", diff, err)
			}
			if err == nil {
				if diff := cmp.Diff(tc.want, c.Secrets); diff != "" {
					t.Errorf("secrets (-want +got):\n%s", diff)
				}
			} else if strings.Contains(err.Error(), "nope") && tc.name != "unreadable_file" {
				t.Errorf("error shows a secret's value: %v", err)
			}
		})
	}
}

// TestGitHubURLOverPlainHTTPOnlyOnLoopback: the token goes to github.url, so http is refused
// there unless the host is this machine.
func TestGitHubURLOverPlainHTTPOnlyOnLoopback(t *testing.T) {
	t.Parallel()
	good, err := os.ReadFile("testdata/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		url     string
		wantErr bool
	}{
		{url: "http://github.example.com/octo/gpu-repo", wantErr: true},
		{url: "http://127.0.0.1:8080/octo/gpu-repo"},
		{url: "http://localhost/octo/gpu-repo"},
	} {
		data := strings.Replace(string(good), "https://github.com/octo/gpu-repo", tc.url, 1)
		_, err := Load([]byte(data), tokenEnv, noFile)
		if got := err != nil && strings.Contains(err.Error(), "github.url: must be https"); got != tc.wantErr {
			t.Errorf("Load(url %s) = %v, want an http error: %t", tc.url, err, tc.wantErr)
		}
	}
}
