package action

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/ssh"

	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

func TestStartReady(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"runner-labels": "gpu"})
	if err := Start(context.Background(), h.config(t, false), h.deps()); err != nil {
		t.Fatalf("Start() = %v\n%s", err, h.out.String())
	}
	want := map[string]string{
		"label": "runpod-77-1-z01234", "runner-name": "gha-77-1-z01234", "runner-id": "1", "pod-id": "podid1",
		"pod-name": "gha-77-1-z01234", "gpu-type": "NVIDIA A40", "gpu-count": "1", "cost-per-hour": "0.500",
		"ssh-host": "203.0.113.7", "ssh-port": "22022", "provision-mode": "created",
		"ssh-host-key": ssh.FingerprintSHA256(podHostKey),
		"matrix":       `[{"label":"runpod-77-1-z01234","gpu-type":"NVIDIA A40","pod-id":"podid1","runner-id":1,"cost-per-hour":0.5}]`,
	}
	got := fileCommands(t, h.files["GITHUB_OUTPUT"])
	var timings map[string]float64
	if err := json.Unmarshal([]byte(got["timings"]), &timings); err != nil || len(timings) < 5 || timings["wait-online"] < 0 {
		t.Errorf("timings output = %q (%v), want each phase's seconds", got["timings"], err)
	}
	delete(got, "timings")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outputs mismatch (-want +got):\n%s", diff)
	}
	state := fileCommands(t, h.files["GITHUB_STATE"])
	if state["phase"] != string(PhaseReady) || state["pod-id"] != "podid1" || state["runner-id"] != "1" {
		t.Errorf("state = %v, want phase ready with pod and runner ids", state)
	}
	if diff := cmp.Diff([]string{"jit gha-77-1-z01234 runpod-77-1-z01234,gpu"}, h.runners.Calls()[1:2]); diff != "" {
		t.Errorf("JIT request mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"gpu-types", "create NVIDIA A40", "get podid1"}, h.pods.Calls()); diff != "" {
		t.Errorf("RunPod calls mismatch (-want +got):\n%s", diff)
	}
	// One command does the whole work on the pod: one session, one round trip.
	if diff := cmp.Diff([]string{"setup", "preflight", "watchdog", "install", "launch", "close"}, h.shell.Calls()); diff != "" {
		t.Errorf("pod commands mismatch (-want +got):\n%s", diff)
	}
	if !slices.Contains(h.shell.stdin, "JIT-SECRET-gha-77-1-z01234\n") {
		t.Errorf("the JIT config did not reach the launch on stdin: %q", h.shell.stdin)
	}
	if strings.Contains(h.out.String(), "JIT-SECRET") && !strings.Contains(h.out.String(), "::add-mask::JIT-SECRET") {
		t.Error("the JIT config reached stdout unmasked")
	}
	for _, want := range []string{"| wait-online |", "| GPU | 1 × NVIDIA A40 |", "$0.500/hour"} {
		if !strings.Contains(h.summary(t), want) {
			t.Errorf("summary lacks %q:\n%s", want, h.summary(t))
		}
	}
}

func TestStartMovesToNextGPUTypeOnCapacity(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"gpu-types": "NVIDIA A40, NVIDIA L4", "data-center-ids": "EU-RO-1"})
	h.pods.createErrs["NVIDIA A40"] = &runpod.Error{Op: "create", Class: runpod.Capacity, Message: "no longer any instances available"}
	if err := Start(context.Background(), h.config(t, false), h.deps()); err != nil {
		t.Fatalf("Start() = %v\n%s", err, h.out.String())
	}
	creates := slices.DeleteFunc(h.pods.Calls(), func(c string) bool { return !strings.HasPrefix(c, "create") })
	if diff := cmp.Diff([]string{"create NVIDIA A40", "create NVIDIA L4"}, creates); diff != "" {
		t.Errorf("creates mismatch (-want +got):\n%s", diff)
	}
	if got := fileCommands(t, h.files["GITHUB_OUTPUT"])["gpu-type"]; got != "NVIDIA L4" {
		t.Errorf("gpu-type = %q, want NVIDIA L4", got)
	}
	if !strings.Contains(h.summary(t), "| NVIDIA A40 | EU-RO-1 | capacity:") {
		t.Errorf("summary lacks the failed attempt:\n%s", h.summary(t))
	}
}

func TestStartUnknownGPUTypeCreatesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"gpu-types": "UNKNOWN GPU"})
	err := Start(context.Background(), h.config(t, false), h.deps())
	var pe *PhaseError
	if !errors.As(err, &pe) || pe.Phase != "jit" || !strings.Contains(err.Error(), `RunPod has no GPU type "UNKNOWN GPU"`) {
		t.Fatalf("Start() = %v, want a jit-phase error naming the GPU type", err)
	}
	if h.pods.created != 0 || len(h.runners.runners) != 0 {
		t.Errorf("pods created %d, runners left %d; want none", h.pods.created, len(h.runners.runners))
	}
}

// TestWatchdogOnEveryPod: REST v2 has no terminateAfter, and GraphQL's is not documented to be
// enforced, so the pod itself ends at max-runtime-minutes whichever API made it.
func TestWatchdogOnEveryPod(t *testing.T) {
	t.Parallel()
	for _, api := range []string{"rest", "graphql"} {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, map[string]string{"runpod-api": api})
			if err := Start(context.Background(), h.config(t, false), h.deps()); err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(h.shell.Calls(), "watchdog") {
				t.Errorf("no watchdog on a pod made over %s", api)
			}
		})
	}
}

func TestCloudAllOnRESTTriesBothClouds(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"cloud-type": "ALL", "gpu-types": "NVIDIA A40, NVIDIA L4"})
	s := &start{cfg: h.config(t, false)}
	want := []candidate{
		{gpuType: "NVIDIA A40", cloud: "SECURE"}, {gpuType: "NVIDIA A40", cloud: "COMMUNITY"},
		{gpuType: "NVIDIA L4", cloud: "SECURE"}, {gpuType: "NVIDIA L4", cloud: "COMMUNITY"},
	}
	if diff := cmp.Diff(want, s.candidates(), cmp.AllowUnexported(candidate{})); diff != "" {
		t.Errorf("candidates mismatch (-want +got):\n%s", diff)
	}
}

// TestStartRefusedEverywhereFailsAtOnce: RunPod's createPod says to move past a 400 or 403
// on one candidate, but when every candidate is refused the request (400) or the key (403) is
// at fault, and sweeping again until the create phase's deadline cannot help
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, createPod).
func TestStartRefusedEverywhereFailsAtOnce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		err   *runpod.Error
		class runpod.Class
		want  string
	}{
		{name: "all_403_is_the_key", err: &runpod.Error{Op: "create", Class: runpod.Forbidden, Status: 403, Message: "access denied"},
			class: runpod.Auth, want: "runpod-api-key"},
		{name: "all_same_400_is_the_request", err: &runpod.Error{Op: "create", Class: runpod.Rejected, Status: 400, Message: "gpu.count 9 is above the maximum"},
			class: runpod.Invalid, want: "gpu.count 9 is above the maximum"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, map[string]string{"gpu-types": "NVIDIA A40, NVIDIA L4", "data-center-ids": "EU-RO-1, EUR-IS-1"})
			h.pods.createErrs["NVIDIA A40"], h.pods.createErrs["NVIDIA L4"] = tc.err, tc.err
			err := Start(context.Background(), h.config(t, false), h.deps())
			if runpod.ClassOf(err) != tc.class || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Start() = %v (class %v), want class %v naming %q", err, runpod.ClassOf(err), tc.class, tc.want)
			}
			creates := slices.DeleteFunc(h.pods.Calls(), func(c string) bool { return !strings.HasPrefix(c, "create") })
			if len(creates) != 4 || h.pods.created != 0 {
				t.Errorf("creates %q (%d made), want one sweep of 4 and no pod", creates, h.pods.created)
			}
		})
	}
}

// TestDownloadTokenReachesThePodOnStdin: GitHub Enterprise Server can hand out a
// temp_download_token with the runner package, to be sent as a Bearer token
// (https://docs.github.com/en/enterprise-server@3.14/rest/actions/self-hosted-runners,
// list-runner-applications); it is masked and goes on stdin, never on a command line.
func TestDownloadTokenReachesThePodOnStdin(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.runners.dlToken = "GHES-DOWNLOAD-TOKEN"
	if err := Start(context.Background(), h.config(t, false), h.deps()); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(h.shell.stdin, func(in string) bool { return strings.Contains(in, "\nGHES-DOWNLOAD-TOKEN\n") }) {
		t.Errorf("the download token did not reach the setup's stdin: %q", h.shell.stdin)
	}
	if !strings.Contains(h.out.String(), "::add-mask::GHES-DOWNLOAD-TOKEN") {
		t.Error("the download token was not masked")
	}
	if slices.ContainsFunc(h.shell.cmds, func(c string) bool { return strings.Contains(c, "GHES-DOWNLOAD-TOKEN") }) {
		t.Error("the download token is on a command line")
	}
}

// TestTemplateKeepsItsDisk: with template-id, explicit fields override the template's
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, CreatePodRequest.templateId),
// so the container disk is sent only when container-disk-gb is given.
func TestTemplateKeepsItsDisk(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		inputs map[string]string
		want   int
	}{
		{name: "template_alone", inputs: map[string]string{"template-id": "tpl1"}, want: 0},
		{name: "template_and_disk", inputs: map[string]string{"template-id": "tpl1", "container-disk-gb": "50"}, want: 50},
		{name: "image_default", inputs: map[string]string{}, want: 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tc.inputs)
			h.pods.templates = map[string]runpod.Template{"tpl1": {ID: "tpl1"}} // a template the key can read
			if err := Start(context.Background(), h.config(t, false), h.deps()); err != nil {
				t.Fatal(err)
			}
			if got := h.pods.lastCreate.ContainerDiskGB; got != tc.want {
				t.Errorf("container disk sent %d, want %d (0: not sent)", got, tc.want)
			}
		})
	}
}

// TestStartOneReportsNoCapacity: StartOne tells the autoscaler's breakers which GPU types and
// data centers had no capacity on the way, and where the pod was made.
func TestStartOneReportsNoCapacity(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"gpu-types": "NVIDIA A40, NVIDIA L4", "data-center-ids": "EU-RO-1"})
	h.pods.createErrs["NVIDIA A40"] = &runpod.Error{Op: "create", Class: runpod.Capacity, Message: "no longer any instances available"}
	st, err := StartOne(context.Background(), h.config(t, false), h.deps())
	if err != nil {
		t.Fatalf("StartOne() = %v\n%s", err, h.out.String())
	}
	want := Started{GPUType: "NVIDIA L4", DataCenter: "EU-RO-1", NoCapacity: []string{"NVIDIA A40"}, NoCapacityDataCenters: []string{"EU-RO-1"}}
	got := Started{GPUType: st.GPUType, DataCenter: st.DataCenter, NoCapacity: st.NoCapacity, NoCapacityDataCenters: st.NoCapacityDataCenters}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("started (-want +got):\n%s", diff)
	}
}
