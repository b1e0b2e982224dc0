package config

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// env builds a getenv over a minimal valid start: the two secrets, a GPU type and the run.
func env(inputs map[string]string) func(string) string {
	m := map[string]string{
		"INPUT_RUNPOD-API-KEY": "rpa_key",
		"INPUT_GITHUB-TOKEN":   "ghp_token",
		"INPUT_GPU-TYPES":      "NVIDIA A40",
		"GITHUB_REPOSITORY":    "octo/repo",
		"GITHUB_RUN_ID":        "42",
		"GITHUB_RUN_ATTEMPT":   "2",
	}
	for k, v := range inputs {
		if strings.HasPrefix(k, "GITHUB_") {
			m[k] = v
		} else {
			m["INPUT_"+strings.ToUpper(k)] = v
		}
	}
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	got, err := Load(env(nil), false)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Mode: ModeStart, RunPodAPIKey: "rpa_key", GitHubToken: "ghp_token",
		GPUTypes: []string{"NVIDIA A40"}, GPUCount: 1, CloudType: "SECURE", Image: DefaultImage,
		ContainerDiskGB: 20, VolumeMountPath: "/workspace", MaxRuntime: 6 * time.Hour, StartupTimeout: 15 * time.Minute,
		ResumeFallback: FallbackCreate, Runners: 1, FanOut: FanOutNone, MinRunners: 1,
		Owner: "octo", Repo: "repo", RunnerVersion: "latest", SSHUser: "root",
		OnStop: TerminatePod, OnFailure: TerminatePod, Scope: ScopeAuto,
		RunPodAPI: APIREST, RunPodAPIURL: "https://api.runpod.io", GitHubAPIURL: "https://api.github.com",
		MaxAge: 24 * time.Hour, KeepStopped: 7 * 24 * time.Hour,
		Run: Run{ID: "42", Attempt: "2", Repository: "octo/repo", ServerURL: "https://github.com"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load() mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadEveryInput(t *testing.T) {
	t.Parallel()
	got, err := Load(env(map[string]string{
		"mode": "START", "gpu-types": "NVIDIA GeForce RTX 4090,\nNVIDIA RTX A6000\n, NVIDIA GeForce RTX 4090",
		"gpu-count": "2", "cloud-type": "community", "data-center-ids": "eu-ro-1, US-TX-3",
		"template-id": "runpod-torch-v21", "container-disk-gb": "50", "volume-gb": "100", "volume-mount-path": "/data",
		"network-volume-id": "abc123def", "min-vcpu-count": "8", "min-memory-gb": "32", "min-cuda-version": "12.4",
		"env": "# comment\nHF_HOME=/data/hf\n\nEMPTY=\nURL=a=b", "ports": "8888/http, 22/tcp,9000/tcp",
		"label": "gpu-a", "max-runtime-minutes": "120", "startup-timeout-minutes": "10",
		"pod-name": "gpu-box", "reuse": "FALSE", "resume-fallback": "fail", "ssh-private-key": "PRIVATE KEY",
		"runners": "2", "fan-out": "per-gpu-type", "min-runners": "3",
		"repository": "other/place", "organization": "octo-org", "runner-group": "gpu runners",
		"runner-labels": "gpu, a100", "runner-version": "2.338.0",
		"runner-download-url": "https://mirror.example/runner.tar.gz", "runner-sha256": strings.Repeat("AB", 32),
		"runner-dir": "~/runner", "pre-runner-script": "apt-get install -y curl", "ssh-user": "ubuntu",
		"on-stop": "stop", "on-failure": "keep", "scope": "Run", "runpod-api": "GraphQL", "runpod-api-url": "http://127.0.0.1:1/graphql",
		"github-api-url": "https://ghe.example/api/v3",
	}), false)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Mode: ModeStart, RunPodAPIKey: "rpa_key", GitHubToken: "ghp_token",
		GPUTypes: []string{"NVIDIA GeForce RTX 4090", "NVIDIA RTX A6000"}, GPUCount: 2, GPUCountSet: true, CloudType: "COMMUNITY",
		DataCenterIDs: []string{"EU-RO-1", "US-TX-3"}, TemplateID: "runpod-torch-v21", ContainerDiskGB: 50, ContainerDiskSet: true,
		VolumeGB: 100, VolumeMountPath: "/data", NetworkVolumeID: "abc123def", MinVCPUCount: 8, MinMemoryGB: 32,
		MinCUDAVersion: "12.4", Env: []EnvVar{{"HF_HOME", "/data/hf"}, {"EMPTY", ""}, {"URL", "a=b"}},
		Ports: []string{"8888/http", "9000/tcp"}, Label: "gpu-a", MaxRuntime: 2 * time.Hour, StartupTimeout: 10 * time.Minute,
		PodName: "gpu-box", ResumeFallback: FallbackFail, Runners: 2, FanOut: FanOutPerGPUType, MinRunners: 3,
		Owner: "other", Repo: "place", Organization: "octo-org", RunnerGroup: "gpu runners", RunnerLabels: []string{"gpu", "a100"},
		RunnerVersion: "2.338.0", RunnerDownloadURL: "https://mirror.example/runner.tar.gz", RunnerSHA256: strings.Repeat("ab", 32),
		RunnerDir: "~/runner", PreRunnerScript: "apt-get install -y curl", SSHPrivateKey: "PRIVATE KEY", SSHUser: "ubuntu",
		OnStop: StopPod, OnFailure: KeepPod, Scope: ScopeRun, RunPodAPI: APIGraphQL, RunPodAPIURL: "http://127.0.0.1:1/graphql",
		GitHubAPIURL: "https://ghe.example/api/v3", MaxAge: 24 * time.Hour, KeepStopped: 7 * 24 * time.Hour,
		Run: Run{ID: "42", Attempt: "2", Repository: "octo/repo", ServerURL: "https://github.com"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load() mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadPostAndStop(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		inputs map[string]string
		isPost bool
		want   Mode
	}{
		{name: "stop_needs_no_gpu_types", inputs: map[string]string{"mode": "stop", "gpu-types": ""}, want: ModeStop},
		{name: "post_whatever_the_mode", inputs: map[string]string{"mode": "start", "gpu-types": ""}, isPost: true, want: ModePost},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Load(env(tc.inputs), tc.isPost)
			if err != nil {
				t.Fatal(err)
			}
			if got.Mode != tc.want {
				t.Errorf("Mode = %q, want %q", got.Mode, tc.want)
			}
		})
	}
}

// inputErrors returns "input: problem" for each error Load joined.
func inputErrors(t *testing.T, err error) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ie *InputError
		if !errors.As(e, &ie) {
			t.Fatalf("error %v is not an *InputError", e)
		}
		if _, dup := out[ie.Input]; dup {
			t.Errorf("input %s reported twice", ie.Input)
		}
		out[ie.Input] = ie.Problem
	}
	return out
}
