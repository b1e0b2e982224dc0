package scale

import (
	"context"
	"fmt"
	"strings"

	"github.com/runpod-runner/runpod-runner/internal/action"
)

// withinPrice keeps the GPU types whose on-demand price for the pod (price per GPU × gpu-count)
// is at most max-price-per-hour, in order; a type RunPod quotes no price for is dropped, since
// it cannot be shown to fit. No limit keeps them all.
func withinPrice(ctx context.Context, pods action.Pods, set *ScaleSet, types []string) ([]string, error) {
	if set.MaxPricePerHour == 0 || len(types) == 0 {
		return types, nil
	}
	count := max(set.Pod.GPUCount, 1)
	quoted, err := pods.GPUTypes(ctx, types, count, set.Pod.CloudType != "COMMUNITY")
	if err != nil {
		return nil, fmt.Errorf("read GPU prices for max-price-per-hour: %w", err)
	}
	price := map[string]float64{}
	for _, q := range quoted {
		price[q.ID] = q.PricePerGPU * float64(count)
	}
	var out []string
	for _, t := range types {
		if p, ok := price[t]; ok && p > 0 && p <= set.MaxPricePerHour {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no GPU type of %s costs at most max-price-per-hour $%.2f", strings.Join(types, ", "), set.MaxPricePerHour)
	}
	return out, nil
}
