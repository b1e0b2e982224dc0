// Command demoscale (make demo-scale) runs the autoscaler, runpod-runner scale, against the
// local stand-ins with no account and no internet: GitHub's runner scale-set API, RunPod, pods
// that are real sshd processes and the stand-in runner. Two waves of jobs go to the runs-on
// label: the first on new pods (cold), the second on the stopped pods of the warm pool (warm);
// then the metrics, and a clean shutdown.
package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakescaleset"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		stop()
		fmt.Fprintln(os.Stderr, "demo-scale:", err)
		os.Exit(1)
	}
}

const label = "runpod-4090"

func run(ctx context.Context, out io.Writer) error {
	dir, err := os.MkdirTemp("", "runpod-runner-demo-scale-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintln(out, "Building runpod-runner and the stand-in runner...")
	bins, err := sandbox.Build(ctx, dir)
	if err != nil {
		return err
	}
	sb, err := sandbox.Start(sandbox.Options{Dir: dir, Listener: bins.Listener})
	if err != nil {
		return err
	}
	defer sb.Close()
	fs, url := sb.StartScaleSets(fakescaleset.Options{LongPoll: time.Second, SessionIdle: 10 * time.Second})
	listen, err := sandbox.FreeAddr()
	if err != nil {
		return err
	}
	cfg := sb.ScaleConfig(url, listen, "2m", sandbox.ScaleSet{Name: label, MaxRunners: 2, Warm: 2, IdleTimeout: "5m"})
	fmt.Fprintf(out, "\nThe config file (secrets come from RUNPOD_API_KEY and GITHUB_TOKEN):\n%s\n", indent(cfg))
	pr, pw := io.Pipe()
	go relay(pr, out)
	sc, err := sb.StartScaler(bins.Action, cfg, listen, pw)
	if err != nil {
		return err
	}
	defer sc.Kill()
	if err := sc.WaitReady(ctx); err != nil {
		return err
	}
	for i, wave := range []struct {
		name string
		jobs int
	}{{"cold: new pods", 3}, {"warm: the stopped pods resume", 2}} {
		downloads := sb.TarballDownloads()
		t0 := time.Now()
		fmt.Fprintf(out, "\n== Wave %d (%s): %d jobs with runs-on: %s, max-runners 2 ==\n", i+1, wave.name, wave.jobs, label)
		for j := range wave.jobs {
			fs.Queue([]string{label}, fmt.Sprintf("echo wave %d job %d on $(hostname)", i+1, j+1))
		}
		wctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		err := fs.WaitDone(wctx)
		cancel()
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "== Wave %d done in %s; runner downloads %d ==\n", i+1, time.Since(t0).Round(100*time.Millisecond), sb.TarballDownloads()-downloads)
		if err := waitWarm(ctx, sb, 2); err != nil {
			return err
		}
		fmt.Fprintf(out, "   pods now: %s\n", pods(sb))
	}
	m, err := sc.Metrics()
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "\n== /metrics (runpod_runner_scale_*, the counters) ==")
	for _, line := range strings.Split(m, "\n") {
		if strings.HasPrefix(line, "runpod_runner_scale_") && !strings.Contains(line, "_bucket") && !strings.HasSuffix(line, " 0") {
			fmt.Fprintln(out, "   "+line)
		}
	}
	fmt.Fprintln(out, "\n== SIGTERM: close the session, let busy runners finish, park the pods ==")
	tctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	code, err := sc.Terminate(tctx)
	if err != nil {
		return err
	}
	pw.Close()
	fmt.Fprintf(out, "runpod-runner scale exited with status %d. Pods: %s. Runner registrations left: %d.\n",
		code, pods(sb), len(sb.GitHub.Runners()))
	if code != 0 {
		return fmt.Errorf("exit status %d", code)
	}
	return nil
}

// waitWarm waits until no pod of the scale set runs and n are stopped.
func waitWarm(ctx context.Context, sb *sandbox.Sandbox, n int) error {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		p := count(sb)
		if p["RUNNING"] == 0 && p["EXITED"] == n {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("the pods did not settle into the warm pool: %s", pods(sb))
}

func count(sb *sandbox.Sandbox) map[string]int {
	out := map[string]int{}
	for _, p := range sb.RunPod.Pods() {
		if p.Env[marker.ScaleSet] == label {
			out[p.Status]++
		}
	}
	return out
}

func pods(sb *sandbox.Sandbox) string {
	c := count(sb)
	return fmt.Sprintf("%d running, %d stopped (warm)", c["RUNNING"], c["EXITED"])
}

// relay prints the autoscaler's decisions: its log lines, without the scale-set client's own.
func relay(r io.Reader, out io.Writer) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "scale_set=") || strings.Contains(line, "level=ERROR") || strings.Contains(line, "autoscaler") {
			fmt.Fprintln(out, "   scale | "+strings.TrimPrefix(line, "time="))
		}
	}
}

func indent(s string) string {
	return "   " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n   ")
}
