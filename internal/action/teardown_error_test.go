package action

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// TestStopOfAPodInError: REST's ERROR pod allows start and terminate, not stop
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, Pod.status and
// Pod.actions); a stop step treats it as stopped: on-stop stop leaves it (asking RunPod to stop
// it would be refused), on-stop terminate removes it.
func TestStopOfAPodInError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		onStop    string
		wantCalls []string // stops and terminates
		wantLeft  bool
		wantOut   string
	}{
		{onStop: "stop", wantCalls: []string{}, wantLeft: true, wantOut: "Pod ours001 is stopped already."},
		{onStop: "terminate", wantCalls: []string{"terminate ours001"}},
	} {
		t.Run(tc.onStop, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, map[string]string{"mode": "stop", "pod-id": "ours001", "on-stop": tc.onStop})
			seed(h)
			h.pods.pods["ours001"].Status = runpod.StatusError
			if err := Teardown(context.Background(), h.config(t, false), h.deps()); err != nil {
				t.Fatalf("Teardown() = %v\n%s", err, h.out.String())
			}
			calls := slices.DeleteFunc(h.pods.Calls(), func(c string) bool {
				return !strings.HasPrefix(c, "stop") && !strings.HasPrefix(c, "terminate")
			})
			if diff := cmp.Diff(tc.wantCalls, calls); diff != "" {
				t.Errorf("RunPod calls mismatch (-want +got):\n%s", diff)
			}
			if _, left := h.pods.pods["ours001"]; left != tc.wantLeft {
				t.Errorf("pod left = %t, want %t", left, tc.wantLeft)
			}
			if !strings.Contains(h.out.String(), tc.wantOut) {
				t.Errorf("output lacks %q:\n%s", tc.wantOut, h.out.String())
			}
		})
	}
}
