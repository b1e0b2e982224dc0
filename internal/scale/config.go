// Package scale is the autoscaler: it keeps runners of GitHub's runner scale sets on RunPod
// pods, as many as the scale set's assigned jobs ask for, with a warm pool of stopped pods.
package scale

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/runpod-runner/runpod-runner/internal/apiclient"
	"github.com/runpod-runner/runpod-runner/internal/config"
)

// Config is the autoscaler's config file and secrets, parsed and checked.
type Config struct {
	GitHubURL      string // https://github.com/OWNER/REPO, https://github.com/ORG or a GHES URL
	RunnerGroup    string
	RunPodAPI      string // config.APIREST or config.APIGraphQL
	RunPodAPIURL   string
	Listen         string
	DrainTimeout   time.Duration
	MaxHourlySpend float64 // 0: no limit
	StateDir       string
	ScaleSets      []ScaleSet
	Secrets        Secrets
}

// ScaleSet is one runner scale set: its name is the runs-on label.
type ScaleSet struct {
	Name            string
	Pod             *config.Config // the pod and runner, as the action's inputs of the same names
	MinRunners      int
	MaxRunners      int
	WarmPool        int
	IdleTimeout     time.Duration
	WarmMaxAge      time.Duration
	MaxRuntime      time.Duration
	MaxPricePerHour float64 // 0: no limit
}

// Defaults.
const (
	DefaultListen       = "127.0.0.1:9464"
	DefaultRunnerGroup  = "default"
	DefaultDrainTimeout = 15 * time.Minute
	DefaultIdleTimeout  = 10 * time.Minute
	DefaultWarmMaxAge   = 24 * time.Hour
	DefaultMaxRuntime   = 6 * time.Hour
)

var topKeys = []string{"github", "runpod", "listen", "drain-timeout", "max-hourly-spend", "state-dir", "scale-sets"}

// Load parses the config file and reads the secrets through getenv (and readFile, for
// GITHUB_APP_PRIVATE_KEY_FILE). The error joins one *KeyError per problem, all of them.
func Load(data []byte, getenv func(string) string, readFile func(string) ([]byte, error)) (*Config, error) {
	p := &parser{}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &KeyError{Key: "config", Problem: fmt.Sprintf("is not valid YAML: %v", err)}
	}
	var root *yaml.Node
	if len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	top := p.mapping("", root, topKeys...)
	c := &Config{}
	c.readGitHub(p, top["github"])
	c.readRunPod(p, top["runpod"])
	c.Listen = p.scalar("listen", top["listen"], DefaultListen)
	if _, port, err := net.SplitHostPort(c.Listen); err != nil || port == "" {
		p.fail("listen", top["listen"], "must be HOST:PORT such as 127.0.0.1:9464, got %q", c.Listen)
	}
	c.DrainTimeout = p.duration("drain-timeout", top["drain-timeout"], DefaultDrainTimeout, 0, 24*time.Hour)
	c.MaxHourlySpend = p.dollars("max-hourly-spend", top["max-hourly-spend"])
	c.StateDir = p.scalar("state-dir", top["state-dir"], "")
	if c.StateDir != "" && !strings.HasPrefix(c.StateDir, "/") {
		p.fail("state-dir", top["state-dir"], "must be an absolute path, got %q", c.StateDir)
	}
	if c.StateDir == "" && c.RunPodAPI == config.APIGraphQL {
		p.fail("state-dir", root, "is required with runpod.api: graphql, which cannot give a stopped pod a new PUBLIC_KEY: "+
			"the SSH key its warm pods accept must survive a restart")
	}
	c.readScaleSets(p, top["scale-sets"])
	c.Secrets = readSecrets(p, getenv, readFile)
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return c, nil
}

func (c *Config) readGitHub(p *parser, n *yaml.Node) {
	m := p.mapping("github", n, "url", "runner-group")
	c.GitHubURL = strings.TrimRight(p.scalar("github.url", m["url"], ""), "/")
	if problem := gitHubURLProblem(c.GitHubURL); problem != "" {
		at := m["url"]
		if at == nil {
			at = n
		}
		p.fail("github.url", at, "%s", problem)
	}
	c.RunnerGroup = p.scalar("github.runner-group", m["runner-group"], DefaultRunnerGroup)
	if err := config.Check(config.InRunnerGroup, c.RunnerGroup); err != nil {
		p.fail("github.runner-group", m["runner-group"], "%s", problemOf(err))
	}
}

// gitHubURLProblem says what is wrong with github.url, or "" when the scale-set client takes it.
func gitHubURLProblem(raw string) string {
	const want = "must be https://github.com/OWNER/REPO, https://github.com/ORG or the same on a GitHub Enterprise Server"
	if raw == "" {
		return "is required: " + want[len("must be "):]
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Sprintf("%s, got %q", want, raw)
	}
	if u.User != nil {
		return "must not carry credentials in the URL"
	}
	if err := apiclient.CheckURL(raw); err != nil {
		return err.Error()
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	switch {
	case len(parts) == 1 && parts[0] != "" && config.Check(config.InOrganization, parts[0]) == nil:
	case len(parts) == 2 && config.Check(config.InRepository, parts[0]+"/"+parts[1]) == nil:
	default:
		return fmt.Sprintf("%s, got %q", want, raw)
	}
	return ""
}

func (c *Config) readRunPod(p *parser, n *yaml.Node) {
	m := p.mapping("runpod", n, "api", "api-url")
	api := p.scalar("runpod.api", m["api"], config.APIREST)
	c.RunPodAPI = strings.ToLower(api)
	if err := config.Check(config.InRunPodAPI, api); err != nil {
		p.fail("runpod.api", m["api"], "%s", problemOf(err))
		c.RunPodAPI = config.APIREST
	}
	def := "https://api.runpod.io"
	if c.RunPodAPI == config.APIGraphQL {
		def += "/graphql"
	}
	c.RunPodAPIURL = p.scalar("runpod.api-url", m["api-url"], def)
	if err := config.Check(config.InRunPodAPIURL, c.RunPodAPIURL); err != nil {
		p.fail("runpod.api-url", m["api-url"], "%s", problemOf(err))
	}
}

// problemOf is what an *InputError says is wrong, without the input's name.
func problemOf(err error) string {
	var ie *config.InputError
	if errors.As(err, &ie) {
		return ie.Problem
	}
	return err.Error()
}
