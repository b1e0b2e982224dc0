// Package config reads the action's inputs and the workflow run's environment into one typed,
// validated Config. Every bad input is reported at once, before any API call.
package config

import (
	"errors"
	"strings"
	"time"

	"github.com/sethvargo/go-githubactions"
)

// Mode is what this invocation of the action does.
type Mode string

// The modes. Post is not an input: it is the post step of a start or stop step.
const (
	ModeStart Mode = "start"
	ModeStop  Mode = "stop"
	ModeSweep Mode = "sweep"
	ModePost  Mode = "post"
)

// Scope is what a stop removes: the pods named by pod-id, the pods of label, or every pod of
// the workflow run; auto picks the first of those that its inputs name.
type Scope string

// The scopes of a stop.
const (
	ScopeAuto  Scope = "auto"
	ScopePod   Scope = "pod"
	ScopeLabel Scope = "label"
	ScopeRun   Scope = "run"
)

// PodPolicy is what the stop mode (on-stop) or a failed start (on-failure) does with a pod.
type PodPolicy string

// The pod policies: terminate it (volume gone), stop it (RunPod's podStop: volume kept), or keep it running.
const (
	TerminatePod PodPolicy = "terminate"
	StopPod      PodPolicy = "stop"
	KeepPod      PodPolicy = "keep"
)

// EnvVar is one KEY=VALUE line of the env input.
type EnvVar struct {
	Key, Value string
}

// Run identifies the workflow run this step belongs to.
type Run struct {
	ID         string // GITHUB_RUN_ID
	Attempt    string // GITHUB_RUN_ATTEMPT
	Repository string // GITHUB_REPOSITORY, owner/name
	ServerURL  string // GITHUB_SERVER_URL
	Workflow   string // GITHUB_WORKFLOW, the workflow's name
	// WorkflowRef is GITHUB_WORKFLOW_REF, "owner/repo/.github/workflows/file.yml@ref", and
	// WorkflowSHA GITHUB_WORKFLOW_SHA, its commit.
	WorkflowRef, WorkflowSHA string
}

// Config is every input, parsed and checked.
type Config struct {
	Mode Mode

	RunPodAPIKey string
	GitHubToken  string

	GPUTypes         []string
	GPUCount         int
	GPUCountSet      bool // gpu-count was given: a resumed pod gets it, else keeps its own
	CloudType        string
	DataCenterIDs    []string
	Image            string
	TemplateID       string
	ContainerDiskGB  int
	ContainerDiskSet bool // container-disk-gb was given: with template-id, else the template's size stands
	VolumeGB         int
	VolumeMountPath  string
	NetworkVolumeID  string
	MinVCPUCount     int
	MinMemoryGB      int
	MinCUDAVersion   string
	Env              []EnvVar
	Ports            []string

	Label          string
	PodID          string   // the pod a start takes
	PodIDs         []string // the pods a stop acts on (a fan-out's pod-id output lists several)
	PodName        string   // "" until the label is known: see Run.PodName
	ScaleSet       string   // the runner scale set the pod serves (the autoscaler's); "" for the action
	Reuse          bool
	ResumeFallback string

	Runners        int    // per GPU type with fan-out per-gpu-type, else in all
	FanOut         string // none or per-gpu-type
	MinRunners     int    // legs that must come online for the step to pass
	MaxRuntime     time.Duration
	StartupTimeout time.Duration

	Owner, Repo  string // the repository runners register to (unless Organization is set)
	Organization string
	RunnerGroup  string
	RunnerLabels []string

	RunnerVersion     string
	RunnerDownloadURL string
	RunnerSHA256      string
	RunnerDir         string
	PreRunnerScript   string

	SSHPrivateKey  string
	SSHUser        string
	AuthorizedKeys []string // public keys the pod accepts beside the per-start key

	OnStop    PodPolicy
	OnFailure PodPolicy
	Scope     Scope // what a stop removes
	Force     bool  // a stop by pod-id may remove a pod without this action's markers

	MaxAge      time.Duration // a sweep removes pods running longer; 0 for no limit
	KeepStopped time.Duration // a sweep removes pods stopped longer; 0 for no limit
	DryRun      bool          // a sweep lists what it would remove and changes nothing

	PushgatewayURL string // where each start and stop pushes its metrics; "" for nowhere

	RunPodAPI    string // rest or graphql
	RunPodAPIURL string
	GitHubAPIURL string

	Run Run
}

// Load reads the inputs and run environment through getenv. With isPost set it reads the
// configuration of the post step, which only needs what cleanup needs. The error joins one
// *InputError per bad input.
func Load(getenv func(string) string, isPost bool) (*Config, error) {
	a := githubactions.New(githubactions.WithGetenv(getenv))
	r := newReader(a.GetInput)
	c := &Config{Run: readRun(getenv)}
	c.Mode = Mode(r.enum(InMode, string(ModeStart), string(ModeStop), string(ModeSweep)))
	modeKnown := len(r.errs) == 0
	if isPost {
		c.Mode = ModePost
	}
	c.readSecrets(r)
	c.readPod(r)
	c.readRunner(r)
	c.readAuthorizedKeys(r)
	c.readSweep(r)
	c.readFanOut(r)
	c.readTargets(r, getenv)
	if modeKnown {
		c.check(r)
	}
	if len(r.errs) > 0 {
		return nil, errors.Join(r.errs...)
	}
	return c, nil
}

// SecretValues returns the values of the inputs Inputs marks Secret, read as Load reads them,
// so that they can be masked before anything else reads them.
func SecretValues(getenv func(string) string) []string {
	a := githubactions.New(githubactions.WithGetenv(getenv))
	var out []string
	for _, in := range Inputs() {
		if v := a.GetInput(in.Name); in.Secret && v != "" {
			out = append(out, v)
		}
	}
	return out
}

func readRun(getenv func(string) string) Run {
	run := Run{
		ID:          getenv("GITHUB_RUN_ID"),
		Attempt:     getenv("GITHUB_RUN_ATTEMPT"),
		Repository:  getenv("GITHUB_REPOSITORY"),
		ServerURL:   strings.TrimSuffix(getenv("GITHUB_SERVER_URL"), "/"),
		Workflow:    getenv("GITHUB_WORKFLOW"),
		WorkflowRef: getenv("GITHUB_WORKFLOW_REF"),
		WorkflowSHA: getenv("GITHUB_WORKFLOW_SHA"),
	}
	if run.Attempt == "" {
		run.Attempt = "1"
	}
	if run.ServerURL == "" {
		run.ServerURL = "https://github.com"
	}
	return run
}

func (c *Config) readSecrets(r *reader) {
	c.RunPodAPIKey = r.get(InRunPodAPIKey)
	c.GitHubToken = r.get(InGitHubToken)
	c.SSHPrivateKey = r.get(InSSHPrivateKey)
	if c.RunPodAPIKey == "" {
		r.fail(InRunPodAPIKey, "is required: a RunPod API key with read/write access, from a secret")
	}
	if c.GitHubToken == "" {
		r.fail(InGitHubToken, "is required: a token that can administer self-hosted runners (GITHUB_TOKEN cannot)")
	}
}
