package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakepod"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunpod"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// faultCell is one cell of the fault matrix: a fault injected into one phase of start.
type faultCell struct {
	phase, fault string
	inject       func(w *world)
	inputs       map[string]string
	cancel       *sandbox.Step // how the runner cancels the step, if it does
	env          map[string]string
	want         string // "ready", "failed in <phase>" or "cancelled"
	// setup prepares the world before the cell (after inject) and returns inputs to add.
	setup func(t *testing.T, w *world) map[string]string
	// resumes: the cell's start resumes a stopped pod, which the post step stops again (not
	// terminates): after the post step only running pods count.
	resumes bool
	// says is what the start step's log must show: that the cell took the path it is for.
	says string
}

// Short deadlines for cells that must run into them; requests then time out after 3.75 s.
var short = map[string]string{"startup-timeout-minutes": "0.5"}

// rpOps names each RunPod operation the matrix breaks, per API: the GraphQL root field and the
// REST operationId.
var rpOps = map[string]map[string]string{
	"list":      {"graphql": "myself", "rest": "listPods"},
	"gpu-types": {"graphql": "gpuTypes", "rest": "listGpuTypes"},
	"create":    {"graphql": "podFindAndDeployOnDemand", "rest": "createPod"},
	"get":       {"graphql": "pod", "rest": "getPod"},
	"terminate": {"graphql": "podTerminate", "rest": "deletePod"},
	"resume":    {"graphql": "podResume", "rest": "podAction"},
}

// rpFault queues a fault for the next times calls of op on the world's API. A GraphQL error
// becomes, on REST, the answer RunPod gives there: 500 for a server fault, 422 for a refusal.
func rpFault(op string, f fakerunpod.Fault, times int) func(*world) {
	return func(w *world) {
		if w.api == "rest" && f.GraphQLError != "" && f.Status == 0 {
			f.Status = 422
			if f.GraphQLError == fakerunpod.MsgSomethingWentWrong {
				f.Status = 500
			}
		}
		for i := 0; i < times; i++ {
			w.RunPod.FailNext(rpOps[op][w.api], f)
		}
	}
}

func ghFault(endpoint string, f fakegithub.Fault, times int) func(*world) {
	return func(w *world) {
		for i := 0; i < times; i++ {
			w.GitHub.FailNext(endpoint, f)
		}
	}
}

func hostFaults(f fakepod.Faults) func(*world) { return func(w *world) { w.Pods.SetFaults(f) } }

func behaviour(b fakegithub.Behaviour) func(*world) {
	return func(w *world) { w.GitHub.SetBehaviour("gha-"+w.run.ID, b) }
}

// cancelAt cancels the step the way the runner does (SIGTERM, SIGKILL 10 s later) once its log
// shows the phase's group, after a little while in it.
func cancelAt(group string) *sandbox.Step {
	return &sandbox.Step{Signal: syscall.SIGTERM, SignalWhen: "::group::" + group, SignalAfter: 400 * time.Millisecond, KillAfter: 10 * time.Second}
}

// cancelInSetup cancels the step once the log says the part of the pod's one setup session has
// begun (its "▸ title" line), after the given while in it.
func cancelInSetup(title string, after time.Duration) *sandbox.Step {
	return &sandbox.Step{Signal: syscall.SIGTERM, SignalWhen: "▸ " + title, SignalAfter: after, KillAfter: 10 * time.Second}
}

func both(fs ...func(*world)) func(*world) {
	return func(w *world) {
		for _, f := range fs {
			f(w)
		}
	}
}

var zeroGPUs = 0

// faultMatrix is every phase of start against every fault that applies to it.
var faultMatrix = []faultCell{
	{phase: "config", fault: "bad input", inputs: map[string]string{"gpu-count": "0"}, want: "failed in config"},

	{phase: "jit", fault: "GitHub 502 burst", inject: ghFault("generate-jitconfig", fakegithub.Fault{Status: 502}, 2), want: "ready"},
	{phase: "jit", fault: "GitHub 429 + Retry-After", inject: ghFault("generate-jitconfig", fakegithub.Fault{Status: 429, RetryAfter: time.Second}, 2), want: "ready"},
	{phase: "jit", fault: "GitHub no answer", inject: ghFault("generate-jitconfig", fakegithub.Fault{Delay: 6 * time.Second}, 1), inputs: short, want: "ready"},
	{phase: "jit", fault: "token lacks permission", inject: func(w *world) {}, inputs: map[string]string{"github-token": sandbox.ReadOnlyToken}, want: "failed in jit"},
	{phase: "jit", fault: "RunPod 503", inject: rpFault("gpu-types", fakerunpod.Fault{Status: 503}, 2), want: "ready"},
	{phase: "jit", fault: "RunPod key refused", inputs: map[string]string{"runpod-api-key": "rpa_wrong"}, want: "failed in jit"},
	{phase: "jit", fault: "RunPod internal error", inject: rpFault("gpu-types", fakerunpod.Fault{GraphQLError: fakerunpod.MsgSomethingWentWrong}, 2), want: "ready"},
	{phase: "jit", fault: "cancel", inject: ghFault("generate-jitconfig", fakegithub.Fault{Delay: 3 * time.Second}, 1), cancel: cancelAt("Register"), want: "cancelled"},

	{phase: "create", fault: "RunPod 500", inject: rpFault("create", fakerunpod.Fault{Status: 500}, 1), want: "ready"},
	{phase: "create", fault: "502 after the pod was made", inject: rpFault("create", fakerunpod.Fault{Status: 502, AfterCommit: true}, 1), want: "ready"},
	{phase: "create", fault: "no answer after the pod was made", inject: rpFault("create", fakerunpod.Fault{Delay: 6 * time.Second, AfterCommit: true}, 1), inputs: short, want: "ready"},
	{phase: "create", fault: "429 + Retry-After", inject: rpFault("create", fakerunpod.Fault{Status: 429, RetryAfter: time.Second}, 1), want: "ready"},
	{phase: "create", fault: "no capacity on the first GPU type", inject: func(w *world) { w.RunPod.SetCapacity("NVIDIA GeForce RTX 4090", false) },
		inputs: map[string]string{"gpu-types": "NVIDIA GeForce RTX 4090, NVIDIA L4"}, want: "ready"},
	{phase: "create", fault: "no capacity anywhere", inject: func(w *world) { w.RunPod.SetCapacity("NVIDIA GeForce RTX 4090", false) }, inputs: short, want: "failed in create"},
	{phase: "create", fault: "request refused", inject: rpFault("create", fakerunpod.Fault{GraphQLError: "Invalid image name."}, 1), want: "failed in create"},
	{phase: "create", fault: "cancel while the pod is made", inject: rpFault("create", fakerunpod.Fault{Delay: 5 * time.Second, AfterCommit: true}, 1), cancel: cancelAt("Create the pod"), want: "cancelled"},
	{phase: "create", fault: "cancel, create answered after a hang while the list fails (503)",
		inject: both(rpFault("create", fakerunpod.Fault{Delay: 5 * time.Second, AfterCommit: true}, 1), oncePodExists(rpFault("list", fakerunpod.Fault{Status: 503}, 6))),
		cancel: cancelAt("Create the pod"), want: "cancelled", says: "could not settle pod"},
	{phase: "create", fault: "cancel during resume", setup: stoppedPod, resumes: true, says: "Stopped pod",
		inject: rpFault("resume", fakerunpod.Fault{Delay: 5 * time.Second, AfterCommit: true}, 1), cancel: cancelAt("Create the pod"), want: "cancelled"},

	{phase: "wait-ready", fault: "RunPod 502", inject: rpFault("get", fakerunpod.Fault{Status: 502}, 2), want: "ready"},
	{phase: "wait-ready", fault: "429 + Retry-After", inject: rpFault("get", fakerunpod.Fault{Status: 429, RetryAfter: time.Second}, 2), want: "ready"},
	{phase: "wait-ready", fault: "no answer", inject: rpFault("get", fakerunpod.Fault{Delay: 6 * time.Second}, 1), inputs: short, want: "ready"},
	{phase: "wait-ready", fault: "pod stuck with runtime null", inject: func(w *world) { w.RunPod.SetGPUTypeStuck("NVIDIA GeForce RTX 4090", true) }, inputs: short, want: "failed in wait-ready"},
	{phase: "wait-ready", fault: "cancel", inject: func(w *world) { w.RunPod.SetGPUTypeStuck("NVIDIA GeForce RTX 4090", true) }, cancel: cancelAt("Wait for the pod"), want: "cancelled"},

	{phase: "ssh", fault: "pod refuses the key", inject: hostFaults(fakepod.Faults{RefuseKey: true}), inputs: short, want: "failed in ssh"},
	{phase: "ssh", fault: "port open before sshd", inject: hostFaults(fakepod.Faults{SSHDelay: 2 * time.Second}), want: "ready"},
	{phase: "ssh", fault: "cancel", inject: hostFaults(fakepod.Faults{RefuseKey: true}), cancel: cancelAt("Connect over SSH"), want: "cancelled"},

	{phase: "preflight", fault: "pod lost its GPUs", inject: hostFaults(fakepod.Faults{GPUs: &zeroGPUs}), want: "failed in preflight"},
	{phase: "preflight", fault: "cancel", inject: func(w *world) { w.BreakDownloads(false, 5*time.Second) },
		cancel: &sandbox.Step{Signal: syscall.SIGTERM, SignalWhen: "::group::Check the pod", KillAfter: 10 * time.Second}, want: "cancelled"},

	{phase: "install", fault: "download fails", inject: func(w *world) { w.BreakDownloads(true, 0) }, want: "failed in install"},
	{phase: "install", fault: "checksum mismatch", inject: wrongChecksum, want: "failed in install"},
	{phase: "install", fault: "cancel", inject: func(w *world) { w.BreakDownloads(false, 5*time.Second) }, cancel: cancelInSetup("Install the runner", 400*time.Millisecond), want: "cancelled"},

	{phase: "launch", fault: "runner crashes", inject: behaviour(fakegithub.BehaviourCrash), want: "failed in launch"},
	{phase: "launch", fault: "cancel", inject: behaviour(fakegithub.BehaviourNeverOnline), cancel: cancelInSetup("Start the runner", 0), want: "cancelled"},

	{phase: "wait-online", fault: "runner never online", inject: behaviour(fakegithub.BehaviourNeverOnline), inputs: short, want: "failed in wait-online"},
	{phase: "wait-online", fault: "GitHub 502", inject: ghFault("get-runner", fakegithub.Fault{Status: 502}, 2), want: "ready"},
	{phase: "wait-online", fault: "429 + Retry-After", inject: ghFault("get-runner", fakegithub.Fault{Status: 429, RetryAfter: time.Second}, 2), want: "ready"},
	{phase: "wait-online", fault: "cancel", inject: behaviour(fakegithub.BehaviourNeverOnline), cancel: cancelAt("Wait for the runner"), want: "cancelled"},
	{phase: "wait-online", fault: "cancel, SIGKILL during cleanup",
		inject: both(behaviour(fakegithub.BehaviourNeverOnline), rpFault("terminate", fakerunpod.Fault{Delay: 20 * time.Second}, 1)),
		cancel: &sandbox.Step{Signal: syscall.SIGTERM, SignalWhen: "::group::Wait for the runner", SignalAfter: 400 * time.Millisecond, KillAfter: 2500 * time.Millisecond},
		want:   "cancelled"},

	{phase: "outputs", fault: "summary not writable", env: map[string]string{"GITHUB_STEP_SUMMARY": "/nonexistent/summary"}, want: "failed in outputs"},
}

// oncePodExists applies f as soon as RunPod holds a pod (the faults it queues then meet the
// calls after the create, not the checks before it).
func oncePodExists(f func(*world)) func(*world) {
	return func(w *world) {
		go func() {
			for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
				if len(w.RunPod.Pods()) > 0 {
					f(w)
					return
				}
			}
		}()
	}
}

// stoppedPod makes this run's stopped pod box-pod (as an earlier start and stop with on-stop:
// stop leave it) and returns the inputs that reuse it.
func stoppedPod(t *testing.T, w *world) map[string]string {
	key, err := remote.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]string{"label": "box", "pod-name": "box-pod", "ssh-private-key": key.PEM}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if main, _, err := w.job("setup").Start(ctx, in); err != nil || main.ExitCode != 0 {
		t.Fatalf("setting up the stopped pod: %v\n%s", err, main.Stdout)
	}
	if stop, err := w.job("setup-stop").Stop(ctx, map[string]string{"label": "box", "on-stop": "stop"}); err != nil || stop.ExitCode != 0 {
		t.Fatalf("stopping the pod: %v\n%s", err, stop.Stdout)
	}
	in["reuse"] = "true"
	return in
}

func wrongChecksum(w *world) {
	list := append([]fakegithub.Download(nil), w.Downloads...)
	for i := range list {
		list[i].SHA256Checksum = strings.Repeat("0", 64)
	}
	w.GitHub.SetDownloads(list)
}

// TestFaultMatrix runs every cell and prints the matrix: the outcome, and what the post step
// and then the stop job left behind. Every cell must end with nothing left.
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	rows := make([]string, len(faultMatrix)*len(apis))
	t.Run("cells", func(t *testing.T) {
		for i, c := range faultMatrix {
			for j, api := range apis {
				t.Run(api+"/"+c.phase+"/"+c.fault, func(t *testing.T) {
					t.Parallel()
					rows[i*len(apis)+j] = runCell(t, api, c)
				})
			}
		}
	})
	table := "| phase | fault | RunPod API | outcome | left after post (pods/runners) | left after stop |\n|---|---|---|---|---|---|\n" + strings.Join(rows, "\n") +
		fmt.Sprintf("\n\n%d cells.\n", len(rows))
	t.Logf("fault matrix:\n%s", table)
	if path := os.Getenv("FAULT_MATRIX_OUT"); path != "" {
		if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
			t.Error(err)
		}
	}
}
