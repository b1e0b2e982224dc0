package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/actions/scaleset"

	"github.com/runpod-runner/runpod-runner/internal/action"
	"github.com/runpod-runner/runpod-runner/internal/apiclient"
	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/retry"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
	"github.com/runpod-runner/runpod-runner/internal/scale"
	"github.com/runpod-runner/runpod-runner/internal/workflow"
)

// scaleRequestTimeout bounds one RunPod request of the autoscaler.
const scaleRequestTimeout = 30 * time.Second

// serveScale wires the scale-set client, RunPod and SSH, and runs the autoscaler until ctx ends
// (SIGTERM), then drains.
func serveScale(ctx context.Context, cfg *scale.Config, getenv func(string) string, stderr io.Writer) error {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: logLevel(getenv)}))
	client, err := scaleClient(cfg, log)
	if err != nil {
		log.Error("cannot build the scale-set client", "error", err.Error())
		return err
	}
	key, err := stateKey(cfg.StateDir)
	if err != nil {
		log.Error("cannot read the SSH key in state-dir", "error", err.Error())
		return err
	}
	// Every start's reads share one List of the pods (at most every 2 s) and one catalog read
	// a minute: under RunPod's per-key rate limit, many starts cost what one costs.
	pods := &scale.SharedPods{Pods: scalePods(cfg, log), Fresh: 2 * time.Second, CatalogFresh: time.Minute, Now: time.Now}
	host, _ := os.Hostname()
	rest := gitHubREST(cfg)
	prov := &scale.RunPod{
		Base: action.Deps{Pods: pods, Now: time.Now, Random: rand.Read, CleanupTimeout: time.Minute},
		Dialer: func(wf *workflow.Commands) action.Dialer {
			return sshDialer{user: cfg.ScaleSets[0].Pod.SSHUser, wf: wf}
		},
		API: client, Scope: scope(cfg.GitHubURL), Key: key, Log: log, Downloads: rest.Downloads,
	}
	m := scale.NewMetrics(cfg.ScaleSets)
	a := scale.New(cfg, client, scale.Deps{Pods: prov, Log: log, Now: time.Now, Metrics: m, Random: rand.Read, Runners: rest.Runners},
		scale.Options{Owner: "runpod-runner-" + host})
	if err := a.Run(ctx); err != nil {
		log.Error("the autoscaler stopped", "error", err.Error())
		return err
	}
	log.Info("the autoscaler stopped", "reason", "shut down and drained")
	return nil
}

// scalePods is the autoscaler's RunPod client, on the same token-safe HTTP client as the action's.
func scalePods(cfg *scale.Config, log *slog.Logger) action.Pods {
	hc := apiclient.New(scaleRequestTimeout + 5*time.Second)
	rp := runpod.Options{URL: cfg.RunPodAPIURL, APIKey: cfg.Secrets.RunPodAPIKey, HTTPClient: hc, Timeout: scaleRequestTimeout,
		Retry: retry.Policy{MaxAttempts: maxAttempts}, Notify: func(err error, wait time.Duration) {
			log.Debug("retrying a RunPod call", "wait", wait.String(), "error", err.Error())
		}}
	if cfg.RunPodAPI == config.APIGraphQL {
		return runpod.NewGraphQL(rp)
	}
	return runpod.NewREST(rp)
}

// gitHubREST is GitHub's REST API for the config's scope, with the token or the App's
// installation token: the runner downloads (runner-version latest) and the scope's runners.
func gitHubREST(cfg *scale.Config) *scale.GitHubREST {
	api, err := scale.GitHubAPIURL(cfg.GitHubURL)
	hc := apiclient.New(time.Minute)
	s := cfg.Secrets
	token := func(context.Context) (string, error) { return s.GitHubToken, err }
	if s.GitHubToken == "" && err == nil {
		app := &scale.AppToken{APIURL: api, ClientID: s.AppClientID, InstallationID: s.AppInstallationID, PrivateKey: s.AppPrivateKey,
			HTTPClient: hc, Now: time.Now}
		token = app.Token
	}
	return &scale.GitHubREST{APIURL: api, Scope: scale.ScopeOf(cfg.GitHubURL), HTTPClient: hc, Token: token}
}

// logLevel is debug when RUNPOD_RUNNER_DEBUG is set, as the runner's ACTIONS_STEP_DEBUG.
func logLevel(getenv func(string) string) slog.Level {
	if getenv("RUNPOD_RUNNER_DEBUG") != "" {
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// scaleClient is GitHub's scale-set client, with a token or as a GitHub App.
func scaleClient(cfg *scale.Config, log *slog.Logger) (*scaleset.Client, error) {
	info := scaleset.SystemInfo{System: "runpod-runner", Version: version, Subsystem: "scale"}
	opts := []scaleset.HTTPOption{scaleset.WithLogger(log), scaleset.WithTimeout(time.Minute)}
	s := cfg.Secrets
	if s.GitHubToken != "" {
		return scaleset.NewClientWithPersonalAccessToken(scaleset.NewClientWithPersonalAccessTokenConfig{
			GitHubConfigURL: cfg.GitHubURL, PersonalAccessToken: s.GitHubToken, SystemInfo: info}, opts...)
	}
	return scaleset.NewClientWithGitHubApp(scaleset.ClientWithGitHubAppConfig{GitHubConfigURL: cfg.GitHubURL,
		GitHubAppAuth: scaleset.GitHubAppAuth{ClientID: s.AppClientID, InstallationID: s.AppInstallationID, PrivateKey: s.AppPrivateKey},
		SystemInfo:    info}, opts...)
}

// scope is OWNER/REPO or ORG of the config URL.
func scope(gitHubURL string) string {
	u, err := url.Parse(gitHubURL)
	if err != nil {
		return ""
	}
	return strings.Trim(u.Path, "/")
}

// stateKey is the SSH key warm pods accept, kept in state-dir so that it survives a restart.
// Without state-dir it lives as long as the process: the pods it made or resumed accept it, so
// that resuming them needs no new PUBLIC_KEY (a PATCH on REST); after a restart each warm pod
// is given the new one before it is resumed.
func stateKey(dir string) (string, error) {
	if dir == "" {
		k, err := remote.NewKey()
		if err != nil {
			return "", fmt.Errorf("making the SSH key of warm pods: %w", err)
		}
		return k.PEM, nil
	}
	path := filepath.Join(dir, "ssh_ed25519")
	if b, err := os.ReadFile(path); err == nil {
		if _, err := remote.ParseKey(string(b)); err != nil {
			return "", fmt.Errorf("%s: %w", path, err)
		}
		return string(b), nil
	} else if !os.IsNotExist(err) {
		return "", err
	}
	k, err := remote.NewKey()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(k.PEM), 0o600); err != nil {
		return "", err
	}
	return k.PEM, nil
}
