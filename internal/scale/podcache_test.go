package scale

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/action"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// countingPods is RunPod's pods API as a map, counting the requests by kind.
type countingPods struct {
	action.Pods // nil: a call the test does not expect panics
	mu          sync.Mutex
	calls       map[string]int
	pods        map[string]runpod.Pod
}

var _ action.Pods = (*countingPods)(nil)

func (c *countingPods) count(kind string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[kind]++
}

func (c *countingPods) List(context.Context) ([]runpod.Pod, error) {
	c.count("list")
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []runpod.Pod
	for _, p := range c.pods {
		out = append(out, p)
	}
	return out, nil
}

func (c *countingPods) Get(_ context.Context, id string) (*runpod.Pod, error) {
	c.count("get")
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pods[id]
	if !ok {
		return nil, &runpod.Error{Class: runpod.NotFound, Message: "no such pod"}
	}
	return &p, nil
}

func (c *countingPods) Create(_ context.Context, r runpod.CreateRequest) (*runpod.Pod, error) {
	c.count("create")
	p := runpod.Pod{ID: "new-" + r.Name, Name: r.Name, Status: runpod.StatusRunning}
	c.mu.Lock()
	c.pods[p.ID] = p
	c.mu.Unlock()
	return &p, nil
}

func (c *countingPods) Stop(_ context.Context, id string) error {
	c.count("stop")
	return nil
}

func (c *countingPods) GPUTypes(context.Context, []string, int, bool) ([]runpod.GPUType, error) {
	c.count("gpu-types")
	return []runpod.GPUType{{ID: "NVIDIA A40", PricePerGPU: 0.4}}, nil
}

// TestSharedPodsServesManyStartsWithOneList: sixteen starts waiting for their pods at once
// cost one List, not sixteen Gets; a pod the List does not hold is asked about alone; a pod
// just created or stopped reads as the change left it, without a request; the catalog is read
// once while fresh; after Fresh the List is asked again.
func TestSharedPodsServesManyStartsWithOneList(t *testing.T) {
	t.Parallel()
	api := &countingPods{calls: map[string]int{}, pods: map[string]runpod.Pod{}}
	for i := range 16 {
		id := fmt.Sprintf("pod%d", i)
		api.pods[id] = runpod.Pod{ID: id, Status: runpod.StatusRunning}
	}
	now := time.Unix(1_700_000_000, 0)
	s := &SharedPods{Pods: api, Fresh: 2 * time.Second, CatalogFresh: time.Minute, Now: func() time.Time { return now }}
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			if p, err := s.Get(ctx, fmt.Sprintf("pod%d", i)); err != nil || p.Status != runpod.StatusRunning {
				t.Errorf("Get(pod%d) = %+v, %v", i, p, err)
			}
		})
	}
	wg.Wait()
	if _, err := s.Get(ctx, "elsewhere"); err == nil {
		t.Error("Get of a pod that does not exist: no error")
	}
	created, _ := s.Create(ctx, runpod.CreateRequest{Name: "fresh"})
	if p, err := s.Get(ctx, created.ID); err != nil || p.Name != "fresh" {
		t.Errorf("Get(created) = %+v, %v", p, err)
	}
	if err := s.Stop(ctx, "pod3"); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Get(ctx, "pod3"); p.Status != runpod.StatusExited {
		t.Errorf("a stopped pod reads %s", p.Status)
	}
	for range 3 {
		if _, err := s.GPUTypes(ctx, []string{"NVIDIA A40"}, 1, true); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(2 * time.Second)
	if _, err := s.List(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"list": 2, "get": 1, "create": 1, "stop": 1, "gpu-types": 1}
	if diff := cmp.Diff(want, api.calls); diff != "" {
		t.Errorf("RunPod requests (-want +got):\n%s", diff)
	}
}
