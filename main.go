// Command runpod-runner is a GitHub Action that gives a workflow an ephemeral self-hosted runner
// on a RunPod GPU pod: mode start provisions (or resumes) the pod and registers a just-in-time
// runner over SSH, its post step cleans up a start that failed, and mode stop removes the runner
// and stops or terminates the pod. With arguments, the same binary is a command line tool (see
// run).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		stop() // deferred calls do not run on os.Exit; run has reported err
		os.Exit(exitCode(err))
	}
}
