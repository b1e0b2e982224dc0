package action

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

var _ Pods = (*batchedPods)(nil)

// TestBatchedPodsHidesNoCapability: the fan-out's shared client passes the calls it does not
// batch (logs, env updates) to the API as they are, including the API's "cannot".
func TestBatchedPodsHidesNoCapability(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		graphQL   bool
		wantErr   error
		wantCalls []string
	}{
		{name: "rest", wantCalls: []string{"logs pod1 40", "update-env pod1 PUBLIC_KEY=true run=7"}},
		{name: "graphql", graphQL: true, wantErr: errors.ErrUnsupported},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFakePods()
			f.graphQL = tc.graphQL
			f.pods["pod1"] = &runpod.Pod{ID: "pod1", Status: runpod.StatusExited}
			f.logs = []string{"booted"}
			b := &batchedPods{Pods: f}
			if _, err := b.Logs(ctx, "pod1", 40); !errors.Is(err, tc.wantErr) {
				t.Errorf("Logs() = %v, want %v", err, tc.wantErr)
			}
			if err := b.UpdateEnv(ctx, "pod1", map[string]string{"PUBLIC_KEY": "k", marker.Run: "7"}); !errors.Is(err, tc.wantErr) {
				t.Errorf("UpdateEnv() = %v, want %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.wantCalls, f.Calls()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}
