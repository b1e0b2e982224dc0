package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

func run(ctx context.Context, out io.Writer) error {
	dir, err := os.MkdirTemp("", "runpod-runner-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintln(out, "Building the action and the stand-in runner…")
	// No deadline on the build: on a cold module cache it downloads and compiles for minutes.
	bins, err := sandbox.Build(ctx, dir)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute) // the flow itself
	defer cancel()
	sb, err := sandbox.Start(sandbox.Options{Dir: dir, Listener: bins.Listener})
	if err != nil {
		return err
	}
	defer sb.Close()
	fmt.Fprintf(out, "Sandbox up: RunPod stand-in %s, GitHub stand-in %s; pods are sshd processes on 127.0.0.1.\n",
		sb.RunPodURL, sb.GitHubURL)
	run := sandbox.Run{ID: fmt.Sprint(time.Now().Unix() % 1e7), Attempt: "1"}
	masks := []string{sandbox.RunPodKey, sandbox.GitHubToken}

	heading(out, "start job — uses: runpod-runner with mode: start")
	start := sandbox.Job{Sandbox: sb, Binary: bins.Action, Run: run, Name: "start"}
	main, post, err := start.Start(ctx, map[string]string{"gpu-types": "NVIDIA GeForce RTX 4090, NVIDIA RTX A6000"})
	if err != nil {
		return err
	}
	fmt.Fprint(out, sandbox.Render(main.Stdout, masks))
	if main.ExitCode != 0 {
		return fmt.Errorf("the start step failed (exit %d)", main.ExitCode)
	}
	showOutputs(out, main.Outputs)
	fmt.Fprintf(out, "\n  Job summary:\n%s", indent(main.Summary))
	heading(out, "post step of the start job (runs at the end of the start job)")
	fmt.Fprint(out, sandbox.Render(post.Stdout, masks))
	startCalls, sshConns := apiCalls(sb), sb.SSHConnections(main.Outputs["pod-id"])

	label := main.Outputs["label"]
	heading(out, "GPU job — runs-on: "+label)
	id := sb.GitHub.QueueJob([]string{label}, "echo \"Hello from $RUNNER_NAME\"; nvidia-smi -L")
	job, err := sb.GitHub.WaitJob(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  Job %d ran on %s and finished %s (exit %d):\n%s", job.ID, job.RunnerName, job.Result, job.ExitCode, indent(job.Output))

	heading(out, "stop job — if: always(), mode: stop")
	stop, err := (sandbox.Job{Sandbox: sb, Binary: bins.Action, Run: run, Name: "stop"}).Stop(ctx, map[string]string{"pod-id": main.Outputs["pod-id"]})
	if err != nil {
		return err
	}
	fmt.Fprint(out, sandbox.Render(stop.Stdout, masks))
	fmt.Fprintf(out, "\n  Job summary:\n%s", indent(stop.Summary))

	heading(out, "afterwards")
	return report(out, sb, main, startCalls, sshConns, job)
}

func report(out io.Writer, sb *sandbox.Sandbox, main *sandbox.Result, startCalls map[string]int, sshConns int, job fakegithub.JobStatus) error {
	pods, runners := len(sb.RunPod.Pods()), len(sb.GitHub.Runners())
	fmt.Fprintf(out, "  RunPod pods left: %d. GitHub runner registrations left: %d.\n", pods, runners)
	p := sandbox.PhaseSeconds(main.Summary)
	fmt.Fprintf(out, "  Pod ready → runner online: %.1f s (ssh %.1f, preflight %.1f, watchdog %.1f, install %.1f, launch %.1f, wait-online %.1f).\n",
		sandbox.ReadyToOnline(main.Summary), p["ssh"], p["preflight"], p["watchdog"], p["install"], p["launch"], p["wait-online"])
	stopCalls := apiCalls(sb)
	for k, n := range startCalls {
		stopCalls[k] -= n
	}
	fmt.Fprintf(out, "  API calls by the start step: %s.\n", joinCounts(startCalls))
	fmt.Fprintf(out, "  API calls by the stop job:   %s.\n", joinCounts(stopCalls))
	fmt.Fprintf(out, "  SSH connections the pod accepted during the start step: %d.\n", sshConns)
	if pods != 0 || runners != 0 || job.ExitCode != 0 {
		return fmt.Errorf("the demo did not end clean")
	}
	return nil
}

// apiCalls counts the requests each stand-in has answered so far, by operation: the action's
// calls, not the runner's own traffic with GitHub's job broker.
func apiCalls(sb *sandbox.Sandbox) map[string]int {
	counts := map[string]int{}
	for _, r := range sb.RunPod.Requests() {
		op := r.Operation
		if op == "" {
			op = r.OperationName
		}
		counts["RunPod "+op]++
	}
	for _, r := range sb.GitHub.Requests() {
		if r.Endpoint != "" && !strings.HasPrefix(r.Path, "/_") {
			counts["GitHub "+r.Endpoint]++
		}
	}
	return counts
}

func heading(out io.Writer, title string) {
	fmt.Fprintf(out, "\n━━ %s %s\n", title, strings.Repeat("━", max(3, 90-len(title))))
}

func showOutputs(out io.Writer, outputs map[string]string) {
	names := make([]string, 0, len(outputs))
	for k := range outputs {
		names = append(names, k)
	}
	sort.Strings(names)
	fmt.Fprintln(out, "\n  Outputs:")
	for _, k := range names {
		fmt.Fprintf(out, "    %-15s %s\n", k, outputs[k])
	}
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("    " + l + "\n")
	}
	return b.String()
}

func joinCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	total := 0
	for _, k := range keys {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s ×%d", k, m[k]))
			total += m[k]
		}
	}
	parts = append([]string{fmt.Sprintf("%d in all", total)}, parts...)
	return strings.Join(parts, ", ")
}
