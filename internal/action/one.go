package action

import (
	"context"
	"slices"

	"github.com/runpod-runner/runpod-runner/internal/config"
)

// Started is what one start made, for callers other than the action's own steps (the
// autoscaler runs the same start for each runner of a scale set).
type Started struct {
	PodID, PodName, GPUType string
	CostPerHour             float64
	Provision               string // ProvisionCreated, or how an existing pod was taken
	DataCenter              string // where the pod was created; "" when anywhere or not created
	// NoCapacity lists the GPU types RunPod had no capacity for on the way, in order, and
	// NoCapacityDataCenters the data centers (of data-center-ids) that answered so.
	NoCapacity, NoCapacityDataCenters []string
}

// StartOne is Start for one pod: the same phases, failure report and cleanup. It returns what
// it made, and the GPU types and data centers that had no capacity on the way.
func StartOne(ctx context.Context, cfg *config.Config, d Deps) (Started, error) {
	s := newStart(cfg, d, d.WF, "")
	err := s.do(ctx)
	var out Started
	for _, a := range s.attempts {
		if a.NoCapacity && !slices.Contains(out.NoCapacity, a.GPUType) {
			out.NoCapacity = append(out.NoCapacity, a.GPUType)
		}
		if a.NoCapacity && a.DataCenter != "" && !slices.Contains(out.NoCapacityDataCenters, a.DataCenter) {
			out.NoCapacityDataCenters = append(out.NoCapacityDataCenters, a.DataCenter)
		}
		if a.Result == "created" {
			out.DataCenter = a.DataCenter
		}
	}
	if err != nil || s.pod == nil {
		return out, err
	}
	out.PodID, out.PodName, out.GPUType, out.Provision = s.pod.ID, s.pod.Name, s.gpuType, s.provision
	out.CostPerHour = s.pod.CostPerHour
	if out.CostPerHour == 0 {
		out.CostPerHour = s.price(s.gpuType)
	}
	return out, nil
}
