package action

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// TestProblemsGiveEachErrorItsOwnHint: every failure a start joins is reported with the hint
// for its own service or phase, and a GitHub error does not carry its hint in its message too.
func TestProblemsGiveEachErrorItsOwnHint(t *testing.T) {
	t.Parallel()
	gh := &registration.Error{Op: "register", Class: registration.Auth, Status: 403, Message: "Resource not accessible",
		Hint: "a fine-grained token needs Administration: read and write on repository octo/repo"}
	rp := &runpod.Error{Op: "list GPU types", Class: runpod.Auth, Status: 401, Message: "unauthorized"}
	capacity := &runpod.Error{Op: "create", Class: runpod.Capacity, Message: "no instances available"}
	plain := errors.New("exit 3")
	type problem struct {
		Phase Phase
		Err   string
		Hint  string
	}
	for _, tc := range []struct {
		name string
		err  error
		want []problem
	}{
		{name: "github_hint_said_once", err: &PhaseError{Phase: PhaseJIT, Err: gh},
			want: []problem{{Phase: PhaseJIT, Err: "github: register: HTTP 403: Resource not accessible", Hint: gh.Hint}}},
		{name: "both_apis_fail_each_its_hint", err: &PhaseError{Phase: PhaseJIT, Err: errors.Join(gh, rp)},
			want: []problem{
				{Phase: PhaseJIT, Err: gh.Error(), Hint: gh.Hint},
				{Phase: PhaseJIT, Err: rp.Error(), Hint: errorHint(rp)},
			}},
		{name: "the_phase_hint_when_the_error_has_none", err: &PhaseError{Phase: PhaseInstall, Err: plain},
			want: []problem{{Phase: PhaseInstall, Err: "exit 3", Hint: PhaseInstall.spec().hint}}},
		{name: "the_error_hint_before_the_phase_hint", err: &PhaseError{Phase: PhaseWaitReady, Err: capacity},
			want: []problem{{Phase: PhaseWaitReady, Err: capacity.Error(), Hint: errorHint(capacity)}}},
		{name: "outside_a_phase", err: errors.Join(plain, capacity),
			want: []problem{{Err: "exit 3"}, {Err: capacity.Error(), Hint: errorHint(capacity)}}},
		{name: "no_error", err: nil, want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []problem
			for _, p := range Problems(tc.err) {
				got = append(got, problem{Phase: p.Phase, Err: p.Err.Error(), Hint: p.Hint})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Problems() (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEveryPhaseIsInTheTable: each phase a start can fail in has a title, and the hints that
// name a phase's trouble sit in that phase's row.
func TestEveryPhaseIsInTheTable(t *testing.T) {
	t.Parallel()
	seen := map[Phase]bool{}
	for _, p := range phases {
		if p.title == "" || seen[p.phase] {
			t.Errorf("phase %q: title %q, listed before: %t", p.phase, p.title, seen[p.phase])
		}
		seen[p.phase] = true
	}
	for _, p := range []Phase{PhaseConfig, PhaseJIT, PhaseCreate, PhaseWaitReady, PhaseSSH, PhasePreflight, PhaseInstall,
		PhaseLaunch, PhaseWaitOnline, PhaseOutputs, PhaseFanOut} {
		if !seen[p] {
			t.Errorf("phase %q is not in the table", p)
		}
	}
	if errorHint(errors.New("x")) != "" {
		t.Error("a plain error has a hint of its own")
	}
}
