package main

import (
	"context"
	"net/http"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/metrics"
	"github.com/runpod-runner/runpod-runner/internal/workflow"
)

// observe returns the hook that pushes a step's metrics to pushgateway-url, nil without one. A
// push that fails is a warning, never a failed step.
func observe(cfg *config.Config, wf *workflow.Commands) func(context.Context, metrics.Report) {
	if cfg.PushgatewayURL == "" {
		return nil
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	return func(ctx context.Context, r metrics.Report) {
		if err := metrics.Push(ctx, cfg.PushgatewayURL, hc, r); err != nil {
			wf.Warningf("Could not push metrics to pushgateway-url: %v", err)
		}
	}
}
