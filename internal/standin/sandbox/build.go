package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunner"
)

// Binaries are what a sandbox runs: the action, and the stand-in runner's listener.
type Binaries struct {
	Action, Listener string
}

// Build compiles the action (static, as the image has it) and the stand-in listener into dir.
func Build(ctx context.Context, dir string) (Binaries, error) {
	root, err := fakerunner.ModuleRoot()
	if err != nil {
		return Binaries{}, err
	}
	b := Binaries{Action: filepath.Join(dir, "runpod-runner")}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", b.Action, ".")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return Binaries{}, fmt.Errorf("building the action: %v\n%s", err, out)
	}
	if b.Listener, err = fakerunner.BuildListener(ctx, dir); err != nil {
		return Binaries{}, err
	}
	return b, nil
}
