package action

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// identify settles the label, the pod and runner name, and the SSH key, and masks the key.
func (s *start) identify() error {
	s.label = s.cfg.Label
	if s.label == "" {
		suffix, err := s.randomSuffix(6)
		if err != nil {
			return err
		}
		s.label = s.cfg.Run.DefaultLabelPrefix() + suffix
	}
	s.runnerName, s.podName = s.cfg.Run.PodName(s.label), s.cfg.PodNameFor(s.label)
	var err error
	if s.cfg.SSHPrivateKey != "" {
		s.key, err = remote.ParseKey(s.cfg.SSHPrivateKey)
	} else {
		s.key, err = remote.NewKey()
	}
	if err != nil {
		return err
	}
	s.d.WF.AddMask(s.key.PEM)
	s.pin = &remote.Pin{}
	if err := errors.Join(s.save(stateLabel, s.label), s.save(statePodName, s.podName)); err != nil {
		return err
	}
	if err := s.setOutput("label", s.label); err != nil {
		return err
	}
	return s.setOutput("pod-name", s.podName)
}

func (s *start) randomSuffix(n int) (string, error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	if _, err := s.d.Random(b); err != nil {
		return "", fmt.Errorf("making a label: %w", err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b), nil
}

// register asks GitHub for a just-in-time runner while it checks the RunPod key and the GPU
// types, so that a wrong token, key or GPU type fails before any pod exists.
func (s *start) register(ctx context.Context) error {
	var wg sync.WaitGroup
	var ghErr, rpErr error
	wg.Add(2)
	go func() { defer wg.Done(); ghErr = s.registerRunner(ctx) }()
	go func() { defer wg.Done(); rpErr = s.checkRunPod(ctx) }()
	wg.Wait()
	return errors.Join(ghErr, rpErr)
}

func (s *start) registerRunner(ctx context.Context) error {
	if err := s.checkRunnerVersion(ctx); err != nil {
		return err
	}
	if s.cfg.RunnerDownloadURL == "" {
		var err error
		if s.downloads, err = s.d.Runners.Downloads(ctx); err != nil {
			return err
		}
	}
	var err error
	if s.groupID, err = s.d.Runners.GroupID(ctx, s.cfg.RunnerGroup); err != nil {
		return err
	}
	labels := []string{s.label}
	if s.group != "" {
		labels = append(labels, s.group)
	}
	labels = append(labels, s.cfg.RunnerLabels...)
	if err := s.setPending(pendingJIT); err != nil {
		return err
	}
	jit, err := finishPastCancel(ctx, s.d.timing().CancelGrace, func(ctx context.Context) (*registration.JITConfig, error) {
		return s.d.Runners.GenerateJIT(ctx, s.runnerName, s.groupID, slices.Compact(labels))
	})
	if jit == nil {
		if c := registration.ClassOf(err); c != registration.Transient && c != registration.Canceled {
			_ = s.setPending("") // answered: nothing was made
		}
		return err
	}
	s.d.WF.AddMask(jit.Encoded)
	s.jit = jit
	if err := errors.Join(s.save(stateRunnerID, strconv.FormatInt(jit.Runner.ID, 10)), s.setPending("")); err != nil {
		return err
	}
	s.log.Infof("Registered runner %s (id %d) with labels %s.", jit.Runner.Name, jit.Runner.ID, strings.Join(labels, ", "))
	return err
}

// checkRunPod proves the key works and that every GPU type exists, and reads their prices, in
// one request.
func (s *start) checkRunPod(ctx context.Context) error {
	if s.cfg.PodID != "" {
		_, err := s.d.Pods.List(ctx)
		return err
	}
	if s.cfg.Reuse { // a reuse that finds no pod creates one
		_, err := s.d.Pods.List(ctx)
		return errors.Join(err, s.readSources(ctx))
	}
	types, err := s.d.Pods.GPUTypes(ctx, s.cfg.GPUTypes, s.cfg.GPUCount, s.cfg.CloudType != "COMMUNITY")
	if runpod.ClassOf(err) == runpod.Auth {
		return err
	}
	if err != nil {
		s.log.Warningf("Could not read GPU prices (%v); going on without them.", err)
		return nil
	}
	for _, t := range types {
		s.prices[t.ID] = t
	}
	var unknown []string
	for _, id := range s.cfg.GPUTypes {
		if _, ok := s.prices[id]; !ok {
			unknown = append(unknown, strconv.Quote(id))
		}
	}
	if len(unknown) > 0 {
		return &config.InputError{Input: config.InGPUTypes, Problem: fmt.Sprintf(
			"RunPod has no GPU type %s; use ids as RunPod lists them, such as \"NVIDIA GeForce RTX 4090\"",
			strings.Join(unknown, ", "))}
	}
	return s.readSources(ctx)
}

// podGPUs is how many GPUs the pod has: its own count once it is known (a resumed pod keeps
// its own unless gpu-count was given), else gpu-count.
func (s *start) podGPUs() int {
	if s.pod != nil && s.pod.GPUCount > 0 {
		return s.pod.GPUCount
	}
	return s.cfg.GPUCount
}

// price returns the $/hour RunPod quoted for the GPU type, 0 when unknown.
func (s *start) price(gpuType string) float64 {
	return s.prices[gpuType].PricePerGPU * float64(s.podGPUs())
}
