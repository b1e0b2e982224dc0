package fakescaleset

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunner"
)

// BuildRunner builds the stand-in runner's listener into dir/bin with its runner-version, and
// returns the listener's path.
func BuildRunner(ctx context.Context, dir string) (string, error) {
	bin, err := fakerunner.BuildListener(ctx, filepath.Join(dir, "bin"))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "bin", "runner-version"), []byte("2.330.0\n"), 0o644); err != nil {
		return "", err
	}
	return bin, nil
}

// StartRunner starts the stand-in runner built by BuildRunner with a JIT configuration, in a
// runner root of its own under dir (the runner finds its root from its own path, so the binary
// is linked, not symlinked). The caller waits for or kills the process.
func StartRunner(bin, dir, jit string) (*exec.Cmd, error) {
	root, err := os.MkdirTemp(dir, "runner-")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(root, "bin"), 0o755); err != nil {
		return nil, err
	}
	for _, f := range []string{fakerunner.ListenerName, "runner-version"} {
		if err := os.Link(filepath.Join(filepath.Dir(bin), f), filepath.Join(root, "bin", f)); err != nil {
			return nil, fmt.Errorf("link %s: %w", f, err)
		}
	}
	cmd := exec.Command(filepath.Join(root, "bin", fakerunner.ListenerName), "run")
	cmd.Env = append(os.Environ(), "RUNNER_ALLOW_RUNASROOT=1", "ACTIONS_RUNNER_INPUT_JITCONFIG="+jit)
	return cmd, cmd.Start()
}
