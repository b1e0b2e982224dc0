package action

import (
	"errors"
	"fmt"
	"strings"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// PhaseError is a start that failed in a phase.
type PhaseError struct {
	Phase Phase
	Err   error
}

func (e *PhaseError) Error() string { return fmt.Sprintf("%s: %v", e.Phase, e.Err) }
func (e *PhaseError) Unwrap() error { return e.Err }

// Problem is one thing that went wrong, as a user reads it: the phase it went wrong in ("" when
// not in a start's phase), the error, and what the user can do about this error ("" when there
// is nothing specific).
type Problem struct {
	Phase Phase
	Err   error
	Hint  string
}

// Problems splits err into the failures it joins, each with its own phase and hint: a phase
// that failed two ways (GitHub and RunPod at once) gives two problems, each with the hint for
// its own service.
func Problems(err error) []Problem {
	if err == nil {
		return nil
	}
	var out []Problem
	var pe *PhaseError
	if errors.As(err, &pe) && pe.Err != nil {
		for _, leaf := range config.Leaves(pe.Err) {
			hint := errorHint(leaf)
			if hint == "" {
				hint = pe.Phase.spec().hint
			}
			out = append(out, Problem{Phase: pe.Phase, Err: leaf, Hint: hint})
		}
		return out
	}
	for _, leaf := range config.Leaves(err) {
		out = append(out, Problem{Err: leaf, Hint: errorHint(leaf)})
	}
	return out
}

// errorHint says what a user can do about err itself, whatever the phase, or "".
func errorHint(err error) string {
	var ge *registration.Error
	var libs *MissingLibsError
	switch {
	case errors.As(err, &libs):
		return "The pod's image lacks " + strings.Join(libs.Libs, ", ") + ", which the runner's .NET runtime needs (its config.sh checks this; a just-in-time runner skips it): use an image that has them, run as root on an image with apt-get (the runner's bin/installdependencies.sh is then run), or install them in pre-runner-script."
	case errors.As(err, &ge):
		return ge.Hint
	case runpod.ClassOf(err) == runpod.Auth:
		return "RunPod refused the key in runpod-api-key: check that the secret is set and the key has read/write (All) permission."
	case runpod.ClassOf(err) == runpod.Capacity:
		return "RunPod had no capacity for any candidate: list more GPU types in gpu-types, add data-center-ids, or set cloud-type to ALL."
	case errors.Is(err, remote.ErrHostKeyChanged):
		return "The pod's SSH host key changed between connections; something may be intercepting traffic. The pod was not used."
	}
	return ""
}
