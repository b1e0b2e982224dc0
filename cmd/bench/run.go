package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

func run(ctx context.Context, args []string, out io.Writer) error {
	o, err := parse(args)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "runpod-runner-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bins, err := sandbox.Build(ctx, dir)
	if err != nil {
		return err
	}
	if o.scale > 0 {
		return scaleBench(ctx, o, bins, dir, out)
	}
	fmt.Fprintf(out, "Stand-ins: %s API, pod boot %s + ports %s, runner start-up %s, %g requests/s per stand-in.\n\n",
		o.api, o.boot, o.ports, o.runnerBoot, o.rate)
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "runners\tstarted as\tready→online p50\tp95\tover floor p50\tp95\tRunPod calls/runner\tGitHub calls/runner\t429s/runner\tSSH conns/pod\tpeak RSS MiB\t")
	for _, f := range strings.Split(o.levels, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return fmt.Errorf("-n: %w", err)
		}
		patterns := []bool{false}
		if n > 1 {
			patterns = []bool{false, true}
		}
		for _, oneCall := range patterns {
			row, err := level(ctx, o, bins, dir, n, oneCall)
			if err != nil {
				return err
			}
			fmt.Fprintln(tw, row)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return coldWarm(ctx, o, bins, dir, out)
}

// level makes n runners in a fresh sandbox, as n start steps at once (a matrix of start jobs)
// or as one start with runners: n, and returns their table row.
func level(ctx context.Context, o options, bins sandbox.Binaries, dir string, n int, oneCall bool) (string, error) {
	sb, err := start(o, bins, fmt.Sprintf("%s/n%d-%t", dir, n, oneCall))
	if err != nil {
		return "", err
	}
	defer sb.Close()
	runnerBoot, _ := time.ParseDuration(o.runnerBoot)
	run := sandbox.Run{ID: strconv.Itoa(8000000 + n), Attempt: "1"}
	how := fmt.Sprintf("%d start steps", n)
	var ms []sandbox.Measured
	if oneCall {
		how = "one step, runners: " + strconv.Itoa(n)
		ms, err = sb.StartFanOut(ctx, bins.Action, run, "bench", n, nil)
	} else {
		ms, err = sb.StartMany(ctx, bins.Action, run, "bench", n, nil)
	}
	if err != nil {
		return "", err
	}
	var lat, over []time.Duration
	minConn, maxConn, peak := 1<<30, 0, int64(0)
	for _, m := range ms {
		lat, over = append(lat, m.ReadyToOnline), append(over, m.ReadyToOnline-runnerBoot)
		minConn, maxConn, peak = min(minConn, m.SSHConnections), max(maxConn, m.SSHConnections), max(peak, m.Result.PeakRSSKB)
	}
	rp, gh, limited := calls(sb)
	if _, err := (sandbox.Job{Sandbox: sb, Binary: bins.Action, Run: run, Name: "stop"}).Stop(ctx, nil); err != nil {
		return "", err
	}
	if left := len(sb.RunPod.Pods()) + len(sb.GitHub.Runners()); left != 0 {
		return "", fmt.Errorf("%d pods and runners left after the stop job", left)
	}
	conns := fmt.Sprint(minConn)
	if maxConn != minConn {
		conns += "–" + fmt.Sprint(maxConn)
	}
	return fmt.Sprintf("%d\t%s\t%s\t%s\t%s\t%s\t%.1f\t%.1f\t%.1f\t%s\t%.0f\t", n, how,
		secs(sandbox.Percentile(lat, 50)), secs(sandbox.Percentile(lat, 95)),
		secs(sandbox.Percentile(over, 50)), secs(sandbox.Percentile(over, 95)),
		float64(rp)/float64(n), float64(gh)/float64(n), float64(limited)/float64(n), conns, float64(peak)/1024), nil
}

// calls counts the API requests the stand-ins answered (the runner's own broker traffic and the
// sandbox's job queue aside), and how many were refused with 429.
func calls(sb *sandbox.Sandbox) (runpod, github, limited int) {
	for _, r := range sb.RunPod.Requests() {
		runpod++
		if r.Status == 429 {
			limited++
		}
	}
	for _, r := range sb.GitHub.Requests() {
		if strings.HasPrefix(r.Path, "/_") {
			continue
		}
		github++
		if r.Status == 429 {
			limited++
		}
	}
	return runpod, github, limited
}

func start(o options, bins sandbox.Binaries, dir string) (*sandbox.Sandbox, error) {
	boot, err := time.ParseDuration(o.boot)
	if err != nil {
		return nil, fmt.Errorf("-boot: %w", err)
	}
	ports, err := time.ParseDuration(o.ports)
	if err != nil {
		return nil, fmt.Errorf("-ports: %w", err)
	}
	runnerBoot, err := time.ParseDuration(o.runnerBoot)
	if err != nil {
		return nil, fmt.Errorf("-runner-start: %w", err)
	}
	opts := sandbox.Options{Dir: dir, Listener: bins.Listener, RunPodAPI: o.api}
	opts.RunPod.BootDelay, opts.RunPod.PortsDelay, opts.RunPod.RateLimit = boot, ports, o.rate
	if o.scale > 0 {
		opts.RunPod.RateLimit = o.scaleRate
	}
	opts.GitHub.RateLimit, opts.GitHub.RunnerStartDelay = o.rate, runnerBoot
	return sandbox.Start(opts)
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }
