package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// TestManyStartsUnderRateLimits runs 32 start steps at once (a 32-leg matrix of start jobs)
// against stand-ins that allow 10 requests a second: every start succeeds, with one SSH
// connection per pod. It runs alone, before the parallel tests.
func TestManyStartsUnderRateLimits(t *testing.T) {
	const n = 32
	opts := sandbox.Options{}
	opts.RunPod.BootDelay, opts.RunPod.PortsDelay, opts.RunPod.RateLimit = 2*time.Second, 300*time.Millisecond, 10
	opts.GitHub.RateLimit = 10
	w := newWorld(t, "rest", opts)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	ms, err := w.StartMany(ctx, built.Action, w.run, "leg", n, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rp, gh, limited int
	for _, r := range w.RunPod.Requests() {
		rp++
		if r.Status == 429 {
			limited++
		}
	}
	for _, r := range w.GitHub.Requests() {
		if !strings.HasPrefix(r.Path, "/_") {
			gh++
			if r.Status == 429 {
				limited++
			}
		}
	}
	var lat []time.Duration
	for _, m := range ms {
		lat = append(lat, m.ReadyToOnline)
		if m.SSHConnections != 1 {
			t.Errorf("start %s opened %d SSH connections, want 1", m.Label, m.SSHConnections)
		}
	}
	t.Logf("%d starts at once under 10 requests/s: per start %.1f RunPod and %.1f GitHub calls, %.1f 429s; ready→online p50 %s, p95 %s",
		n, float64(rp)/n, float64(gh)/n, float64(limited)/n, sandbox.Percentile(lat, 50), sandbox.Percentile(lat, 95))
	if stop, err := w.job("stop").Stop(ctx, nil); err != nil || stop.ExitCode != 0 {
		t.Fatalf("stop: %v", err)
	}
	w.checkEmpty(t)
}
