package ops

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/metrics"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakepushgateway"
)

// TestSweepPushgateway: runpod-runner sweep --pushgateway pushes the sweep's outcome with the
// action's push code and labels; a gateway that fails is a warning and the sweep still succeeds.
func TestSweepPushgateway(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "graphql", false)
	gw := &fakepushgateway.Server{}
	srv := httptest.NewServer(gw)
	t.Cleanup(srv.Close)
	if r := w.call(t, RunSweep, "", "--help"); !strings.Contains(r.stdout, "-pushgateway") {
		t.Errorf("sweep --help lacks -pushgateway:\n%s", r.stdout)
	}
	if r := w.call(t, RunSweep, "", "--repo", repoA, "--dry-run", "--pushgateway", srv.URL); r.err != nil {
		t.Fatalf("sweep: %v\n%s", r.err, r.stderr)
	}
	pushes := gw.Pushes()
	if len(pushes) != 1 {
		t.Fatalf("%d pushes, want 1", len(pushes))
	}
	p := pushes[0]
	wantGroup := map[string]string{"repository": repoA, "workflow": "none", "gpu_type": "none", "api": "graphql", "step": "sweep"}
	if diff := cmp.Diff(wantGroup, p.Grouping); diff != "" || p.Job != metrics.Job || p.Method != http.MethodPut {
		t.Errorf("push %s job %s, grouping (-want +got):\n%s", p.Method, p.Job, diff)
	}
	if v, ok := p.Value("runpod_runner_outcome", map[string]string{"outcome": "success", "error_class": "none"}); !ok || v != 1 {
		t.Errorf("runpod_runner_outcome{outcome=success} = %v (%v), want 1", v, ok)
	}
	if _, ok := p.Value("runpod_runner_phase_seconds", map[string]string{"phase": "sweep"}); !ok {
		t.Error("no runpod_runner_phase_seconds{phase=sweep}")
	}

	gw.Fail(true)
	r := w.call(t, RunSweep, "", "--repo", repoA, "--dry-run", "--pushgateway", srv.URL)
	if r.err != nil || !strings.Contains(r.stderr, "warning: could not push metrics") {
		t.Errorf("sweep with a failing gateway = %v, want success and a warning; stderr:\n%s", r.err, r.stderr)
	}
}
