package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunpod"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// maxAttemptsPerCall is the action's bound on tries of one API call.
const maxAttemptsPerCall = 8

// TestRateLimitStorm: bursts of 429 with Retry-After and of 5xx on every API the start uses.
// The start still succeeds, every retry after a 429 waits at least what the server asked, and
// no call is tried more than its bound.
func TestRateLimitStorm(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		for i := 0; i < 3; i++ {
			rpFault("gpu-types", fakerunpod.Fault{Status: 429, RetryAfter: time.Second}, 1)(w)
			rpFault("get", fakerunpod.Fault{Status: 503}, 1)(w)
			w.GitHub.FailNext("generate-jitconfig", fakegithub.Fault{Status: 429, RetryAfter: time.Second})
			w.GitHub.FailNext("get-runner", fakegithub.Fault{Status: 502})
		}
		rpFault("list", fakerunpod.Fault{Status: 502}, 1)(w) // the stop job's
		w.GitHub.FailNext("downloads", fakegithub.Fault{Status: 429, RetryAfter: time.Second})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		main, _, err := w.job("start").Start(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if main.ExitCode != 0 {
			t.Fatalf("start failed under the storm:\n%s", main.Stdout)
		}

		var rp, gh []call
		for _, r := range w.RunPod.Requests() {
			what := r.Operation
			if what == "" && len(r.RootFields) > 0 {
				what = r.RootFields[0]
			}
			rp = append(rp, call{what: what, at: r.Time, status: r.Status})
		}
		for _, r := range w.GitHub.Requests() {
			if r.Endpoint != "" && r.Endpoint[:3] != "bro" {
				gh = append(gh, call{what: r.Endpoint, at: r.Time, status: r.Status})
			}
		}
		checkSpacing(t, "RunPod", rp)
		checkSpacing(t, "GitHub", gh)
		t.Logf("storm: %d RunPod and %d GitHub calls for one start (bound: %d tries per call)", len(rp), len(gh), maxAttemptsPerCall)

		stop, err := w.job("stop").Stop(ctx, nil)
		if err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop: %v", err)
		}
		w.checkEmpty(t)
	})
}

type call struct {
	what   string
	at     time.Time
	status int
}

// checkSpacing asserts that a call answered 429 was not tried again before Retry-After (1 s),
// and that no call was tried more than the bound in a row.
func checkSpacing(t *testing.T, api string, calls []call) {
	t.Helper()
	last := map[string]call{}
	streak := map[string]int{}
	for _, c := range calls {
		if prev, ok := last[c.what]; ok && prev.status == 429 && c.at.Sub(prev.at) < 950*time.Millisecond {
			t.Errorf("%s %s retried %s after a 429 asking for 1s", api, c.what, c.at.Sub(prev.at))
		}
		if c.status >= 400 {
			streak[c.what]++
		} else {
			streak[c.what] = 0
		}
		if streak[c.what] >= maxAttemptsPerCall {
			t.Errorf("%s %s failed %d times in a row; the bound is %d", api, c.what, streak[c.what], maxAttemptsPerCall)
		}
		last[c.what] = c
	}
}
