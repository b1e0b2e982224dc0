package sandbox

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
)

// CLIEnv is the environment an operator gives runpod-runner's commands (pods, sweep) to reach
// the stand-ins.
func (s *Sandbox) CLIEnv() []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + s.Dir, "RUNPOD_API_KEY=" + RunPodKey, "RUNPOD_API=" + s.RunPodAPI,
		"RUNPOD_API_URL=" + s.apiURL(), "GITHUB_TOKEN=" + GitHubToken, "GITHUB_API_URL=" + s.GitHubURL}
}

// CLIResult is what one command line did.
type CLIResult struct {
	Stdout, Stderr string
	ExitCode       int
}

// CLI runs binary with args as an operator would, stdin fed from stdin (nil for none).
func (s *Sandbox) CLI(ctx context.Context, binary string, stdin io.Reader, args ...string) (*CLIResult, error) {
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env, cmd.Dir, cmd.Stdin = s.CLIEnv(), s.Dir, stdin
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	res := &CLIResult{Stdout: out.String(), Stderr: errOut.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		res.ExitCode = ee.ExitCode()
		return res, nil
	}
	return res, err
}
