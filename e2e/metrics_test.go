package e2e

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakepushgateway"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// TestMetricsPushed: a start and a stop push their metrics to pushgateway-url, labelled by
// repository, GPU type and API; the timings output holds the phases; a gateway that is down
// gives a warning and the steps still pass.
func TestMetricsPushed(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		gw := &fakepushgateway.Server{}
		srv := httptest.NewServer(gw)
		defer srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		in := map[string]string{"pushgateway-url": srv.URL}
		main, _, err := w.job("start").Start(ctx, in)
		if err != nil || main.ExitCode != 0 {
			t.Fatalf("start: %v\n%s", err, main.Stdout)
		}
		var timings map[string]float64
		if err := json.Unmarshal([]byte(main.Outputs["timings"]), &timings); err != nil || timings["wait-online"] <= 0 {
			t.Errorf("timings output = %q (%v)", main.Outputs["timings"], err)
		}
		gw.Fail(true)
		stop, err := w.job("stop").Stop(ctx, map[string]string{"pod-id": main.Outputs["pod-id"], "pushgateway-url": srv.URL})
		if err != nil || stop.ExitCode != 0 || !strings.Contains(stop.Stdout, "::warning") || !strings.Contains(stop.Stdout, "push metrics") {
			t.Errorf("stop with the gateway down: exit %d, %v, want a warning and success\n%s", stop.ExitCode, err, stop.Stdout)
		}
		gw.Fail(false)
		main2, _, err := w.job("start2").Start(ctx, in)
		if err != nil || main2.ExitCode != 0 {
			t.Fatalf("second start: %v", err)
		}
		if stop, err := w.job("stop2").Stop(ctx, map[string]string{"pod-id": main2.Outputs["pod-id"], "pushgateway-url": srv.URL}); err != nil || stop.ExitCode != 0 {
			t.Fatalf("second stop: %v", err)
		}
		pushes := gw.Pushes()
		if len(pushes) != 3 {
			t.Fatalf("%d pushes, want 3 (two starts, one stop; the other stop's failed)", len(pushes))
		}
		start, last := pushes[0], pushes[2]
		if g := start.Grouping; g["repository"] != sandbox.Repository || g["gpu_type"] != "NVIDIA GeForce RTX 4090" || g["api"] != api || g["step"] != "start" {
			t.Errorf("start push grouping = %v", g)
		}
		if v, ok := start.Value("runpod_runner_phase_seconds", map[string]string{"phase": "total"}); !ok || v <= 0 {
			t.Errorf("start total = %v, %v", v, ok)
		}
		if v, ok := start.Value("runpod_runner_outcome", map[string]string{"outcome": "success"}); !ok || v != 1 {
			t.Errorf("start outcome = %v, %v", v, ok)
		}
		if v, ok := start.Value("runpod_runner_pod_cost_per_hour_dollars", nil); !ok || v <= 0 {
			t.Errorf("start $/hour = %v, %v", v, ok)
		}
		if g := last.Grouping; g["step"] != "stop" || g["gpu_type"] != "NVIDIA GeForce RTX 4090" || g["api"] != api {
			t.Errorf("last push grouping = %v, want the stop's, with the pod's GPU type", g)
		}
		if v, ok := last.Value("runpod_runner_pod_cost_per_hour_dollars", nil); !ok || v <= 0 {
			t.Errorf("stop $/hour = %v, %v", v, ok)
		}
		if _, ok := last.Value("runpod_runner_pod_uptime_seconds", nil); !ok {
			t.Error("stop push lacks the pod's uptime")
		}
		if v, ok := last.Value("runpod_runner_outcome", map[string]string{"outcome": "success", "error_class": "none"}); !ok || v != 1 {
			t.Errorf("stop outcome = %v, %v", v, ok)
		}
		w.checkEmpty(t)
	})
}
