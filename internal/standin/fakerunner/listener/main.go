// Command listener is a stand-in for the GitHub Actions runner's
// bin/Runner.Listener. Seen from outside it behaves like the real runner
// started by run.sh with a just-in-time configuration: it writes the
// configuration files into the runner root, connects to the broker named in
// .runner, takes exactly one job, runs it with bash, reports the result,
// deletes its local configuration and exits 0.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
)

// environment holds what the listener reads from its environment.
type environment struct {
	jitConfig string // ACTIONS_RUNNER_INPUT_JITCONFIG
	allowRoot bool   // RUNNER_ALLOW_RUNASROOT is non-empty
}

func main() {
	env := environment{
		jitConfig: os.Getenv("ACTIONS_RUNNER_INPUT_JITCONFIG"),
		allowRoot: os.Getenv("RUNNER_ALLOW_RUNASROOT") != "",
	}
	// Like the real runner, remove the secret input from the environment
	// so that jobs do not inherit it.
	_ = os.Unsetenv("ACTIONS_RUNNER_INPUT_JITCONFIG")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env)
	stop()
	os.Exit(code)
}

// run is the whole listener; it returns the process exit code.
func run(ctx context.Context, args []string, env environment) int {
	cmd, err := parseArgs(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	root, err := runnerRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	version := readVersion(root)
	if cmd.version {
		fmt.Println(version)
		return 0
	}
	if os.Getuid() == 0 && !env.allowRoot {
		fmt.Println("Must not run with sudo")
		return 1
	}
	out, err := newConsole(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer out.close()
	return out.exitCode(start(ctx, out, root, version, firstNonEmpty(cmd.jitConfig, env.jitConfig)))
}

// start writes the just-in-time configuration, loads it and runs the
// listener.
func start(ctx context.Context, out *console, root, version, jit string) error {
	if jit != "" {
		if err := writeJITFiles(root, jit); err != nil {
			return exitf(1, "Failed to apply the just-in-time configuration: %v", err)
		}
		out.info("Wrote the just-in-time configuration into %s", root)
	}
	cfg, err := loadConfig(root)
	if err != nil {
		out.info("load configuration: %v", err)
		return exitf(1, "Not configured. Run config.sh to configure the runner.")
	}
	l := newListener(out, cfg, root, version)
	return l.run(ctx)
}

// command is the parsed command line.
type command struct {
	jitConfig string
	version   bool
}

// parseArgs parses "run [--jitconfig <b64>] [--once] [--startuptype <t>]".
func parseArgs(args []string) (command, error) {
	var c command
	for i := 0; i < len(args); i++ {
		name, value, hasValue := strings.Cut(args[i], "=")
		needValue := func() (string, error) {
			if hasValue {
				return value, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("missing value for %s", name)
			}
			i++
			return args[i], nil
		}
		var err error
		switch strings.ToLower(name) {
		case "run":
		case "--once":
		case "--version":
			c.version = true
		case "--jitconfig":
			c.jitConfig, err = needValue()
		case "--startuptype":
			_, err = needValue()
		default:
			err = exitf(1, "Unrecognized command-line input arguments: '%s'. "+
				"For usage refer to: ./config.sh --help", args[i])
		}
		if err != nil {
			return c, err
		}
	}
	return c, nil
}

// runnerRoot is the runner directory: the parent of the bin directory that
// holds the executable.
func runnerRoot() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("locate executable: %w", err)
	}
	exe, err = filepath.EvalSymlinks(exe)
	if err != nil {
		return "", fmt.Errorf("resolve executable: %w", err)
	}
	return filepath.Dir(filepath.Dir(exe)), nil
}

// readVersion reads bin/runner-version.
func readVersion(root string) string {
	b, err := os.ReadFile(filepath.Join(root, "bin", "runner-version"))
	if err != nil {
		return "0.0.0"
	}
	return strings.TrimSpace(string(b))
}

// exitError ends the listener with a message and an exit code.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// exitf returns an exitError.
func exitf(code int, format string, args ...any) error {
	return &exitError{code: code, msg: fmt.Sprintf(format, args...)}
}

// asExit reports the exit code carried by err, or 1.
func asExit(err error) (int, string) {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code, ee.msg
	}
	return 1, err.Error()
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
