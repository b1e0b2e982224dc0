package action

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/retry"
)

// TestZeroTimingTakesTheDefaults: the action passes no Timing and runs at DefaultTiming's pace;
// a test's field replaces only that field.
func TestZeroTimingTakesTheDefaults(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff(DefaultTiming(), (Deps{}).timing()); diff != "" {
		t.Errorf("zero Timing (-want +got):\n%s", diff)
	}
	want := DefaultTiming()
	want.BusyRunner = retry.Policy{Initial: time.Millisecond}
	if diff := cmp.Diff(want, (Deps{Timing: Timing{BusyRunner: want.BusyRunner}}).timing()); diff != "" {
		t.Errorf("one field set (-want +got):\n%s", diff)
	}
}
