package sandbox

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakescaleset"
)

// StartScaleSets starts the runner scale-set stand-in beside the GitHub one: its runners are
// the GitHub stand-in's and take their jobs from its broker. It returns the server and the
// config URL (github.url) of Repository.
func (s *Sandbox) StartScaleSets(o fakescaleset.Options) (*fakescaleset.Server, string) {
	o.GitHub, o.GitHubURL = s.GitHub, s.GitHubURL
	if o.Token == "" {
		o.Token = GitHubToken
	}
	if o.Repos == nil {
		o.Repos = []string{Repository}
	}
	srv := fakescaleset.New(o)
	s.closers = append(s.closers, srv.Close)
	return srv, s.serve(srv) + "/" + Repository
}

// ScaleSet is one scale set of a sandbox config file.
type ScaleSet struct {
	Name                           string
	MinRunners, MaxRunners, Warm   int
	GPUTypes                       []string
	IdleTimeout, WarmMaxAge, Extra string // Extra: more YAML lines of the scale set, indented by 4
}

// ScaleConfig is a config file for runpod-runner scale against the sandbox: the scale-set
// stand-in at url, RunPod on the sandbox's API, the stand-in runner package on a volume, so
// that warm pods keep it. Each pod mounts its own volume directory at the sandbox's
// volume-mount-path (fakepod.PerPodVolumes: as root; else the pods share that directory).
func (s *Sandbox) ScaleConfig(url, listen, drain string, sets ...ScaleSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "github:\n  url: %s\nrunpod:\n  api: %s\n  api-url: %s\nlisten: %s\ndrain-timeout: %s\nscale-sets:\n",
		url, s.RunPodAPI, s.apiURL(), listen, drain)
	for _, set := range sets {
		gpus := set.GPUTypes
		if len(gpus) == 0 {
			gpus = []string{"NVIDIA GeForce RTX 4090"}
		}
		fmt.Fprintf(&b, "  - name: %s\n    gpu-types: [%s]\n    min-runners: %d\n    max-runners: %d\n    warm-pool: %d\n",
			set.Name, strings.Join(gpus, ", "), set.MinRunners, set.MaxRunners, set.Warm)
		fmt.Fprintf(&b, "    volume-gb: 10\n    volume-mount-path: %s\n", filepath.Join(s.Dir, "volume"))
		// runner-version latest: each start resolves it against the downloads list of the
		// GitHub stand-in, which the scale-set stand-in serves (the action's default).
		b.WriteString("    runner-version: latest\n")
		if set.IdleTimeout != "" {
			fmt.Fprintf(&b, "    idle-timeout: %s\n", set.IdleTimeout)
		}
		if set.WarmMaxAge != "" {
			fmt.Fprintf(&b, "    warm-max-age: %s\n", set.WarmMaxAge)
		}
		b.WriteString(set.Extra)
	}
	return b.String()
}

// ScaleEnv is the environment runpod-runner scale reads its secrets from.
func ScaleEnv() []string {
	return []string{"RUNPOD_API_KEY=" + RunPodKey, "GITHUB_TOKEN=" + GitHubToken}
}
