package scale

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/registration"
)

// TestAdoptRemovesRunnersWithoutAPod: at start, a runner of the scale set (named as the
// autoscaler names them) that no pod of the scale set bears the name of is deleted, through
// the scale-set API by its name; the runner of a pod, and another scale set's runner, are not.
func TestAdoptRemovesRunnersWithoutAPod(t *testing.T) {
	t.Parallel()
	r := newRig(t, ScaleSet{MaxRunners: 3, WarmPool: 2}, 0)
	r.pods.pods = map[string]*Pod{"p1": {ID: "p1", Name: "gpu-0000000a", Running: false, Since: r.clock.Now()}}
	r.api.runners = map[string]int{"gpu-0000000a": 1, "gpu-0badf00d": 2, "gpu-big-0000000b": 3, "gpu-0000000c": 4}
	r.s.d.Runners = func(context.Context) ([]registration.Runner, error) {
		return []registration.Runner{{ID: 101, Name: "gpu-0000000a"}, {ID: 102, Name: "gpu-0badf00d"},
			{ID: 103, Name: "gpu-big-0000000b"}, {ID: 104, Name: "gpu-0000000c"}, {ID: 105, Name: "gpu-0ffffff0"}}, nil
	}
	if err := r.s.adopt(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.s.wg.Wait()
	got := slices.Clone(r.api.calls)
	slices.Sort(got)
	if diff := cmp.Diff([]string{"remove gpu-0000000c", "remove gpu-0badf00d"}, got); diff != "" {
		t.Errorf("runner calls (-want +got):\n%s", diff)
	}
}
