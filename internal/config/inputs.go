package config

// Input names as action.yml declares them. The runner hands each to the container as
// INPUT_<NAME> with the hyphens kept (INPUT_GPU-TYPES).
const (
	InMode                  = "mode"
	InRunPodAPIKey          = "runpod-api-key"
	InGitHubToken           = "github-token"
	InGPUTypes              = "gpu-types"
	InGPUCount              = "gpu-count"
	InCloudType             = "cloud-type"
	InDataCenterIDs         = "data-center-ids"
	InImage                 = "image"
	InTemplateID            = "template-id"
	InContainerDiskGB       = "container-disk-gb"
	InVolumeGB              = "volume-gb"
	InVolumeMountPath       = "volume-mount-path"
	InNetworkVolumeID       = "network-volume-id"
	InMinVCPUCount          = "min-vcpu-count"
	InMinMemoryGB           = "min-memory-gb"
	InMinCUDAVersion        = "min-cuda-version"
	InEnv                   = "env"
	InPorts                 = "ports"
	InLabel                 = "label"
	InPodID                 = "pod-id"
	InPodName               = "pod-name"
	InRunners               = "runners"
	InFanOut                = "fan-out"
	InMinRunners            = "min-runners"
	InReuse                 = "reuse"
	InResumeFallback        = "resume-fallback"
	InMaxRuntimeMinutes     = "max-runtime-minutes"
	InStartupTimeoutMinutes = "startup-timeout-minutes"
	InRepository            = "repository"
	InOrganization          = "organization"
	InRunnerGroup           = "runner-group"
	InRunnerLabels          = "runner-labels"
	InRunnerVersion         = "runner-version"
	InRunnerDownloadURL     = "runner-download-url"
	InRunnerSHA256          = "runner-sha256"
	InRunnerDir             = "runner-dir"
	InPreRunnerScript       = "pre-runner-script"
	InSSHPrivateKey         = "ssh-private-key"
	InSSHUser               = "ssh-user"
	InAuthorizedKeys        = "authorized-keys"
	InMaxAge                = "max-age"
	InKeepStopped           = "keep-stopped"
	InDryRun                = "dry-run"
	InPushgatewayURL        = "pushgateway-url"
	InOnStop                = "on-stop"
	InOnFailure             = "on-failure"
	InScope                 = "scope"
	InForce                 = "force"
	InRunPodAPI             = "runpod-api"
	InRunPodAPIURL          = "runpod-api-url"
	InGitHubAPIURL          = "github-api-url"
)

// Input describes one input of action.yml as the code sees it.
type Input struct {
	Name    string
	Default string
	Secret  bool
}

// Inputs lists every input the action reads, with the default action.yml declares for it.
// A test keeps this table and action.yml in step.
func Inputs() []Input {
	return []Input{
		{Name: InMode, Default: "start"},
		{Name: InRunPodAPIKey, Secret: true},
		{Name: InGitHubToken, Secret: true},
		{Name: InGPUTypes},
		{Name: InGPUCount},
		{Name: InCloudType, Default: "SECURE"},
		{Name: InDataCenterIDs},
		{Name: InImage},
		{Name: InTemplateID},
		{Name: InContainerDiskGB},
		{Name: InVolumeGB, Default: "0"},
		{Name: InVolumeMountPath, Default: "/workspace"},
		{Name: InNetworkVolumeID},
		{Name: InMinVCPUCount, Default: "0"},
		{Name: InMinMemoryGB, Default: "0"},
		{Name: InMinCUDAVersion},
		{Name: InEnv},
		{Name: InPorts},
		{Name: InLabel},
		{Name: InPodID},
		{Name: InPodName},
		{Name: InRunners, Default: "1"},
		{Name: InFanOut, Default: FanOutNone},
		{Name: InMinRunners},
		{Name: InReuse, Default: "false"},
		{Name: InResumeFallback, Default: FallbackCreate},
		{Name: InMaxRuntimeMinutes, Default: "360"},
		{Name: InStartupTimeoutMinutes, Default: "15"},
		{Name: InRepository},
		{Name: InOrganization},
		{Name: InRunnerGroup},
		{Name: InRunnerLabels},
		{Name: InRunnerVersion, Default: "latest"},
		{Name: InRunnerDownloadURL},
		{Name: InRunnerSHA256},
		{Name: InRunnerDir},
		{Name: InPreRunnerScript},
		{Name: InSSHPrivateKey, Secret: true},
		{Name: InSSHUser, Default: "root"},
		{Name: InAuthorizedKeys},
		{Name: InMaxAge, Default: "24h"},
		{Name: InKeepStopped, Default: "7d"},
		{Name: InDryRun, Default: "false"},
		{Name: InPushgatewayURL},
		{Name: InOnStop, Default: "terminate"},
		{Name: InOnFailure, Default: "terminate"},
		{Name: InScope, Default: string(ScopeAuto)},
		{Name: InForce, Default: "false"},
		{Name: InRunPodAPI, Default: APIREST},
		{Name: InRunPodAPIURL},
		{Name: InGitHubAPIURL},
	}
}

// How one start call spreads its runners over the GPU types.
const (
	FanOutNone       = "none"         // every runner may take any GPU type, in order
	FanOutPerGPUType = "per-gpu-type" // runners on each listed GPU type
)

// MaxRunners is the most runners one start call makes.
const MaxRunners = 32

// What start does when RunPod cannot resume a stopped pod (its host lost its GPUs).
const (
	FallbackCreate = "create"
	FallbackFail   = "fail"
)

// The RunPod APIs the action speaks.
const (
	APIREST    = "rest"
	APIGraphQL = "graphql"
)

// DefaultImage is the pod image used when neither image nor template-id is given: a RunPod
// image whose /start.sh installs PUBLIC_KEY and starts sshd.
const DefaultImage = "runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04"
