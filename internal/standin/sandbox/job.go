package sandbox

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// The workflow every step of the sandbox belongs to: its file and commit.
const (
	WorkflowFile = "gpu.yml"
	WorkflowSHA  = "d6dc6c96df4f32fa27b039f2084f576ed2c5c2a5"
)

// Run identifies the workflow run steps belong to.
type Run struct {
	ID, Attempt string
}

// Env is the environment the runner gives every step of the run, in repository.
func (s *Sandbox) Env(run Run, repository string) map[string]string {
	if repository == "" {
		repository = Repository
	}
	return map[string]string{
		"GITHUB_REPOSITORY":  repository,
		"GITHUB_RUN_ID":      run.ID,
		"GITHUB_RUN_ATTEMPT": run.Attempt,
		// The runner sets both on every step
		// (https://docs.github.com/en/actions/learn-github-actions/variables#default-environment-variables).
		"GITHUB_WORKFLOW_REF": repository + "/.github/workflows/" + WorkflowFile + "@refs/heads/main",
		"GITHUB_WORKFLOW_SHA": WorkflowSHA,
		"GITHUB_API_URL":      s.GitHubURL,
		"GITHUB_SERVER_URL":   "https://github.com",
		"RUNNER_TEMP":         s.Dir,
	}
}

// Inputs are the inputs of a step in mode, pointed at the stand-ins; extra overrides them.
func (s *Sandbox) Inputs(mode string, extra map[string]string) map[string]string {
	in := map[string]string{
		"mode":                    mode,
		"runpod-api-key":          RunPodKey,
		"github-token":            GitHubToken,
		"gpu-types":               "NVIDIA GeForce RTX 4090",
		"runpod-api":              s.RunPodAPI,
		"runpod-api-url":          s.apiURL(),
		"ssh-user":                SSHUser(),
		"startup-timeout-minutes": "2",
	}
	for k, v := range extra {
		in[k] = v
	}
	return in
}

func (s *Sandbox) apiURL() string {
	if s.RunPodAPI == "graphql" {
		return s.RunPodURL + "/graphql"
	}
	return s.RunPodURL
}

// Job is a start step (main, then its post step) or a stop step of one workflow job.
type Job struct {
	Sandbox *Sandbox
	Binary  string
	Run     Run
	Name    string // the job's name, for its working directory
	// Repository is the workflow's repository; "" means Repository.
	Repository string
}

// Start runs a start step's main step, then its post step with the state the main step saved.
func (j Job) Start(ctx context.Context, inputs map[string]string) (main, post *Result, err error) {
	return j.mainAndPost(ctx, Step{Inputs: j.Sandbox.Inputs("start", inputs)})
}

// Stop runs a stop step (and its post step, which has nothing to do).
func (j Job) Stop(ctx context.Context, inputs map[string]string) (*Result, error) {
	main, _, err := j.mainAndPost(ctx, Step{Inputs: j.Sandbox.Inputs("stop", inputs)})
	return main, err
}

// Main runs only a main step in mode; st carries how the runner cancels it, if it does.
func (j Job) Main(ctx context.Context, mode string, inputs map[string]string, st Step) (*Result, error) {
	st.Inputs = j.Sandbox.Inputs(mode, inputs)
	env := j.Sandbox.Env(j.Run, j.Repository)
	for k, v := range st.Env {
		env[k] = v
	}
	st.Binary, st.Env, st.Dir = j.Binary, env, j.dir("main")
	res, err := st.Run(ctx)
	if err != nil {
		return nil, fmt.Errorf("main step of %s: %w", j.Name, err)
	}
	return res, nil
}

// Post runs the post step of a main step in mode that saved state.
func (j Job) Post(ctx context.Context, mode string, inputs, state map[string]string) (*Result, error) {
	env := j.Sandbox.Env(j.Run, j.Repository)
	for k, v := range StateEnv(state) {
		env[k] = v
	}
	p := Step{Binary: j.Binary, Inputs: j.Sandbox.Inputs(mode, inputs), Env: env, Dir: j.dir("post")}
	res, err := p.Run(ctx)
	if err != nil {
		return nil, fmt.Errorf("post step of %s: %w", j.Name, err)
	}
	return res, nil
}

func (j Job) mainAndPost(ctx context.Context, st Step) (main, post *Result, err error) {
	mode := st.Inputs["mode"]
	if main, err = j.Main(ctx, mode, st.Inputs, st); err != nil {
		return nil, nil, err
	}
	post, err = j.Post(ctx, mode, st.Inputs, main.State)
	return main, post, err
}

func (j Job) dir(step string) string {
	name := strings.NewReplacer("/", "-", " ", "-").Replace(j.Name)
	return filepath.Join(j.Sandbox.Dir, "steps", j.Run.ID+"-"+j.Run.Attempt, name, step)
}
