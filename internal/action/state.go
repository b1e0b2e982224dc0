package action

import (
	"regexp"
	"strconv"

	"github.com/runpod-runner/runpod-runner/internal/config"
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
	stateLegs      = "legs" // how many runners one start made, when more than one
	statePending   = "pending"

	// pendingJIT and pendingCreate say that a registration or a create was sent and its answer
	// is not known yet: it may have made a runner or a pod that nothing recorded.
	pendingJIT    = "jit"
	pendingCreate = "create"
	// pendingResume says a resume was sent: the pod (its id saved) may be running.
	pendingResume = "resume"
)

// Provision modes: how start came by its pod.
const (
	ProvisionCreated  = "created"
	ProvisionResumed  = "resumed"
	ProvisionExisting = "existing"
)

// MarkPost saves the flag that tells the post step it is the post step.
func MarkPost(d Deps) error { return d.WF.SaveState(stateIsPost, "true") }

// IsPost reports whether this run is the post step of a main step.
func IsPost(d Deps) bool { return d.WF.State(stateIsPost) == "true" }

// saved is what a main step left for its post step.
type saved struct {
	Phase     Phase
	Pending   string
	Label     string
	PodName   string
	PodID     string
	Provision string
	RunnerID  int64
	Cleaned   bool
}

// The forms of the saved values; a value of another form was not written by the main step
// (the post step trusts only what it wrote) and is taken as absent.
var (
	reSavedPodID    = regexp.MustCompile(`^[a-z0-9]{6,40}$`)
	reSavedRunnerID = regexp.MustCompile(`^[1-9][0-9]{0,17}$`)
	reSavedWord     = regexp.MustCompile(`^[a-z-]{0,20}$`)
)

func loadSaved(d Deps, prefix string) saved {
	get := func(name string) string { return d.WF.State(prefix + name) }
	checked := func(name string, ok bool) string {
		if v := get(name); ok || v == "" {
			return v
		}
		d.WF.Warningf("Ignored the saved %s%s: it is not a value the start step writes.", prefix, name)
		return ""
	}
	id, _ := strconv.ParseInt(checked(stateRunnerID, reSavedRunnerID.MatchString(get(stateRunnerID))), 10, 64)
	for _, w := range []string{statePhase, statePending, stateProvision} {
		checked(w, reSavedWord.MatchString(get(w)))
	}
	s := saved{
		Phase:     Phase(get(statePhase)),
		Pending:   get(statePending),
		Label:     get(stateLabel),
		PodName:   get(statePodName),
		PodID:     get(statePodID),
		Provision: get(stateProvision),
		RunnerID:  id,
		Cleaned:   get(stateCleaned) == "true",
	}
	if !reSavedPodID.MatchString(s.PodID) {
		s.PodID = checked(statePodID, false)
	}
	if config.LabelProblem(s.Label) != "" {
		s.Label = checked(stateLabel, false)
	}
	if config.LabelProblem(s.PodName) != "" {
		s.PodName = checked(statePodName, false)
	}
	if !reSavedWord.MatchString(string(s.Phase)) || !reSavedWord.MatchString(s.Pending) || !reSavedWord.MatchString(s.Provision) {
		s.Phase, s.Pending, s.Provision = "", "", ""
	}
	return s
}

// needed reports whether the post step has anything of this start (or leg) to clean up.
func (s saved) needed() bool {
	lost := s.Label != "" && s.Pending != "" // made, maybe, but not recorded
	return s.Phase != PhaseReady && !s.Cleaned && (s.PodID != "" || s.RunnerID != 0 || lost)
}

// legPrefixes are the state name prefixes of a main step's starts: "" for one runner, else
// one per leg.
func legPrefixes(d Deps) []string {
	raw := d.WF.State(stateLegs)
	n, err := strconv.Atoi(raw)
	if raw != "" && (err != nil || n < 1 || n > config.MaxRunners) {
		d.WF.Warningf("Ignored the saved legs %q: a start saves 1 to %d.", raw, config.MaxRunners)
		n = 0
	}
	if n <= 0 {
		return []string{""}
	}
	out := make([]string, n)
	for i := range out {
		out[i] = legPrefix(i)
	}
	return out
}

func legPrefix(i int) string { return "leg" + strconv.Itoa(i+1) + "-" }

// PostNeeded reports whether the post step has anything to clean up.
func PostNeeded(d Deps) bool {
	for _, p := range legPrefixes(d) {
		if loadSaved(d, p).needed() {
			return true
		}
	}
	return false
}
