package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// TestSweep: six objects in one account: (1) a pod of a completed run, (2) a pod of a run in
// progress, (3) a pod stopped long ago, (4) an offline runner named like the action's whose pod
// is gone, (5) another repository's pod, (6) a pod without the action's markers. A dry run (the
// action's and the CLI's) lists exactly 1, 3 and 4 and changes nothing; mode: sweep then removes
// exactly those (with pod 1's runner), and the summary gives each reason and cost.
func TestSweep(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		run := func(n int) *world {
			id, _ := strconv.Atoi(w.run.ID)
			return &world{Sandbox: w.Sandbox, api: api, run: sandbox.Run{ID: strconv.Itoa(id*10 + n), Attempt: "1"}}
		}
		start := func(x *world, repo string, inputs map[string]string) string {
			t.Helper()
			j := x.job("start")
			j.Repository = repo
			main, _, err := j.Start(ctx, inputs)
			if err != nil || main.ExitCode != 0 {
				t.Fatalf("start of run %s: %v\n%s", x.run.ID, err, main.Stdout)
			}
			return main.Outputs["pod-id"]
		}
		runID := func(x *world) int64 { id, _ := strconv.ParseInt(x.run.ID, 10, 64); return id }

		completed, inProgress, stopped, orphan, other := run(1), run(2), run(3), run(4), run(5)
		pod1 := start(completed, "", nil)
		w.GitHub.SetWorkflowRun(sandbox.Repository, fakegithub.WorkflowRun{ID: runID(completed), Status: fakegithub.RunCompleted, Conclusion: "success"})
		pod2 := start(inProgress, "", nil)
		w.GitHub.SetWorkflowRun(sandbox.Repository, fakegithub.WorkflowRun{ID: runID(inProgress), Status: fakegithub.RunInProgress})
		pod3 := start(stopped, "", nil)
		if stop, err := stopped.job("stop").Stop(ctx, map[string]string{"on-stop": "stop"}); err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop with on-stop: stop: %v\n%s", err, stop.Stdout)
		}
		w.RunPod.Backdate(pod3, 10*24*time.Hour)
		owner, repo, _ := strings.Cut(sandbox.Repository, "/")
		rc, err := registration.New(registration.Options{BaseURL: w.GitHubURL, Token: sandbox.GitHubToken, Scope: registration.Scope{Owner: owner, Repo: repo}})
		if err != nil {
			t.Fatal(err)
		}
		jit, err := rc.GenerateJIT(ctx, "gha-"+orphan.run.ID+"-1-orphan", 1, []string{"runpod-orphan"})
		if err != nil {
			t.Fatal(err)
		}
		runner4 := strconv.FormatInt(jit.Runner.ID, 10)
		pod5 := start(other, sandbox.OtherRepository, nil)
		w.GitHub.SetWorkflowRun(sandbox.OtherRepository, fakegithub.WorkflowRun{ID: runID(other), Status: fakegithub.RunCompleted, Conclusion: "success"})
		rp := runpod.NewREST(runpod.Options{URL: w.RunPodURL, APIKey: sandbox.RunPodKey})
		unmarked, err := rp.Create(ctx, runpod.CreateRequest{Name: "gha-1-1-notebook", Image: "runpod/base:0.6.2", GPUTypeID: "NVIDIA GeForce RTX 4090", GPUCount: 1, CloudType: "SECURE", ContainerDiskGB: 20})
		if err != nil {
			t.Fatal(err)
		}
		w.RunPod.Backdate(unmarked.ID, 30*24*time.Hour)

		podsBefore, runnersBefore := podIDs(w), runnerIDs(w)
		want := []string{"pod " + pod1, "pod " + pod3, "runner " + runner4, "runner " + runnerOf(w, pod1)}
		sort.Strings(want)

		dry, err := w.job("sweep").Main(ctx, "sweep", map[string]string{"dry-run": "true"}, sandbox.Step{})
		if err != nil || dry.ExitCode != 0 {
			t.Fatalf("dry run: %v\n%s", err, dry.Stdout)
		}
		if got := summaryItems(dry.Summary); !slices.Equal(got, want) {
			t.Errorf("the dry run lists %v, want %v\n%s", got, want, dry.Summary)
		}
		cli, err := w.CLI(ctx, built.Action, nil, "sweep", "--repo", sandbox.Repository, "--dry-run", "--json")
		if err != nil || cli.ExitCode != 0 {
			t.Fatalf("runpod-runner sweep --dry-run: %v\n%s%s", err, cli.Stdout, cli.Stderr)
		}
		var listed []struct{ Kind, ID string }
		if err := json.Unmarshal([]byte(cli.Stdout), &listed); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range listed {
			got = append(got, it.Kind+" "+it.ID)
		}
		sort.Strings(got)
		if !slices.Equal(got, want) {
			t.Errorf("runpod-runner sweep --dry-run lists %v, want %v", got, want)
		}
		if !slices.Equal(podIDs(w), podsBefore) || !slices.Equal(runnerIDs(w), runnersBefore) {
			t.Fatalf("a dry run changed something: pods %v → %v, runners %v → %v", podsBefore, podIDs(w), runnersBefore, runnerIDs(w))
		}

		res, err := w.job("sweep").Main(ctx, "sweep", nil, sandbox.Step{})
		if err != nil || res.ExitCode != 0 {
			t.Fatalf("sweep: %v\n%s", err, res.Stdout)
		}
		wantPods := []string{pod2, pod5, unmarked.ID}
		sort.Strings(wantPods)
		if got := podIDs(w); !slices.Equal(got, wantPods) {
			t.Errorf("after the sweep the pods are %v, want %v (in progress, other repository, unmarked)", got, wantPods)
		}
		wantRunners := []string{runnerOf(w, pod2), runnerOf(w, pod5)}
		sort.Strings(wantRunners)
		if got := runnerIDs(w); !slices.Equal(got, wantRunners) {
			t.Errorf("after the sweep the runners are %v, want %v", got, wantRunners)
		}
		for _, s := range []string{"has completed", "beyond keep-stopped", "offline, and its pod is gone", "$/hour", "| removed |"} {
			if !strings.Contains(res.Summary, s) {
				t.Errorf("summary lacks %q:\n%s", s, res.Summary)
			}
		}
		w.checkNoLeaks(t, nil, dry, res)
	})
}

// summaryRows reads the kind and id of each row of a sweep summary.
func summaryRows(summary string) [][2]string {
	var out [][2]string
	for _, line := range strings.Split(summary, "\n") {
		f := strings.Split(line, " | ")
		if len(f) > 2 && (f[0] == "| pod" || f[0] == "| runner") {
			out = append(out, [2]string{strings.TrimPrefix(f[0], "| "), strings.Trim(f[1], "`")})
		}
	}
	return out
}

// summaryItems reads "kind id" of each row of a sweep summary, sorted.
func summaryItems(summary string) []string {
	var out []string
	for _, it := range summaryRows(summary) {
		out = append(out, it[0]+" "+it[1])
	}
	sort.Strings(out)
	return out
}

func podIDs(w *world) []string {
	var out []string
	for _, p := range w.RunPod.Pods() {
		out = append(out, p.ID)
	}
	sort.Strings(out)
	return out
}

func runnerIDs(w *world) []string {
	var out []string
	for _, r := range w.GitHub.Runners() {
		out = append(out, strconv.FormatInt(r.ID, 10))
	}
	sort.Strings(out)
	return out
}

// runnerOf is the id of the runner registered for a pod (named like it).
func runnerOf(w *world, podID string) string {
	for _, p := range w.RunPod.Pods() {
		if p.ID != podID {
			continue
		}
		for _, r := range w.GitHub.Runners() {
			if r.Name == p.Name {
				return strconv.FormatInt(r.ID, 10)
			}
		}
	}
	return fmt.Sprintf("(no runner for %s)", podID)
}
