// Command bench measures the action against the local stand-ins: for 1 and for 32 starts at
// once, the time from a pod publishing SSH to its runner being online, over the floor the
// stand-ins impose (the runner's own start-up), API calls and 429s per start, SSH connections
// per pod and the action's peak memory; and a cold start (create, download) against a warm one
// (resume, runner already on the volume).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		stop()
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	levels                  string
	api                     string
	boot, ports, runnerBoot string
	rate                    float64
}

func parse(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&o.levels, "n", "1,32", "how many starts at once, comma separated")
	fs.StringVar(&o.api, "api", "rest", "RunPod API: rest or graphql")
	fs.StringVar(&o.boot, "boot", "3s", "simulated pod boot (image pull and container start)")
	fs.StringVar(&o.ports, "ports", "500ms", "simulated wait for RunPod to publish the ports")
	fs.StringVar(&o.runnerBoot, "runner-start", "1s", "simulated start-up of the runner itself")
	fs.Float64Var(&o.rate, "rate", 10, "requests per second each stand-in allows before 429")
	return o, fs.Parse(args)
}
