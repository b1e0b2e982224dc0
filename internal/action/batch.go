package action

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// batchedPods serves the legs of a fan-out: every leg's Get comes from one List of all pods,
// refreshed at most every fresh (Timing.BatchFresh), and the catalog is read once, so that many legs make
// the requests of one, but for their own creates. It embeds the whole Pods interface, so every
// other call (logs, env updates) reaches the API as it is.
type batchedPods struct {
	Pods
	allTypes []string // every GPU type of the fan-out
	fresh    time.Duration
	mu       sync.Mutex
	at       time.Time
	pods     map[string]runpod.Pod
	types    []runpod.GPUType
}

func (b *batchedPods) Get(ctx context.Context, id string) (*runpod.Pod, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if time.Since(b.at) > b.fresh {
		list, err := b.Pods.List(ctx)
		if err != nil {
			return nil, err
		}
		b.pods, b.at = make(map[string]runpod.Pod, len(list)), time.Now()
		for _, p := range list {
			b.pods[p.ID] = p
		}
	}
	p, ok := b.pods[id]
	if !ok {
		return b.Pods.Get(ctx, id) // created after the last List, or gone: ask about it alone
	}
	return &p, nil
}

// batchedRunners serves the legs of a fan-out: every leg's Runner comes from one List of the
// scope's runners, refreshed at most every fresh (Timing.BatchFresh).
type batchedRunners struct {
	Runners
	fresh     time.Duration
	mu        sync.Mutex
	at        time.Time
	runners   map[int64]registration.Runner
	downloads []registration.Download
	releases  []registration.Release
	group     int64
}

func (b *batchedRunners) Runner(ctx context.Context, id int64) (*registration.Runner, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if time.Since(b.at) > b.fresh {
		list, err := b.Runners.List(ctx, "")
		if err != nil {
			return nil, err
		}
		b.runners, b.at = make(map[int64]registration.Runner, len(list)), time.Now()
		for _, r := range list {
			b.runners[r.ID] = r
		}
	}
	r, ok := b.runners[id]
	if !ok {
		return b.Runners.Runner(ctx, id)
	}
	return &r, nil
}

// GPUTypes asks RunPod once for every leg of a fan-out (legs ask with the same arguments but
// each its own GPU type, so the first asks for all of them).
func (b *batchedPods) GPUTypes(ctx context.Context, ids []string, gpuCount int, secure bool) ([]runpod.GPUType, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.types == nil {
		types, err := b.Pods.GPUTypes(ctx, b.allTypes, gpuCount, secure)
		if err != nil {
			return nil, err
		}
		b.types = types
	}
	var out []runpod.GPUType
	for _, t := range b.types {
		for _, id := range ids {
			if t.ID == id {
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// Downloads asks GitHub once for every leg.
func (b *batchedRunners) Downloads(ctx context.Context) ([]registration.Download, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.downloads == nil {
		list, err := b.Runners.Downloads(ctx)
		if err != nil {
			return nil, err
		}
		b.downloads = list
	}
	return b.downloads, nil
}

// RunnerReleases reads the releases of the runner application once for every leg, when the
// API can list them.
func (b *batchedRunners) RunnerReleases(ctx context.Context) ([]registration.Release, error) {
	lister, ok := b.Runners.(RunnerReleases)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.releases == nil {
		list, err := lister.RunnerReleases(ctx)
		if err != nil {
			return nil, err
		}
		b.releases = list
	}
	return b.releases, nil
}

// GroupID resolves the runner group once for every leg.
func (b *batchedRunners) GroupID(ctx context.Context, group string) (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.group == 0 {
		id, err := b.Runners.GroupID(ctx, group)
		if err != nil {
			return 0, err
		}
		b.group = id
	}
	return b.group, nil
}
