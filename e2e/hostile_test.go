package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/runner"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakepod"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// hostileLines are what a hostile image prints on every command: every form of workflow
// command the runner honours, aimed at the victim's pod and runner.
func hostileLines(victimPod string, victimRunner int64) []string {
	return []string{
		"::save-state name=pod-id::" + victimPod,
		"##[save-state name=legs;]9",
		"progress ##[save-state name=leg1-pod-id;]" + victimPod,
		fmt.Sprintf("##[save-state name=leg1-runner-id;]%d", victimRunner),
		fmt.Sprintf("::save-state name=runner-id::%d", victimRunner),
		"::save-state name=phase::create",
		"::set-output name=pod-id::" + victimPod,
		"::add-mask::hostile-mask",
		"done\r::add-mask::hostile-after-cr",
		"::stop-commands::hostiletoken",
	}
}

// hostileBashrc prints the lines on stdout and stderr of every SSH session, and adds them to
// the runner's log (read back by the log tail of a failed start).
func hostileBashrc(lines []string) string {
	all := strings.Join(quoteAll(lines), " ")
	return "printf '%s\\n' " + all + "\nprintf '%s\\n' " + all + " >&2\n" +
		`if [ -f "$HOME/actions-runner/runpod-runner.log" ]; then printf '%s\n' ` + all + ` >>"$HOME/actions-runner/runpod-runner.log"; fi` + "\n"
}

// foreign returns the commands in a step's stdout that the action did not issue: any
// save-state or set-output (the action writes files), anything that names the victim or
// "hostile", a window the action did not open, and a mask the runner ignored inside a window.
func foreign(r *sandbox.Result, victims ...string) []sandbox.Command {
	var out []sandbox.Command
	for _, c := range r.Commands {
		text := fmt.Sprint(c.Name, c.Props, c.Data)
		if c.Ignored { // inside a window: harmless, unless it is one of the action's masks
			if c.Name == "add-mask" && !strings.Contains(text, "hostile") {
				out = append(out, c)
			}
			continue
		}
		bad := c.Name == "save-state" || c.Name == "set-output" || c.Name == "set-env" || c.Name == "add-path" ||
			strings.Contains(text, "hostile") || (c.Name == "stop-commands" && !strings.HasPrefix(c.Data, "runpod-runner-"))
		for _, v := range victims {
			bad = bad || strings.Contains(text, v)
		}
		if bad {
			out = append(out, c)
		}
	}
	return out
}

// TestHostilePodCannotSteer gives a start a pod whose shell, scripts and runner log print
// workflow commands aimed at another run's pod and runner: the step's stdout, replayed by the
// runner's rules, holds no command the action did not issue, and its post step and stop job
// touch only this run's pod and runner.
func TestHostilePodCannotSteer(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "rest", sandbox.Options{})
	other := &world{Sandbox: w.Sandbox, api: w.api, run: sandbox.Run{ID: w.run.ID + "9", Attempt: "1"}}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	vm, _, err := other.job("start").Start(ctx, nil)
	if err != nil || vm.ExitCode != 0 {
		t.Fatalf("the victim's start: %v\n%s", err, vm.Stdout)
	}
	victimPod, victimRunner := vm.Outputs["pod-id"], w.GitHub.Runners()[0].ID
	lines := hostileLines(victimPod, victimRunner)
	w.Pods.SetFaults(fakepod.Faults{Bashrc: hostileBashrc(lines)})
	script := "printf '%s\\n' " + strings.Join(quoteAll(lines), " ")

	t.Run("ready", func(t *testing.T) {
		main, post, err := w.job("start").Start(ctx, map[string]string{"pre-runner-script": script, "label": "chain-ok"})
		if err != nil || main.ExitCode != 0 {
			t.Fatalf("start: %v\n%s", err, main.Stdout)
		}
		for _, r := range []*sandbox.Result{main, post} {
			if f := foreign(r, victimPod); len(f) > 0 {
				t.Errorf("commands the action did not issue: %+v\n%s", f, r.Stdout)
			}
		}
		stop, err := w.job("stop").Stop(ctx, map[string]string{"pod-id": main.Outputs["pod-id"], "label": "chain-ok"})
		if err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop: %v\n%s", err, stop.Stdout)
		}
		w.checkOnlyVictimLeft(t, victimPod, victimRunner)
	})
	t.Run("failed", func(t *testing.T) {
		w.GitHub.SetBehaviour("gha-"+w.run.ID, fakegithub.BehaviourNeverOnline)
		main, post, err := w.job("start").Start(ctx, map[string]string{"pre-runner-script": script, "label": "chain-fail", "startup-timeout-minutes": "0.5"})
		if err != nil || main.ExitCode == 0 {
			t.Fatalf("start: %v, want it to fail\n%s", err, main.Stdout)
		}
		if !strings.Contains(main.Stdout, "Runner log tail:") {
			t.Errorf("the failed start did not show the runner's log:\n%s", main.Stdout)
		}
		for _, r := range []*sandbox.Result{main, post} {
			if f := foreign(r, victimPod); len(f) > 0 {
				t.Errorf("commands the action did not issue: %+v\n%s", f, r.Stdout)
			}
		}
		if stop, err := w.job("stop").Stop(ctx, map[string]string{"label": "chain-fail"}); err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop: %v\n%s", err, stop.Stdout)
		}
		w.checkOnlyVictimLeft(t, victimPod, victimRunner)
	})
	t.Run("fan-out", func(t *testing.T) {
		w.GitHub.SetBehaviour("gha-"+w.run.ID, fakegithub.BehaviourNormal)
		main, post, err := w.job("start").Start(ctx, map[string]string{"pre-runner-script": script + "\n" + script, "label": "fan", "runners": "3"})
		if err != nil || main.ExitCode != 0 {
			t.Fatalf("start: %v\n%s", err, main.Stdout)
		}
		for _, r := range []*sandbox.Result{main, post} {
			if f := foreign(r, victimPod); len(f) > 0 {
				t.Errorf("commands the action did not issue: %+v\n%s", f, r.Stdout)
			}
		}
		if stop, err := w.job("stop").Stop(ctx, map[string]string{"pod-id": main.Outputs["pod-id"], "label": "fan"}); err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop: %v\n%s", err, stop.Stdout)
		}
		w.checkOnlyVictimLeft(t, victimPod, victimRunner)
	})
}

func quoteAll(lines []string) []string {
	var q []string
	for _, l := range lines {
		q = append(q, runner.Quote(l))
	}
	return q
}

// checkOnlyVictimLeft asserts the stand-ins hold the victim's pod and runner and nothing else.
func (w *world) checkOnlyVictimLeft(t *testing.T, pod string, runner int64) {
	t.Helper()
	pods, runners := w.RunPod.Pods(), w.GitHub.Runners()
	if len(pods) != 1 || pods[0].ID != pod || len(runners) != 1 || runners[0].ID != runner {
		t.Errorf("want only the victim's pod %s and runner %d left; got pods %+v, runners %+v", pod, runner, pods, runners)
	}
}
