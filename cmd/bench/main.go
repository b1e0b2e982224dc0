// Command bench measures the action against the local stand-ins: for 1 and for 32 starts at
// once, the time from a pod publishing SSH to its runner being online, over the floor the
// stand-ins impose (the runner's own start-up), API calls and 429s per start, SSH connections
// per pod and the action's peak memory; and a cold start (create, download) against a warm one
// (resume, runner already on the volume). With -scale N: the autoscaler, N jobs queued at once
// under a RunPod quota, cold then warm: job queued → runner online and RunPod calls per job.
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
	scale                   int     // 0: the action's figures; else the autoscaler's for this many jobs
	scaleRate               float64 // RunPod's quota in the autoscaler's figures
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
	fs.IntVar(&o.scale, "scale", 0, "instead: the autoscaler's figures for this many jobs queued at once")
	fs.Float64Var(&o.scaleRate, "scale-rate", 1, "with -scale: RunPod requests per second allowed before 429")
	return o, fs.Parse(args)
}
