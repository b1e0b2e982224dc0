package action

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// stoppedPod puts a stopped pod with a volume in the fakes, created by run 70 with publicKey.
func stoppedPod(h *harness, id, name, repo, publicKey string) {
	h.pods.pods[id] = &runpod.Pod{ID: id, Name: name, Status: runpod.StatusExited, GPUTypeID: "NVIDIA L4", Image: "old/image:1",
		VolumePath: "/workspace", Env: map[string]string{"PUBLIC_KEY": publicKey, marker.Repo: repo, marker.Run: "70", "HF_HOME": "/workspace/hf"}}
}

func TestResume(t *testing.T) {
	t.Parallel()
	key, err := remote.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		inputs    map[string]string
		rest      bool
		resumeErr error
		podKey    string
		wantCalls []string // calls that change pods
		wantMode  string
		wantErr   string
	}{
		{name: "rest_gives_a_fresh_key", inputs: map[string]string{"pod-id": "stopped1"}, rest: true, podKey: "ssh-ed25519 OLD",
			wantCalls: []string{"update-env stopped1 PUBLIC_KEY=true run=77", "resume stopped1"}, wantMode: "resumed"},
		{name: "graphql_with_the_pods_key", inputs: map[string]string{"pod-id": "stopped1", "ssh-private-key": key.PEM}, podKey: key.AuthorizedKey,
			wantCalls: []string{"resume stopped1"}, wantMode: "resumed"},
		{name: "graphql_without_a_way_in", inputs: map[string]string{"pod-id": "stopped1"}, podKey: "ssh-ed25519 OLD",
			wantErr: "cannot resume pod stopped1"},
		{name: "no_gpus_falls_back_to_create", inputs: map[string]string{"pod-id": "stopped1"}, rest: true, podKey: "x",
			resumeErr: &runpod.Error{Class: runpod.Capacity, Message: "There are not enough free GPUs on the host machine to start this pod."},
			wantCalls: []string{"update-env stopped1 PUBLIC_KEY=true run=77", "resume stopped1", "create NVIDIA L4"}, wantMode: "created"},
		{name: "no_gpus_and_fallback_fail", inputs: map[string]string{"pod-id": "stopped1", "resume-fallback": "fail"}, rest: true, podKey: "x",
			resumeErr: &runpod.Error{Class: runpod.Capacity, Message: "not enough free GPUs"}, wantErr: "not enough free GPUs"},
		{name: "reuse_finds_it_by_name", inputs: map[string]string{"reuse": "true", "label": "box"}, rest: true, podKey: "x",
			wantCalls: []string{"update-env stopped1 PUBLIC_KEY=true run=77", "resume stopped1"}, wantMode: "resumed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tc.inputs)
			stoppedPod(h, "stopped1", "gha-box", "octo/repo", tc.podKey)
			stoppedPod(h, "foreign1", "gha-box", "someone/else", tc.podKey) // same name, other repository
			h.pods.resumeErr = tc.resumeErr
			h.pods.graphQL = !tc.rest
			err := Start(context.Background(), h.config(t, false), h.deps())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Start() = %v, want an error with %q", err, tc.wantErr)
				}
				if slices.Contains(h.pods.Calls(), "resume stopped1") && tc.resumeErr == nil {
					t.Error("the pod was resumed although the action could not have logged in")
				}
				return
			}
			if err != nil {
				t.Fatalf("Start() = %v\n%s", err, h.out.String())
			}
			var changes []string
			for _, c := range h.pods.Calls() {
				if strings.HasPrefix(c, "update-env") || strings.HasPrefix(c, "resume") || strings.HasPrefix(c, "create") {
					changes = append(changes, c)
				}
			}
			if diff := cmp.Diff(tc.wantCalls, changes); diff != "" {
				t.Errorf("pod changes mismatch (-want +got):\n%s", diff)
			}
			out := fileCommands(t, h.files["GITHUB_OUTPUT"])
			if out["provision-mode"] != tc.wantMode {
				t.Errorf("provision-mode = %q, want %q", out["provision-mode"], tc.wantMode)
			}
			if tc.wantMode == "resumed" && h.pods.pods["stopped1"].Env["HF_HOME"] != "/workspace/hf" {
				t.Error("the pod's own env was lost when its key was replaced")
			}
			if tc.resumeErr != nil && !strings.Contains(h.summary(t), "could not be resumed") {
				t.Errorf("the summary does not say why the pod was not resumed:\n%s", h.summary(t))
			}
			if h.pods.pods["foreign1"].Status != runpod.StatusExited || h.pods.pods["foreign1"].Env[marker.Run] != "70" {
				t.Error("another repository's pod was touched")
			}
		})
	}
}

func TestRunningPodNeedsItsKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"pod-id": "running1"})
	h.pods.pods["running1"] = &runpod.Pod{ID: "running1", Status: runpod.StatusRunning, Env: map[string]string{"PUBLIC_KEY": "ssh-ed25519 OTHER"}}
	err := Start(context.Background(), h.config(t, false), h.deps())
	if err == nil || !strings.Contains(err.Error(), "can only log in to a running pod with the key it was created with") {
		t.Fatalf("Start() = %v", err)
	}
	if h.pods.pods["running1"] == nil || h.pods.pods["running1"].Status != runpod.StatusRunning {
		t.Error("a running pod the action could not use was changed")
	}
}

// TestResumeKeepsThePodsGPUs: podResume starts a pod with the GPU count it is given
// (https://github.com/runpod/docs/blob/main/sdks/graphql/manage-pods.mdx); a stopped 4-GPU pod
// resumed without gpu-count keeps its 4, and the outputs say so; gpu-count, when given, wins.
func TestResumeKeepsThePodsGPUs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		count string
		want  int
	}{
		{name: "pods_own_count", want: 4},
		{name: "gpu_count_given", count: "2", want: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, map[string]string{"pod-id": "stopped1", "gpu-count": tc.count})
			stoppedPod(h, "stopped1", "gha-box", "octo/repo", "x")
			h.pods.pods["stopped1"].GPUCount = 4
			h.shell.answers["preflight"] = "arch=x86_64\ngpus=4\ndisk_free_mb=20000\nuid=0\n"
			if err := Start(context.Background(), h.config(t, false), h.deps()); err != nil {
				t.Fatalf("Start() = %v\n%s", err, h.out.String())
			}
			if h.pods.resumedWith != tc.want {
				t.Errorf("resumed with %d GPUs, want %d", h.pods.resumedWith, tc.want)
			}
			if got := fileCommands(t, h.files["GITHUB_OUTPUT"])["gpu-count"]; got != fmt.Sprint(tc.want) {
				t.Errorf("output gpu-count = %q, want %d", got, tc.want)
			}
		})
	}
}

// TestResumedPodMayReadStoppedAtFirst: a pod just started may read EXITED for a moment; the
// wait does not fail on it. A pod in REST's ERROR status is resumed as an EXITED one is
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, Pod.status:
// "EXITED and ERROR allow start/terminate").
func TestResumedPodMayReadStoppedAtFirst(t *testing.T) {
	t.Parallel()
	for _, status := range []string{runpod.StatusExited, runpod.StatusError} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, map[string]string{"pod-id": "stopped1"})
			stoppedPod(h, "stopped1", "gha-box", "octo/repo", "x")
			h.pods.pods["stopped1"].Status = status
			h.pods.stoppedPolls = 2
			if err := Start(context.Background(), h.config(t, false), h.deps()); err != nil {
				t.Fatalf("Start() = %v\n%s", err, h.out.String())
			}
			if got := fileCommands(t, h.files["GITHUB_OUTPUT"])["provision-mode"]; got != "resumed" {
				t.Errorf("provision-mode = %q, want resumed", got)
			}
		})
	}
}

// TestResumeWithNothingToChangeSendsNoEnvUpdate: a stopped pod whose env holds the key and
// markers the start would give it is resumed without the update (a PATCH on REST, a request
// against the account's quota); the first resume of the run still gives them.
func TestResumeWithNothingToChangeSendsNoEnvUpdate(t *testing.T) {
	t.Parallel()
	key, err := remote.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, map[string]string{"pod-id": "stopped1", "ssh-private-key": key.PEM, "label": "box"})
	stoppedPod(h, "stopped1", "gha-box", "octo/repo", "ssh-ed25519 OLD")
	h.pods.graphQL = false
	var updates []int
	for range 2 {
		if err := Start(context.Background(), h.config(t, false), h.deps()); err != nil {
			t.Fatalf("Start() = %v\n%s", err, h.out.String())
		}
		n := 0
		for _, c := range h.pods.Calls() {
			if strings.HasPrefix(c, "update-env") {
				n++
			}
		}
		updates = append(updates, n)
		h.pods.pods["stopped1"].Status = runpod.StatusExited
	}
	if diff := cmp.Diff([]int{1, 1}, updates); diff != "" {
		t.Errorf("env updates after each start (-want +got):\n%s", diff)
	}
}
