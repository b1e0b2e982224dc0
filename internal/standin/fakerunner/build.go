// Package fakerunner provides a stand-in for the GitHub Actions runner: a
// small listener binary that behaves like bin/Runner.Listener against the
// fakegithub broker, and a release tarball laid out like the real one
// (run.sh, config.sh, bin/Runner.Listener, bin/runner-version), with an
// HTTP handler to serve it.
package fakerunner

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
)

// ListenerPackage is the import path of the listener command.
const ListenerPackage = "github.com/runpod-runner/runpod-runner/internal/standin/fakerunner/listener"

// ListenerName is the file name of the listener binary, as in the real runner.
const ListenerName = "Runner.Listener"

// BuildOptions configures Build.
type BuildOptions struct {
	// ModuleDir is the module root; empty means ModuleRoot().
	ModuleDir string
	// OutDir receives the binary.
	OutDir string
	// GOOS and GOARCH select the target; empty means linux and the host
	// architecture.
	GOOS, GOARCH string
}

// BuildListener builds the listener for linux on the host architecture
// into outDir and returns the binary's path.
func BuildListener(ctx context.Context, outDir string) (string, error) {
	return Build(ctx, BuildOptions{OutDir: outDir})
}

// Build runs "go build" (CGO_ENABLED=0) of the listener package and returns
// the binary's path.
func Build(ctx context.Context, o BuildOptions) (string, error) {
	if o.ModuleDir == "" {
		dir, err := ModuleRoot()
		if err != nil {
			return "", err
		}
		o.ModuleDir = dir
	}
	if o.GOOS == "" {
		o.GOOS = "linux"
	}
	if o.GOARCH == "" {
		o.GOARCH = runtime.GOARCH
	}
	out, err := filepath.Abs(filepath.Join(o.OutDir, ListenerName))
	if err != nil {
		return "", fmt.Errorf("resolve output path: %w", err)
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("find the go command: %w", err)
	}
	cmd := exec.CommandContext(ctx, gobin, "build", "-trimpath", "-ldflags=-s -w", "-o", out, ListenerPackage)
	cmd.Dir = o.ModuleDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+o.GOOS, "GOARCH="+o.GOARCH)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %w: %s", ListenerPackage, err, strings.TrimSpace(string(msg)))
	}
	return out, nil
}

// ModuleRoot finds the root directory of the module that holds the
// listener: the nearest directory, from the working directory up, whose
// go.mod declares the module the running binary was built from.
func ModuleRoot() (string, error) {
	module := strings.TrimSuffix(ListenerPackage, "/internal/standin/fakerunner/listener")
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Path != "" && bi.Main.Path != module {
		return "", fmt.Errorf("running binary belongs to module %s, not %s", bi.Main.Path, module)
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("get working directory: %w", err)
	}
	for {
		if name, err := moduleName(filepath.Join(dir, "go.mod")); err == nil && name == module {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod for module %s above the working directory", module)
		}
		dir = parent
	}
}

// moduleName returns the module path declared in a go.mod file.
func moduleName(gomod string) (string, error) {
	f, err := os.Open(gomod)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module"); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("read %s: %w", gomod, err)
	}
	return "", errors.New("no module line in " + gomod)
}
