// Package ops is the operator's command line on the action's own clients and markers:
// runpod-runner pods (list, status, logs, exec, ssh, cp, stop, terminate) and
// runpod-runner sweep. It reads the RunPod key from RUNPOD_API_KEY and, where GitHub is needed,
// the token from GITHUB_TOKEN.
package ops

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Env is the process as a command sees it.
type Env struct {
	Getenv         func(string) string
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Now            func() time.Time
}

// ExitError ends the process with Code: 2 for a wrong command line, or the exit status of a
// command run on a pod.
type ExitError struct {
	Code int
	Err  error
	// Quiet is set when the error needs no message: a remote command's status, its output said it.
	Quiet bool
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// usageError is a wrong command line: exit status 2.
func usageError(format string, args ...any) error {
	return &ExitError{Code: 2, Err: fmt.Errorf(format, args...)}
}

// help is a subcommand's usage line and what it does.
type help struct{ usage, summary string }

// podHelp describes the subcommands of runpod-runner pods.
var podHelp = map[string]help{
	"list":      {"pods list [--repo OWNER/REPO] [--all] [--org ORG] [--json]", "The pods the action made, with status, GPU, $/hour, age, accrued cost and the state of their runner"},
	"status":    {"pods status [--json] [--org ORG] POD", "One pod in detail, with the state of its runner"},
	"logs":      {"pods logs [--follow] [--runner] [--lines N] [ssh flags] POD", "The pod's container log from RunPod's logs endpoint or, with --runner, the runner's log over SSH"},
	"exec":      {"pods exec [ssh flags] POD -- CMD [ARG...]", "Run a command on the pod over SSH; stdin and stdout streamed, its exit status passed through"},
	"ssh":       {"pods ssh [ssh flags] POD", "An interactive shell on the pod, with a PTY"},
	"cp":        {"pods cp [ssh flags] POD:PATH LOCAL | LOCAL POD:PATH", "Copy a file off or onto the pod over one SSH connection"},
	"stop":      {"pods stop POD", "Stop the pod; its volume stays and is billed as storage"},
	"terminate": {"pods terminate POD", "Terminate the pod"},
}

// podRuns are the subcommands of runpod-runner pods.
var podRuns = map[string]func(ctx context.Context, c *cli, args []string) error{
	"list": runList, "status": runStatus, "logs": runLogs, "exec": runExec, "ssh": runSSH, "cp": runCopy,
	"stop": runStop, "terminate": runTerminate,
}

// RunPods runs runpod-runner pods SUBCOMMAND args.
func RunPods(ctx context.Context, args []string, env Env) error {
	c := newCLI(env)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		c.podsUsage(env.Stdout)
		if len(args) == 0 {
			return usageError("pods: a subcommand is needed")
		}
		return nil
	}
	run, ok := podRuns[args[0]]
	if !ok {
		c.podsUsage(env.Stderr)
		return usageError("pods: unknown subcommand %q", args[0])
	}
	return run(ctx, c, args[1:])
}

func (c *cli) podsUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: runpod-runner pods SUBCOMMAND [flags]\n\nThe pods runpod-runner made, across workflow runs. Subcommands:")
	names := make([]string, 0, len(podHelp))
	for n := range podHelp {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, podHelp[n].summary)
	}
	fmt.Fprintln(w, "\n"+envHelp+"\nrunpod-runner pods SUBCOMMAND --help describes each.")
}

// envHelp says which environment the commands read.
const envHelp = `Environment: RUNPOD_API_KEY (required), RUNPOD_API (rest or graphql; default rest), RUNPOD_API_URL,
GITHUB_TOKEN (for runner state and sweeps), GITHUB_API_URL (default https://api.github.com).`

// cleanLine makes a line from a pod or an API safe to print: no control characters (terminal
// escapes) but tabs.
func cleanLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || (r >= 0x20 && r != 0x7f && !(r >= 0x80 && r < 0xa0)) {
			return r
		}
		return -1
	}, s)
}

// errorf wraps err with a lowercase context naming what failed.
func errorf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return err
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
