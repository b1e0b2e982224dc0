package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunpod"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakescaleset"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

const scaleLabel = "runpod-bench"

// scaleBench runs the autoscaler (runpod-runner scale) with max-runners and warm-pool n under
// a RunPod quota of o.scaleRate requests a second: n jobs queued at once on new pods (cold),
// then n again on the stopped pods (warm). It prints job queued → runner online p50/p95 and
// RunPod calls per job for each wave.
func scaleBench(ctx context.Context, o options, bins sandbox.Binaries, dir string, out io.Writer) error {
	sb, err := start(o, bins, dir+"/scale")
	if err != nil {
		return err
	}
	defer sb.Close()
	fs, url := sb.StartScaleSets(fakescaleset.Options{LongPoll: time.Second, SessionIdle: time.Minute})
	listen, err := sandbox.FreeAddr()
	if err != nil {
		return err
	}
	cfg := sb.ScaleConfig(url, listen, "2m", sandbox.ScaleSet{Name: scaleLabel, MaxRunners: o.scale, Warm: o.scale, IdleTimeout: "10m"})
	lines := &onlineLog{}
	pr, pw := io.Pipe()
	defer pw.Close()
	go lines.read(pr)
	sc, err := sb.StartScaler(bins.Action, cfg, listen, pw)
	if err != nil {
		return err
	}
	defer sc.Kill()
	if err := sc.WaitReady(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nAutoscaler: %d jobs queued at once, max-runners %d, warm-pool %d, RunPod quota %g requests/s.\n",
		o.scale, o.scale, o.scale, o.scaleRate)
	fmt.Fprintf(out, "%-6s %22s %8s %20s\n", "wave", "queued→online p50", "p95", "RunPod calls/job")
	for _, start := range []string{"cold", "warm"} {
		calls := len(sb.RunPod.Requests())
		t0 := time.Now()
		for j := range o.scale {
			fs.Queue([]string{scaleLabel}, fmt.Sprintf("echo %s job %d", start, j+1))
		}
		wctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
		err := fs.WaitDone(wctx)
		if err == nil {
			err = settle(wctx, sb, o.scale)
		}
		cancel()
		if err != nil {
			return fmt.Errorf("%s wave: %w", start, err)
		}
		took := lines.since(t0, start)
		reqs := sb.RunPod.Requests()[calls:]
		perJob := float64(len(reqs)) / float64(o.scale)
		fmt.Fprintf(out, "%-6s %22s %8s %20.1f   (%d runners online)\n", start, secs(quantile(took, 0.5)), secs(quantile(took, 0.95)), perJob, len(took))
		fmt.Fprintf(out, "       per job: %s\n", byOperation(reqs, o.scale))
	}
	return nil
}

// byOperation is the wave's RunPod requests per job by operation (REST operationId or GraphQL
// root field), and how many of them were answered 429.
func byOperation(reqs []fakerunpod.Request, jobs int) string {
	counts, throttled := map[string]int{}, 0
	for _, r := range reqs {
		op := r.Operation
		if op == "" && len(r.RootFields) > 0 {
			op = r.RootFields[0]
		}
		counts[op]++
		if r.Status == 429 {
			throttled++
		}
	}
	var parts []string
	for _, op := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s %.1f", op, float64(counts[op])/float64(jobs)))
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(" (of them 429: %.1f)", float64(throttled)/float64(jobs))
}

// onlineLog keeps the autoscaler's "runner online" lines: when, and cold or warm.
type onlineLog struct {
	mu     sync.Mutex
	online []online
}

type online struct {
	at    time.Time
	start string
}

var onlineLine = regexp.MustCompile(`^time=(\S+) .*msg="runner online" .*start=(cold|warm)`)

func (l *onlineLog) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := onlineLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, m[1])
		if err != nil {
			continue
		}
		l.mu.Lock()
		l.online = append(l.online, online{at: at, start: m[2]})
		l.mu.Unlock()
	}
}

// since returns how long after t0 each runner of the kind came online.
func (l *onlineLog) since(t0 time.Time, start string) []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []time.Duration
	for _, o := range l.online {
		if o.start == start && !o.at.Before(t0) {
			out = append(out, o.at.Sub(t0))
		}
	}
	return out
}

// settle waits until no pod of the scale set runs and n are stopped (the warm pool).
func settle(ctx context.Context, sb *sandbox.Sandbox, n int) error {
	for {
		running, stopped := 0, 0
		for _, p := range sb.RunPod.Pods() {
			if p.Env[marker.ScaleSet] != scaleLabel {
				continue
			}
			switch p.Status {
			case "RUNNING":
				running++
			case "EXITED":
				stopped++
			}
		}
		if running == 0 && stopped == n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pods did not settle: %d running, %d stopped: %w", running, stopped, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// quantile is the q-quantile of ds (nearest rank); 0 for none.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}
