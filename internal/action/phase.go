package action

import (
	"context"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/config"
)

// Phase names a part of a start. The name is what errors, summaries and the saved state (read
// by the post step) call it.
type Phase string

// The phases of a start, in order; PhaseReady is saved once the runner is online.
const (
	PhaseConfig     Phase = "config"
	PhaseJIT        Phase = "jit"
	PhaseCreate     Phase = "create"
	PhaseWaitReady  Phase = "wait-ready"
	PhaseSSH        Phase = "ssh"
	PhasePreflight  Phase = "preflight"
	PhaseWatchdog   Phase = "watchdog"
	PhasePreRunner  Phase = "pre-runner"
	PhaseInstall    Phase = "install"
	PhaseLaunch     Phase = "launch"
	PhaseWaitOnline Phase = "wait-online"
	PhaseOutputs    Phase = "outputs"
	PhaseFanOut     Phase = "fan-out"
	PhaseReady      Phase = "ready"
)

// phaseSpec is everything about one phase: its log group's title, how long it may take, what a
// user can do when it fails (unless the error says something more precise), and the work.
type phaseSpec struct {
	phase Phase
	title string
	// limit bounds the phase; nil means only the startup deadline does.
	limit func(cfg *config.Config) time.Duration
	hint  string
	// run does the phase's work; nil for the phases the start does not run one by one.
	run func(s *start, ctx context.Context) error
	// pastDeadline: the phase runs after the startup deadline has no more say (a runner that
	// came online at the last moment still gets its outputs).
	pastDeadline bool
}

func fixed(d time.Duration) func(*config.Config) time.Duration {
	return func(*config.Config) time.Duration { return d }
}

// phases is the one table of phases, in the order a start runs them.
var phases = []phaseSpec{
	{phase: PhaseConfig, title: "Read the inputs"},
	{phase: PhaseJIT, title: "Register a just-in-time runner and check the RunPod key", limit: fixed(2 * time.Minute),
		run: (*start).register},
	{phase: PhaseCreate, title: "Create the pod", run: (*start).provisionPod,
		limit: func(cfg *config.Config) time.Duration { return cfg.StartupTimeout / 3 }},
	{phase: PhaseWaitReady, title: "Wait for the pod to publish SSH", run: (*start).waitReady,
		hint: "The pod never published port 22: the image pull or the container's start failed, or the pod got no public IP (community cloud); see the pod log above."},
	{phase: PhaseSSH, title: "Connect over SSH", limit: fixed(5 * time.Minute), run: (*start).connect,
		hint: "The pod did not accept the SSH key: the image must append PUBLIC_KEY to ~/.ssh/authorized_keys and start sshd, as RunPod's /start.sh does."},
	// One command on the pod does preflight through launch; the phase moves on as the pod
	// reports each part, so the parts after preflight have no work of their own here.
	{phase: PhasePreflight, title: "Check the pod, install the runner and start it", limit: fixed(setupLimit), run: (*start).setup},
	{phase: PhaseWatchdog, title: "Start the max-runtime watchdog on the pod"},
	{phase: PhasePreRunner, title: "Run pre-runner-script", hint: "pre-runner-script failed on the pod: its output is above."},
	{phase: PhaseInstall, title: "Install the runner",
		hint: "Installing the runner failed: check that the pod can reach the download URL and has curl, tar and sha256sum (pre-runner-script can install them)."},
	{phase: PhaseLaunch, title: "Start the runner", hint: hintOffline},
	{phase: PhaseWaitOnline, title: "Wait for the runner to come online", run: (*start).waitOnline, hint: hintOffline},
	{phase: PhaseOutputs, title: "Outputs", run: (*start).finish, pastDeadline: true},
	{phase: PhaseFanOut, title: "Runners of a fan-out"},
}

const hintOffline = "The runner did not come online: read the runner log tail above; check that the token's repository or organization matches and that the pod can reach github.com."

// spec returns the table's row for p; an unknown phase has only its name.
func (p Phase) spec() phaseSpec {
	for _, s := range phases {
		if s.phase == p {
			return s
		}
	}
	return phaseSpec{phase: p, title: string(p)}
}
