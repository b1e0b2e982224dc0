package config

import (
	"strings"
	"testing"
)

// badInputs is the table of malformed inputs: each must give exactly one error, naming the
// input and what is allowed.
var badInputs = []struct {
	name   string
	inputs map[string]string
	input  string // the input the error names
	want   string // part of the problem
}{
	{name: "unknown_mode", inputs: map[string]string{"mode": "launch"}, input: InMode, want: `must be one of start, stop, sweep, got "launch"`},
	{name: "max_age_words", inputs: map[string]string{"mode": "sweep", "max-age": "a day"}, input: InMaxAge, want: "such as 30m, 12h or 7d"},
	{name: "keep_stopped_negative", inputs: map[string]string{"mode": "sweep", "keep-stopped": "-1h"}, input: InKeepStopped, want: "0 for no limit"},
	{name: "dry_run_maybe", inputs: map[string]string{"mode": "sweep", "dry-run": "maybe"}, input: InDryRun, want: "true or false"},
	{name: "missing_runpod_key", inputs: map[string]string{"runpod-api-key": ""}, input: InRunPodAPIKey, want: "is required"},
	{name: "missing_github_token", inputs: map[string]string{"github-token": ""}, input: InGitHubToken, want: "GITHUB_TOKEN cannot"},
	{name: "gpu_count_zero", inputs: map[string]string{"gpu-count": "0"}, input: InGPUCount, want: `from 1 to 8, got "0"`},
	{name: "gpu_count_word", inputs: map[string]string{"gpu-count": "two"}, input: InGPUCount, want: `got "two"`},
	{name: "gpu_count_too_many", inputs: map[string]string{"gpu-count": "9"}, input: InGPUCount, want: "from 1 to 8"},
	{name: "gpu_types_missing", inputs: map[string]string{"gpu-types": ""}, input: InGPUTypes, want: "is required to create a pod"},
	{name: "gpu_types_only_separators", inputs: map[string]string{"gpu-types": " ,\n, "}, input: InGPUTypes, want: "is required"},
	{name: "gpu_type_bad_chars", inputs: map[string]string{"gpu-types": "NVIDIA A40;rm -rf"}, input: InGPUTypes, want: "RunPod GPU type id"},
	{name: "cloud_type_unknown", inputs: map[string]string{"cloud-type": "PRIVATE"}, input: InCloudType, want: "SECURE, COMMUNITY, ALL"},
	{name: "data_center_malformed", inputs: map[string]string{"data-center-ids": "EU-RO-1, europe"}, input: InDataCenterIDs, want: `got "EUROPE"`},
	{name: "data_center_lists_valid_ids", inputs: map[string]string{"data-center-ids": "EU_RO_1"}, input: InDataCenterIDs, want: "(AP-JP-1, CA-MTL-1, CA-MTL-2"},
	{name: "image_with_space", inputs: map[string]string{"image": "runpod/base latest"}, input: InImage, want: "container image reference"},
	{name: "image_and_template", inputs: map[string]string{"image": "runpod/base:1", "template-id": "tpl1"}, input: InTemplateID, want: "cannot be used with image"},
	{name: "template_bad", inputs: map[string]string{"template-id": "a/b"}, input: InTemplateID, want: "RunPod template id"},
	{name: "container_disk_small", inputs: map[string]string{"container-disk-gb": "1"}, input: InContainerDiskGB, want: "from 5 to 2000"},
	{name: "volume_negative", inputs: map[string]string{"volume-gb": "-5"}, input: InVolumeGB, want: "from 0 to 10000"},
	{name: "mount_path_relative", inputs: map[string]string{"volume-mount-path": "workspace"}, input: InVolumeMountPath, want: "absolute path"},
	{name: "network_volume_upper", inputs: map[string]string{"network-volume-id": "ABC-123"}, input: InNetworkVolumeID, want: "network volume id"},
	{name: "min_vcpu_float", inputs: map[string]string{"min-vcpu-count": "2.5"}, input: InMinVCPUCount, want: "whole number"},
	{name: "min_memory_huge", inputs: map[string]string{"min-memory-gb": "99999"}, input: InMinMemoryGB, want: "from 0 to 4096"},
	{name: "min_vcpu_on_rest", inputs: map[string]string{"min-vcpu-count": "8"}, input: InMinVCPUCount, want: "works only with runpod-api: graphql"},
	{name: "small_volume_on_rest", inputs: map[string]string{"volume-gb": "5"}, input: InVolumeGB, want: "at least 10 with runpod-api: rest"},
	{name: "runpod_api_unknown", inputs: map[string]string{"runpod-api": "grpc"}, input: InRunPodAPI, want: "must be one of rest, graphql"},
	{name: "cuda_version_word", inputs: map[string]string{"min-cuda-version": "latest"}, input: InMinCUDAVersion, want: "CUDA version such as 12.4"},
	{name: "env_no_equals", inputs: map[string]string{"env": "FOO=1\nBAR"}, input: InEnv, want: "line 2 must be KEY=VALUE"},
	{name: "env_bad_key", inputs: map[string]string{"env": "1FOO=x"}, input: InEnv, want: "line 1 must be KEY=VALUE"},
	{name: "env_public_key", inputs: map[string]string{"env": "PUBLIC_KEY=ssh-ed25519 AAAA"}, input: InEnv, want: "sets PUBLIC_KEY, which the action sets itself"},
	{name: "env_marker", inputs: map[string]string{"env": "RUNPOD_RUNNER_RUN=1"}, input: InEnv, want: "which the action sets itself"},
	{name: "env_duplicate", inputs: map[string]string{"env": "A=1\nA=2"}, input: InEnv, want: "sets A a second time"},
	{name: "port_no_protocol", inputs: map[string]string{"ports": "8888"}, input: InPorts, want: "PORT/tcp or PORT/http"},
	{name: "port_udp", inputs: map[string]string{"ports": "53/udp"}, input: InPorts, want: "PORT/tcp or PORT/http"},
	{name: "port_out_of_range", inputs: map[string]string{"ports": "70001/tcp"}, input: InPorts, want: "out of range"},
	{name: "label_too_long", inputs: map[string]string{"label": strings.Repeat("a", 49)}, input: InLabel, want: "at most 48 characters"},
	{name: "label_bad_chars", inputs: map[string]string{"label": "gpu/a100"}, input: InLabel, want: "only letters, digits and ._-"},
	{name: "label_leading_dash", inputs: map[string]string{"label": "-gpu"}, input: InLabel, want: "start with a letter or digit"},
	{name: "runner_label_space", inputs: map[string]string{"runner-labels": "gpu, big gpu"}, input: InRunnerLabels, want: `got "big gpu"`},
	{name: "pod_id_upper", inputs: map[string]string{"pod-id": "ABCDEF"}, input: InPodID, want: "RunPod pod id"},
	{name: "pod_id_with_template", inputs: map[string]string{"pod-id": "abcdef123", "template-id": "tpl"}, input: InTemplateID, want: "cannot be used with pod-id"},
	{name: "pod_id_with_image", inputs: map[string]string{"pod-id": "abcdef123", "image": "runpod/base:1"}, input: InImage, want: "cannot be used with pod-id"},
	{name: "runners_zero", inputs: map[string]string{"runners": "0"}, input: InRunners, want: "from 1 to 32"},
	{name: "runners_too_many_in_all", inputs: map[string]string{"runners": "20", "fan-out": "per-gpu-type", "gpu-types": "NVIDIA A40, NVIDIA L4"}, input: InRunners, want: "asks for 40 runners in all"},
	{name: "runners_with_pod_id", inputs: map[string]string{"runners": "2", "pod-id": "abcdef123"}, input: InRunners, want: "must be 1 with pod-id or reuse"},
	{name: "fan_out_unknown", inputs: map[string]string{"fan-out": "per-region"}, input: InFanOut, want: "must be one of none, per-gpu-type"},
	{name: "min_runners_above_legs", inputs: map[string]string{"runners": "2", "min-runners": "3"}, input: InMinRunners, want: "more than the 2 runners"},
	{name: "reuse_with_pod_id", inputs: map[string]string{"pod-id": "abcdef123", "reuse": "true"}, input: InReuse, want: "cannot be used with pod-id"},
	{name: "reuse_not_bool", inputs: map[string]string{"reuse": "yes"}, input: InReuse, want: `must be true or false, got "yes"`},
	{name: "reuse_graphql_without_key", inputs: map[string]string{"reuse": "true", "runpod-api": "graphql", "pod-name": "box"}, input: InSSHPrivateKey, want: "is required with reuse on runpod-api: graphql"},
	{name: "pod_name_bad", inputs: map[string]string{"pod-name": "my pod"}, input: InPodName, want: "only letters, digits and ._-"},
	{name: "resume_fallback_unknown", inputs: map[string]string{"resume-fallback": "retry"}, input: InResumeFallback, want: "must be one of create, fail"},
	{name: "max_runtime_zero", inputs: map[string]string{"max-runtime-minutes": "0"}, input: InMaxRuntimeMinutes, want: "from 5 to 7200"},
	{name: "startup_timeout_words", inputs: map[string]string{"startup-timeout-minutes": "ten"}, input: InStartupTimeoutMinutes, want: "number of minutes from 0.5 to 120"},
	{name: "startup_longer_than_runtime", inputs: map[string]string{"startup-timeout-minutes": "30", "max-runtime-minutes": "20"}, input: InStartupTimeoutMinutes, want: "shorter than max-runtime-minutes"},
	{name: "repository_no_slash", inputs: map[string]string{"repository": "repo"}, input: InRepository, want: "must be owner/name"},
	{name: "repository_missing", inputs: map[string]string{"GITHUB_REPOSITORY": ""}, input: InRepository, want: "is required outside GitHub Actions"},
	{name: "organization_bad", inputs: map[string]string{"organization": "my org"}, input: InOrganization, want: "organization login"},
	{name: "runner_version_word", inputs: map[string]string{"runner-version": "newest"}, input: InRunnerVersion, want: "latest or a version"},
	{name: "download_url_ftp", inputs: map[string]string{"runner-download-url": "ftp://x/r.tgz", "runner-sha256": strings.Repeat("a", 64)}, input: InRunnerDownloadURL, want: "http or https URL"},
	{name: "download_url_without_sha", inputs: map[string]string{"runner-download-url": "https://x/r.tar.gz"}, input: InRunnerSHA256, want: "is required with runner-download-url"},
	{name: "sha_short", inputs: map[string]string{"runner-sha256": "abc"}, input: InRunnerSHA256, want: "64 hex digits"},
	{name: "sha_without_source", inputs: map[string]string{"runner-sha256": strings.Repeat("a", 64)}, input: InRunnerSHA256, want: "needs runner-download-url"},
	{name: "runner_dir_relative", inputs: map[string]string{"runner-dir": "actions-runner"}, input: InRunnerDir, want: "absolute path or one under ~/"},
	{name: "runner_dir_shell", inputs: map[string]string{"runner-dir": "/opt/$(id)"}, input: InRunnerDir, want: "absolute path"},
	{name: "ssh_user_upper", inputs: map[string]string{"ssh-user": "Root"}, input: InSSHUser, want: "user name"},
	{name: "on_stop_keep", inputs: map[string]string{"on-stop": "keep"}, input: InOnStop, want: "terminate, stop"},
	{name: "on_failure_delete", inputs: map[string]string{"on-failure": "delete"}, input: InOnFailure, want: "terminate, stop, keep"},
	{name: "runpod_url_relative", inputs: map[string]string{"runpod-api-url": "/graphql"}, input: InRunPodAPIURL, want: "absolute http or https URL"},
	{name: "github_url_credentials", inputs: map[string]string{"github-api-url": "https://u:p@ghe.example/api/v3"}, input: InGitHubAPIURL, want: "must not carry credentials"},
	{name: "startup_timeout_nan", inputs: map[string]string{"startup-timeout-minutes": "NaN"}, input: InStartupTimeoutMinutes, want: `from 0.5 to 120, got "NaN"`},
	{name: "startup_timeout_inf", inputs: map[string]string{"startup-timeout-minutes": "Inf"}, input: InStartupTimeoutMinutes, want: `got "Inf"`},
	{name: "startup_timeout_minus_inf", inputs: map[string]string{"startup-timeout-minutes": "-Inf"}, input: InStartupTimeoutMinutes, want: `got "-Inf"`},
	{name: "max_runtime_nan", inputs: map[string]string{"max-runtime-minutes": "NaN"}, input: InMaxRuntimeMinutes, want: "whole number"},
	{name: "gpu_count_inf", inputs: map[string]string{"gpu-count": "Inf"}, input: InGPUCount, want: "whole number"},
	{name: "reuse_without_a_name", inputs: map[string]string{"reuse": "true"}, input: InReuse, want: "needs pod-name or label"},
	{name: "runpod_url_http_remote", inputs: map[string]string{"runpod-api-url": "http://api.runpod.io"}, input: InRunPodAPIURL, want: "http is allowed only for a loopback host"},
	{name: "github_url_http_remote", inputs: map[string]string{"github-api-url": "http://10.0.0.1/api/v3"}, input: InGitHubAPIURL, want: "must be https"},
	{name: "scope_unknown", inputs: map[string]string{"mode": "stop", "scope": "all"}, input: InScope, want: "must be one of auto, pod, label, run"},
	{name: "scope_label_without_label", inputs: map[string]string{"mode": "stop", "scope": "label"}, input: InScope, want: "needs the label input"},
	{name: "force_not_bool", inputs: map[string]string{"mode": "stop", "pod-id": "abcdef123", "force": "yes"}, input: InForce, want: "must be true or false"},
	{name: "force_without_pod_id", inputs: map[string]string{"mode": "stop", "force": "true"}, input: InForce, want: "works only with pod-id"},
}

func TestLoadBadInput(t *testing.T) {
	t.Parallel()
	for _, tc := range badInputs {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(env(tc.inputs), false)
			if err == nil {
				t.Fatal("Load() succeeded, want an error")
			}
			got := inputErrors(t, err)
			if len(got) != 1 {
				t.Fatalf("Load() reported %d inputs, want 1 (%s): %v", len(got), tc.input, got)
			}
			if !strings.Contains(got[tc.input], tc.want) {
				t.Errorf("problem with %s = %q, want it to contain %q", tc.input, got[tc.input], tc.want)
			}
		})
	}
}

func TestLoadReportsEveryBadInputAtOnce(t *testing.T) {
	t.Parallel()
	_, err := Load(env(map[string]string{"gpu-count": "0", "cloud-type": "X", "label": "a b", "on-stop": "x"}), false)
	got := inputErrors(t, err)
	for _, in := range []string{InGPUCount, InCloudType, InLabel, InOnStop} {
		if got[in] == "" {
			t.Errorf("no error for %s; got %v", in, got)
		}
	}
}

func TestLoadNeverEchoesSecrets(t *testing.T) {
	t.Parallel()
	_, err := Load(env(map[string]string{"runpod-api-key": "", "ssh-private-key": "-----BEGIN SECRET-----", "pod-id": "Bad"}), false)
	if err == nil || strings.Contains(err.Error(), "BEGIN SECRET") || strings.Contains(err.Error(), "ghp_token") {
		t.Errorf("Load() error = %v; it must fail without holding a secret", err)
	}
}
