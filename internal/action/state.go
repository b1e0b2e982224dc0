package action

import (
	"strconv"
)

// Names of the values the main step saves for its post step. They are saved the moment they
// are known, so that a failed or killed main step leaves the post step what it needs.
const (
	stateIsPost    = "isPost"
	statePhase     = "phase"
	stateLabel     = "label"
	statePodName   = "pod-name"
	statePodID     = "pod-id"
	stateProvision = "provision-mode"
	stateRunnerID  = "runner-id"
	stateHostKey   = "host-key"
	stateCleaned   = "cleaned"
)

// Provision modes: how start came by its pod.
const (
	ProvisionCreated  = "created"
	ProvisionResumed  = "resumed"
	ProvisionExisting = "existing"
)

// PhaseReady is the last phase: the runner is online and the pod serves the job.
const PhaseReady = "ready"

// MarkPost saves the flag that tells the post step it is the post step.
func MarkPost(d Deps) error { return d.WF.SaveState(stateIsPost, "true") }

// IsPost reports whether this run is the post step of a main step.
func IsPost(d Deps) bool { return d.WF.State(stateIsPost) == "true" }

// saved is what a main step left for its post step.
type saved struct {
	Phase     string
	Label     string
	PodName   string
	PodID     string
	Provision string
	RunnerID  int64
	Cleaned   bool
}

func loadSaved(d Deps) saved {
	id, _ := strconv.ParseInt(d.WF.State(stateRunnerID), 10, 64)
	return saved{
		Phase:     d.WF.State(statePhase),
		Label:     d.WF.State(stateLabel),
		PodName:   d.WF.State(statePodName),
		PodID:     d.WF.State(statePodID),
		Provision: d.WF.State(stateProvision),
		RunnerID:  id,
		Cleaned:   d.WF.State(stateCleaned) == "true",
	}
}

// PostNeeded reports whether the post step has anything to clean up.
func PostNeeded(d Deps) bool {
	s := loadSaved(d)
	lost := s.Label != "" && (s.Phase == "jit" || s.Phase == "create") // made, maybe, but not recorded
	return s.Phase != PhaseReady && !s.Cleaned && (s.PodID != "" || s.RunnerID != 0 || lost)
}
