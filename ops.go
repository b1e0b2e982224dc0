package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/ops"
)

// runOps runs an operator command (pods, sweep) and turns its error into the exit status:
// 2 for a wrong command line, a remote command's own status, else 1.
func runOps(ctx context.Context, cmd func(context.Context, []string, ops.Env) error, args []string, getenv func(string) string,
	stdin io.Reader, stdout, stderr io.Writer) error {
	err := cmd(ctx, args, ops.Env{Getenv: getenv, Stdin: stdin, Stdout: stdout, Stderr: stderr, Now: time.Now})
	if err == nil {
		return nil
	}
	var ee *ops.ExitError
	if errors.As(err, &ee) {
		if !ee.Quiet {
			fmt.Fprintf(stderr, "runpod-runner: %v\n", err)
		}
		return exitError{code: ee.Code, err: err}
	}
	fmt.Fprintf(stderr, "runpod-runner: %v\n", err)
	return err
}
