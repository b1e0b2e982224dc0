package scale

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/action"
	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// pricedPods answers GPUTypes only.
type pricedPods struct {
	action.Pods
	quoted []runpod.GPUType
}

func (p pricedPods) GPUTypes(context.Context, []string, int, bool) ([]runpod.GPUType, error) {
	return p.quoted, nil
}

func TestWithinPrice(t *testing.T) {
	t.Parallel()
	pods := pricedPods{quoted: []runpod.GPUType{{ID: "H100", PricePerGPU: 2.99}, {ID: "4090", PricePerGPU: 0.69}, {ID: "A40", PricePerGPU: 0.40}}}
	types := []string{"H100", "4090", "A40", "Unpriced"}
	for _, tc := range []struct {
		name    string
		max     float64
		count   int
		want    []string
		wantErr bool
	}{
		{name: "no_limit", want: types},
		{name: "one_gpu", max: 1, count: 1, want: []string{"4090", "A40"}},
		{name: "two_gpus", max: 1, count: 2, want: []string{"A40"}},
		{name: "none_fits", max: 0.1, count: 1, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			set := &ScaleSet{MaxPricePerHour: tc.max, Pod: &config.Config{GPUCount: tc.count, CloudType: "SECURE"}}
			got, err := withinPrice(context.Background(), pods, set, types)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, want error %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("GPU types (-want +got):\n%s", diff)
			}
		})
	}
}
