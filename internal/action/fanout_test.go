package action

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

func TestFanOut(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		inputs     map[string]string
		noCapacity string
		wantLabels []string // in the matrix output
		wantErr    string
	}{
		{name: "per_gpu_type", inputs: map[string]string{"gpu-types": "NVIDIA A40, NVIDIA L4, NVIDIA H100 80GB HBM3", "fan-out": "per-gpu-type", "label": "train"},
			wantLabels: []string{"train-a40", "train-l4", "train-h100-80gb-hbm3"}},
		{name: "three_runners", inputs: map[string]string{"runners": "3", "label": "pool"},
			wantLabels: []string{"pool-1", "pool-2", "pool-3"}},
		{name: "one_leg_fails_min_runners_met", inputs: map[string]string{"gpu-types": "NVIDIA A40, NVIDIA L4", "fan-out": "per-gpu-type", "label": "t", "min-runners": "1", "startup-timeout-minutes": "0.5"},
			noCapacity: "NVIDIA L4", wantLabels: []string{"t-a40"}},
		{name: "one_leg_fails_all_needed", inputs: map[string]string{"gpu-types": "NVIDIA A40, NVIDIA L4", "fan-out": "per-gpu-type", "label": "t", "startup-timeout-minutes": "0.5"},
			noCapacity: "NVIDIA L4", wantErr: "1 of 2 runners came online, fewer than min-runners 2; failed: t-l4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tc.inputs)
			if tc.noCapacity != "" {
				h.pods.createErrs[tc.noCapacity] = &runpod.Error{Class: runpod.Capacity, Message: "no longer any instances available"}
			}
			err := Start(context.Background(), h.config(t, false), h.deps())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Start() = %v, want %q", err, tc.wantErr)
				}
				if len(h.pods.pods) != 0 || len(h.runners.runners) != 0 {
					t.Errorf("a failed fan-out left %d pods and %d runners", len(h.pods.pods), len(h.runners.runners))
				}
				return
			}
			if err != nil {
				t.Fatalf("Start() = %v\n%s", err, h.out.String())
			}
			out := fileCommands(t, h.files["GITHUB_OUTPUT"])
			var matrix []matrixEntry
			if err := json.Unmarshal([]byte(out["matrix"]), &matrix); err != nil {
				t.Fatalf("matrix output %q: %v", out["matrix"], err)
			}
			var labels, ids []string
			for _, m := range matrix {
				labels, ids = append(labels, m.Label), append(ids, m.PodID)
				if r := h.runners.runners[m.RunnerID]; r == nil || !slices.Contains(r.Labels, out["label"]) {
					t.Errorf("runner %d does not carry the group label %s", m.RunnerID, out["label"])
				}
			}
			if diff := cmp.Diff(tc.wantLabels, labels); diff != "" {
				t.Errorf("matrix labels mismatch (-want +got):\n%s", diff)
			}
			if len(h.pods.pods) != len(tc.wantLabels) || len(h.runners.runners) != len(tc.wantLabels) {
				t.Errorf("%d pods and %d runners exist, want one of each per online runner", len(h.pods.pods), len(h.runners.runners))
			}
			if got := strings.Split(out["pod-id"], ","); !slices.Equal(got, ids) {
				t.Errorf("pod-id output %q, want every pod of the matrix %v", out["pod-id"], ids)
			}
		})
	}
}
