package scale

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/action"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// SharedPods serves every start of the autoscaler from one view of the account's pods. RunPod
// limits requests per key, not per pod (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json,
// components.headers.RateLimit), so that the reads of many starts at once cost what one costs:
// each start's Get while it waits for its pod, and the check that the key works, come from one
// List, asked again at most every Fresh; the GPU catalog is read at most every CatalogFresh for
// the same question. What a start changes (create, resume, stop, terminate, env) goes to RunPod
// as it is, and the view takes the change at once, so a start never reads its own pod's past.
// Every other call passes through.
type SharedPods struct {
	action.Pods
	Fresh, CatalogFresh time.Duration
	Now                 func() time.Time

	mu   sync.Mutex // held while listing: the starts that ask meanwhile wait for the one List
	at   time.Time
	pods []runpod.Pod

	catMu   sync.Mutex
	catalog map[string]catalogAnswer
}

type catalogAnswer struct {
	at    time.Time
	types []runpod.GPUType
}

var _ action.Pods = (*SharedPods)(nil)

// List returns the account's pods as of at most Fresh ago.
func (s *SharedPods) List(ctx context.Context) ([]runpod.Pod, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pods == nil || s.Now().Sub(s.at) >= s.Fresh {
		list, err := s.Pods.List(ctx)
		if err != nil {
			return nil, err
		}
		s.pods, s.at = list, s.Now()
	}
	return slices.Clone(s.pods), nil
}

// Get returns the pod from the shared List; one the List does not hold yet is asked about alone.
func (s *SharedPods) Get(ctx context.Context, id string) (*runpod.Pod, error) {
	list, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i], nil
		}
	}
	return s.Pods.Get(ctx, id)
}

// GPUTypes reads the catalog at most every CatalogFresh for the same question.
func (s *SharedPods) GPUTypes(ctx context.Context, ids []string, gpuCount int, secure bool) ([]runpod.GPUType, error) {
	key := fmt.Sprint(ids, gpuCount, secure)
	s.catMu.Lock()
	defer s.catMu.Unlock()
	if a, ok := s.catalog[key]; ok && s.Now().Sub(a.at) < s.CatalogFresh {
		return slices.Clone(a.types), nil
	}
	types, err := s.Pods.GPUTypes(ctx, ids, gpuCount, secure)
	if err != nil {
		return nil, err
	}
	if s.catalog == nil {
		s.catalog = map[string]catalogAnswer{}
	}
	s.catalog[key] = catalogAnswer{at: s.Now(), types: types}
	return slices.Clone(types), nil
}

// Create makes the pod, and the view holds it until the next List.
func (s *SharedPods) Create(ctx context.Context, r runpod.CreateRequest) (*runpod.Pod, error) {
	pod, err := s.Pods.Create(ctx, r)
	if pod != nil {
		s.change(pod.ID, true, func(p *runpod.Pod) { *p = *pod })
	}
	return pod, err
}

// Resume starts the pod; the view takes the status RunPod answered.
func (s *SharedPods) Resume(ctx context.Context, id string, gpuCount int) (*runpod.Pod, error) {
	pod, err := s.Pods.Resume(ctx, id, gpuCount)
	if pod != nil {
		s.change(id, false, func(p *runpod.Pod) { p.Status, p.SSH, p.Booted = pod.Status, pod.SSH, pod.Booted })
	}
	return pod, err
}

// Stop stops the pod; the view has it stopped.
func (s *SharedPods) Stop(ctx context.Context, id string) error {
	err := s.Pods.Stop(ctx, id)
	if err == nil {
		s.change(id, false, func(p *runpod.Pod) { p.Status, p.SSH, p.Booted = runpod.StatusExited, nil, false })
	}
	return err
}

// Terminate removes the pod; the view forgets it.
func (s *SharedPods) Terminate(ctx context.Context, id string) error {
	err := s.Pods.Terminate(ctx, id)
	if err == nil {
		s.mu.Lock()
		s.pods = slices.DeleteFunc(s.pods, func(p runpod.Pod) bool { return p.ID == id })
		s.mu.Unlock()
	}
	return err
}

// UpdateEnv replaces the pod's env; the view has the new one.
func (s *SharedPods) UpdateEnv(ctx context.Context, id string, env map[string]string) error {
	err := s.Pods.UpdateEnv(ctx, id, env)
	if err == nil {
		s.change(id, false, func(p *runpod.Pod) { p.Env = maps.Clone(env) })
	}
	return err
}

// change applies f to the view's pod id; a pod the view does not hold is added when add is
// set (a pod just created), else left to the next List. The view keeps no pods before its first List.
func (s *SharedPods) change(id string, add bool, f func(p *runpod.Pod)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pods == nil {
		return
	}
	i := slices.IndexFunc(s.pods, func(p runpod.Pod) bool { return p.ID == id })
	switch {
	case i < 0 && !add:
		return
	case i < 0:
		s.pods = append(s.pods, runpod.Pod{ID: id})
		i = len(s.pods) - 1
	}
	f(&s.pods[i])
}
