package metrics

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakepushgateway"
)

func TestPush(t *testing.T) {
	t.Parallel()
	gw := &fakepushgateway.Server{}
	srv := httptest.NewServer(gw)
	defer srv.Close()
	r := Report{Step: "start", Repository: "octo-org/gpu-lab", Workflow: "train", GPUType: "NVIDIA GeForce RTX 4090", API: "rest",
		Phases: []Phase{{"create", 1.5}, {"wait-ready", 20}}, Outcome: "failure", ErrorClass: "wait-ready/timeout", CostPerHour: 0.69, UptimeSeconds: 42}
	if err := Push(context.Background(), srv.URL, http.DefaultClient, r); err != nil {
		t.Fatal(err)
	}
	pushes := gw.Pushes()
	if len(pushes) != 1 {
		t.Fatalf("%d pushes, want 1", len(pushes))
	}
	p := pushes[0]
	wantGroup := map[string]string{"repository": "octo-org/gpu-lab", "workflow": "train", "gpu_type": "NVIDIA GeForce RTX 4090", "api": "rest", "step": "start"}
	if diff := cmp.Diff(wantGroup, p.Grouping); diff != "" || p.Job != Job || p.Method != http.MethodPut {
		t.Errorf("push %s job %s, grouping (-want +got):\n%s", p.Method, p.Job, diff)
	}
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"runpod_runner_phase_seconds", map[string]string{"phase": "create"}, 1.5},
		{"runpod_runner_phase_seconds", map[string]string{"phase": "total"}, 21.5},
		{"runpod_runner_outcome", map[string]string{"outcome": "failure", "error_class": "wait-ready/timeout"}, 1},
		{"runpod_runner_pod_cost_per_hour_dollars", nil, 0.69},
		{"runpod_runner_pod_uptime_seconds", nil, 42},
	} {
		if got, ok := p.Value(c.name, c.labels); !ok || got != c.want {
			t.Errorf("%s%v = %v (%v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	gw.Fail(true)
	if err := Push(context.Background(), srv.URL, http.DefaultClient, r); err == nil {
		t.Error("a push to a failing gateway reported no error")
	}
}
