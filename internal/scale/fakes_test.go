package scale

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/actions/scaleset"
)

// clock is a settable time.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// fakePods is a Provisioner that records calls and keeps pods in memory.
type fakePods struct {
	mu         sync.Mutex
	calls      []string
	pods       map[string]*Pod
	noCapacity map[string]bool // GPU types and data centers that answer "no capacity"
	price      float64
	fail       error         // every create and resume fails with it
	gate       chan struct{} // when set, create and resume wait for it
}

var _ Provisioner = (*fakePods)(nil)

func newFakePods() *fakePods {
	return &fakePods{pods: map[string]*Pod{}, noCapacity: map[string]bool{}, price: 0.5}
}

func (f *fakePods) record(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

func (f *fakePods) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fakePods) wait(ctx context.Context) error {
	if f.gate == nil {
		return nil
	}
	select {
	case <-f.gate:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (f *fakePods) Create(ctx context.Context, req Request) (Pod, error) {
	if len(req.DataCenterIDs) > 0 {
		f.record("create %s on %v in %v", req.Name, req.GPUTypes, req.DataCenterIDs)
	} else {
		f.record("create %s on %v", req.Name, req.GPUTypes)
	}
	if err := f.wait(ctx); err != nil {
		return Pod{}, err
	}
	if f.fail != nil {
		return Pod{}, f.fail
	}
	dcs := req.DataCenterIDs
	if len(dcs) == 0 {
		dcs = []string{""}
	}
	var skipped, skippedDCs []string
	for _, g := range req.GPUTypes { // as the action's candidates: each GPU type in each data center
		for _, dc := range dcs {
			if f.noCapacity[g] || f.noCapacity[dc] {
				skipped = appendNew(skipped, g)
				if dc != "" {
					skippedDCs = appendNew(skippedDCs, dc)
				}
				continue
			}
			if _, err := req.JIT(ctx); err != nil {
				return Pod{NoCapacity: skipped, NoCapacityDataCenters: skippedDCs}, err
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			p := &Pod{ID: "pod" + strings.TrimLeft(strings.TrimPrefix(req.Name, "gpu-"), "0"), Name: req.Name, Running: true, GPUType: g, DataCenter: dc, CostPerHour: f.price}
			f.pods[p.ID] = p
			out := *p
			out.NoCapacity, out.NoCapacityDataCenters = skipped, skippedDCs
			return out, nil
		}
	}
	return Pod{NoCapacity: skipped, NoCapacityDataCenters: skippedDCs},
		&CapacityError{GPUTypes: skipped, DataCenters: skippedDCs, Err: fmt.Errorf("no instances available")}
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func (f *fakePods) Resume(ctx context.Context, req Request, id string) (Pod, error) {
	f.record("resume %s as %s", id, req.Name)
	if err := f.wait(ctx); err != nil {
		return Pod{}, err
	}
	if f.fail != nil {
		return Pod{}, f.fail
	}
	if _, err := req.JIT(ctx); err != nil {
		return Pod{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.pods[id]
	if p == nil {
		return Pod{}, fmt.Errorf("pod %s not found", id)
	}
	p.Running = true
	return *p, nil
}

func (f *fakePods) Stop(_ context.Context, id string) error {
	f.record("stop %s", id)
	f.mu.Lock()
	defer f.mu.Unlock()
	if p := f.pods[id]; p != nil {
		p.Running = false
	}
	return nil
}

func (f *fakePods) Terminate(_ context.Context, id string) error {
	f.record("terminate %s", id)
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.pods, id)
	return nil
}

func (f *fakePods) List(context.Context, string) ([]Pod, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Pod
	for _, p := range f.pods {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Pod) int { return a.Since.Compare(b.Since) })
	return out, nil
}

// fakeAPI is the scale-set client's runner calls, recorded.
type fakeAPI struct {
	mu      sync.Mutex
	calls   []string
	runners map[string]int // name → id
	busy    map[string]bool
	next    int
}

var _ ScaleSetAPI = (*fakeAPI)(nil)

func newFakeAPI() *fakeAPI { return &fakeAPI{runners: map[string]int{}, busy: map[string]bool{}} }

func (f *fakeAPI) GenerateJitRunnerConfig(_ context.Context, s *scaleset.RunnerScaleSetJitRunnerSetting, _ int) (*scaleset.RunnerScaleSetJitRunnerConfig, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "jit "+s.Name)
	f.next++
	f.runners[s.Name] = f.next
	return &scaleset.RunnerScaleSetJitRunnerConfig{Runner: &scaleset.RunnerReference{ID: f.next, Name: s.Name}, EncodedJITConfig: "jit-secret"}, nil
}

func (f *fakeAPI) GetRunner(_ context.Context, id int) (*scaleset.RunnerReference, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for name, rid := range f.runners {
		if rid == id {
			return &scaleset.RunnerReference{ID: id, Name: name}, nil
		}
	}
	return nil, fmt.Errorf("get %d: %w", id, scaleset.RunnerNotFoundError)
}

func (f *fakeAPI) GetRunnerByName(_ context.Context, name string) (*scaleset.RunnerReference, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id, ok := f.runners[name]; ok {
		return &scaleset.RunnerReference{ID: id, Name: name}, nil
	}
	return nil, nil
}

func (f *fakeAPI) RemoveRunner(_ context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for name, rid := range f.runners {
		if int64(rid) != id {
			continue
		}
		if f.busy[name] {
			return fmt.Errorf("remove: %w", scaleset.JobStillRunningError)
		}
		f.calls = append(f.calls, "remove "+name)
		delete(f.runners, name)
		return nil
	}
	return fmt.Errorf("remove %d: %w", id, scaleset.RunnerNotFoundError)
}

// finish makes the named runner exit after its job, as an ephemeral runner does.
func (f *fakeAPI) finish(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.runners, name)
	delete(f.busy, name)
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func slogTo(w io.Writer, mu *sync.Mutex) *slog.Logger {
	return slog.New(slog.NewTextHandler(lockedWriter{mu: mu, w: w}, nil))
}

func cryptoRand(b []byte) (int, error) { return rand.Read(b) }
