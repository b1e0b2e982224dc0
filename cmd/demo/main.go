// Command demo runs the whole start → job → stop flow in the local sandbox: RunPod and GitHub
// stand-ins on 127.0.0.1, a pod that is a real sshd, the stand-in runner taking a job. No account
// and no internet are needed.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		stop()
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}
