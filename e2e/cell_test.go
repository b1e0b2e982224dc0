package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// runCell runs one cell: the start step with its fault, the post step, then a stop job that
// has no pod-id or label (as after a start cancelled before its outputs). It returns the
// cell's row of the matrix.
func runCell(t *testing.T, api string, c faultCell) string {
	w := newWorld(t, api, sandbox.Options{})
	inputs := c.inputs
	if c.setup != nil {
		inputs = map[string]string{}
		for k, v := range c.inputs {
			inputs[k] = v
		}
		for k, v := range c.setup(t, w) {
			inputs[k] = v
		}
	}
	if c.inject != nil {
		c.inject(w)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	st := sandbox.Step{}
	if c.cancel != nil {
		st = *c.cancel
	}
	st.Env = c.env
	job := w.job("start")
	main, err := job.Main(ctx, "start", inputs, st)
	if err != nil {
		t.Fatal(err)
	}
	if c.says != "" && !strings.Contains(main.Stdout, c.says) {
		t.Errorf("the start step's log lacks %q:\n%s", c.says, main.Stdout)
	}
	outcome := outcomeOf(main, c.cancel != nil)
	if outcome != c.want {
		t.Errorf("outcome %q, want %q\n%s", outcome, c.want, main.Stdout)
	}
	if c.cancel != nil {
		if got := main.State["phase"]; got != c.phase {
			t.Errorf("cancelled in phase %q, want %q", got, c.phase)
		}
		outcome += fmt.Sprintf(" in %s (exit %d)", main.State["phase"], main.ExitCode)
		if main.ExitCode == -1 && c.cancel.KillAfter >= 10*time.Second {
			t.Errorf("the cancelled step did not end before SIGKILL:\n%s", main.Stdout)
		}
	}
	if c.phase == "config" && len(w.RunPod.Requests())+len(w.GitHub.Requests()) > 0 {
		t.Errorf("bad input reached the APIs")
	}
	post, err := job.Post(ctx, "start", inputs, main.State)
	if err != nil {
		t.Fatal(err)
	}
	// A post step may fail only loudly, naming the pod it could not settle.
	if post.ExitCode != 0 && !rePostUnsettled.MatchString(post.Stdout) {
		t.Errorf("post step failed:\n%s", post.Stdout)
	}
	podsPost, runnersPost := len(w.RunPod.Pods()), len(w.GitHub.Runners())
	if c.resumes {
		podsPost = 0
		for _, p := range w.RunPod.Pods() {
			if p.Status != "EXITED" {
				podsPost++
			}
		}
	}
	if outcome != "ready" && podsPost+runnersPost != 0 {
		t.Errorf("after a start that ended %q the post step left %d pods and %d runners\n%s\n%s", outcome, podsPost, runnersPost, main.Stdout, post.Stdout)
	}
	stop, err := w.job("stop").Stop(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if stop.ExitCode != 0 {
		t.Errorf("stop job failed:\n%s", stop.Stdout)
	}
	podsStop, runnersStop := len(w.RunPod.Pods()), len(w.GitHub.Runners())
	if podsStop+runnersStop != 0 {
		t.Errorf("the stop job left %d pods and %d runners", podsStop, runnersStop)
	}
	w.checkNoLeaks(t, nil, main, post, stop)
	return fmt.Sprintf("| %s | %s | %s | %s | %d/%d | %d/%d |", c.phase, c.fault, api, outcome, podsPost, runnersPost, podsStop, runnersStop)
}

var rePostUnsettled = regexp.MustCompile(`::error title=[^:]*::.*could not settle pod [a-z0-9-]+`)

var rePhaseError = regexp.MustCompile(`::error title=(?:runpod-runner failed in phase ([a-z-]+)|(Invalid input))`)

// outcomeOf reads how a start step ended: ready, failed in a phase, or cancelled.
func outcomeOf(r *sandbox.Result, cancelled bool) string {
	switch {
	case r.ExitCode == 0 && r.State["phase"] == "ready":
		return "ready"
	case cancelled:
		return "cancelled"
	}
	m := rePhaseError.FindStringSubmatch(r.Stdout)
	switch {
	case m == nil:
		return fmt.Sprintf("exit %d without an error annotation", r.ExitCode)
	case m[2] != "":
		return "failed in config"
	}
	return "failed in " + m[1]
}
