package scale

import (
	"encoding/pem"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/runpod-runner/runpod-runner/internal/config"
)

// sharedKeys are the scale-set keys that mean what the action's input of the same name means;
// labels is the action's runner-labels.
var sharedKeys = []struct{ key, input string }{
	{"labels", config.InRunnerLabels}, {"gpu-types", config.InGPUTypes}, {"gpu-count", config.InGPUCount},
	{"cloud-type", config.InCloudType}, {"data-center-ids", config.InDataCenterIDs}, {"image", config.InImage},
	{"template-id", config.InTemplateID}, {"container-disk-gb", config.InContainerDiskGB},
	{"volume-gb", config.InVolumeGB}, {"volume-mount-path", config.InVolumeMountPath},
	{"network-volume-id", config.InNetworkVolumeID}, {"env", config.InEnv},
	{"pre-runner-script", config.InPreRunnerScript}, {"runner-version", config.InRunnerVersion},
	{"runner-download-url", config.InRunnerDownloadURL}, {"runner-sha256", config.InRunnerSHA256},
	{"runner-dir", config.InRunnerDir},
}

var ownKeys = []string{"name", "min-runners", "max-runners", "warm-pool", "idle-timeout", "warm-max-age", "max-runtime", "max-price-per-hour"}

// MaxScaleSetRunners bounds max-runners: one autoscaler drives at most this many pods per set.
const MaxScaleSetRunners = 100

func (c *Config) readScaleSets(p *parser, n *yaml.Node) {
	if isNull(n) || n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.fail("scale-sets", n, "is required: a list of scale sets, each with a name (the runs-on label) and gpu-types")
		return
	}
	allowed := append([]string{}, ownKeys...)
	for _, sk := range sharedKeys {
		allowed = append(allowed, sk.key)
	}
	seen := map[string]bool{}
	for i, item := range n.Content {
		key := fmt.Sprintf("scale-sets[%d]", i)
		s := c.readScaleSet(p, key, p.mapping(key, item, allowed...), item)
		if s.Name != "" && seen[s.Name] {
			p.fail(key+".name", item, "%q names another scale set too; names are runs-on labels and must differ", s.Name)
		}
		seen[s.Name] = true
		c.ScaleSets = append(c.ScaleSets, s)
	}
}

func (c *Config) readScaleSet(p *parser, key string, m map[string]*yaml.Node, at *yaml.Node) ScaleSet {
	s := ScaleSet{Name: p.scalar(key+".name", m["name"], "")}
	if s.Name == "" {
		p.fail(key+".name", at, "is required: the runs-on label of the scale set")
	} else if problem := config.LabelProblem(s.Name); problem != "" {
		p.fail(key+".name", m["name"], "%s, got %q", problem, s.Name)
	}
	s.MaxRunners = p.integer(key+".max-runners", m["max-runners"], 1, 1, MaxScaleSetRunners)
	s.MinRunners = p.integer(key+".min-runners", m["min-runners"], 0, 0, MaxScaleSetRunners)
	if s.MinRunners > s.MaxRunners {
		p.fail(key+".min-runners", m["min-runners"], "is %d, more than max-runners (%d)", s.MinRunners, s.MaxRunners)
	}
	s.WarmPool = p.integer(key+".warm-pool", m["warm-pool"], 0, 0, MaxScaleSetRunners)
	s.IdleTimeout = p.duration(key+".idle-timeout", m["idle-timeout"], DefaultIdleTimeout, time.Second, 24*time.Hour)
	s.WarmMaxAge = p.duration(key+".warm-max-age", m["warm-max-age"], DefaultWarmMaxAge, time.Minute, 30*24*time.Hour)
	s.MaxRuntime = p.duration(key+".max-runtime", m["max-runtime"], DefaultMaxRuntime, 5*time.Minute, 120*time.Hour)
	s.MaxPricePerHour = p.dollars(key+".max-price-per-hour", m["max-price-per-hour"])
	s.Pod = c.readPodKeys(p, key, m)
	if s.Pod != nil && s.MaxRuntime <= s.Pod.StartupTimeout {
		p.fail(key+".max-runtime", m["max-runtime"], "must be longer than the %s a pod may take to start", s.Pod.StartupTimeout)
	}
	return s
}

// readPodKeys hands the shared keys to the action's parser, so that they are checked by the
// same rules, and names its errors by this file's keys.
func (c *Config) readPodKeys(p *parser, key string, m map[string]*yaml.Node) *config.Config {
	values := map[string]string{config.InRunPodAPI: c.RunPodAPI}
	nodes := map[string]*yaml.Node{}
	for _, sk := range sharedKeys {
		k, input := sk.key, sk.input
		nodes[input] = m[k]
		switch k {
		case "gpu-types", "data-center-ids", "labels":
			values[input] = p.list(key+"."+k, m[k])
		case "env":
			values[input] = p.env(key+".env", m[k])
		default:
			values[input] = p.scalar(key+"."+k, m[k], "")
		}
	}
	pod, err := config.Pod(func(name string) string { return values[name] })
	for _, e := range config.Leaves(err) {
		var ie *config.InputError
		if !errors.As(e, &ie) {
			p.fail(key, nil, "%v", e)
			continue
		}
		name := ie.Input
		for _, sk := range sharedKeys {
			if sk.input == ie.Input {
				name = sk.key
			}
		}
		p.fail(key+"."+name, nodes[ie.Input], "%s", ie.Problem)
	}
	return pod
}

// env takes a mapping of names to values, or the action's KEY=VALUE lines.
func (p *parser) env(key string, n *yaml.Node) string {
	if isNull(n) || n.Kind != yaml.MappingNode {
		return p.scalar(key, n, "")
	}
	var lines []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode || strings.Contains(v.Value, "\n") {
			p.fail(key+"."+k.Value, v, "must be a single-line value")
			continue
		}
		lines = append(lines, k.Value+"="+v.Value)
	}
	return strings.Join(lines, "\n")
}

// Secrets are read from the environment, never from the config file.
type Secrets struct {
	RunPodAPIKey      string
	GitHubToken       string // or a GitHub App:
	AppClientID       string
	AppInstallationID int64
	AppPrivateKey     string
}

// The environment variables the secrets come from.
const (
	EnvRunPodAPIKey       = "RUNPOD_API_KEY"
	EnvGitHubToken        = "GITHUB_TOKEN"
	EnvAppClientID        = "GITHUB_APP_CLIENT_ID"
	EnvAppInstallationID  = "GITHUB_APP_INSTALLATION_ID"
	EnvAppPrivateKey      = "GITHUB_APP_PRIVATE_KEY"
	EnvAppPrivateKeyFile  = "GITHUB_APP_PRIVATE_KEY_FILE"
	appCredentialsProblem = "a GitHub App needs " + EnvAppClientID + ", " + EnvAppInstallationID + " and " + EnvAppPrivateKey + " or " + EnvAppPrivateKeyFile
)

func readSecrets(p *parser, getenv func(string) string, readFile func(string) ([]byte, error)) Secrets {
	s := Secrets{RunPodAPIKey: getenv(EnvRunPodAPIKey), GitHubToken: getenv(EnvGitHubToken), AppClientID: getenv(EnvAppClientID)}
	if s.RunPodAPIKey == "" {
		p.fail(EnvRunPodAPIKey, nil, "is required in the environment: a RunPod API key with read/write access")
	}
	id, key, file := getenv(EnvAppInstallationID), getenv(EnvAppPrivateKey), getenv(EnvAppPrivateKeyFile)
	app := s.AppClientID != "" || id != "" || key != "" || file != ""
	switch {
	case s.GitHubToken != "" && app:
		p.fail(EnvGitHubToken, nil, "is set together with a GitHub App's variables: give one or the other")
	case s.GitHubToken == "" && !app:
		p.fail(EnvGitHubToken, nil, "or a GitHub App is required in the environment: a token that can administer self-hosted runners, or "+appCredentialsProblem)
	case app:
		s.readApp(p, id, key, file, readFile)
	}
	return s
}

func (s *Secrets) readApp(p *parser, id, key, file string, readFile func(string) ([]byte, error)) {
	if s.AppClientID == "" {
		p.fail(EnvAppClientID, nil, "is required: %s", appCredentialsProblem)
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/2 {
		p.fail(EnvAppInstallationID, nil, "must be the App installation's numeric id")
	}
	s.AppInstallationID = n
	switch {
	case key != "" && file != "":
		p.fail(EnvAppPrivateKeyFile, nil, "is set together with %s: give one or the other", EnvAppPrivateKey)
	case file != "":
		b, err := readFile(file)
		if err != nil {
			p.fail(EnvAppPrivateKeyFile, nil, "cannot be read: %v", err)
			return
		}
		key = string(b)
	}
	if block, _ := pem.Decode([]byte(key)); block == nil || !strings.Contains(block.Type, "PRIVATE KEY") {
		p.fail(EnvAppPrivateKey, nil, "must be the App's private key in PEM form (-----BEGIN RSA PRIVATE KEY-----)")
		return
	}
	s.AppPrivateKey = key
}
