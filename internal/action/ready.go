package action

import (
	"context"
	"fmt"
	"net"
	"strconv"

	"github.com/runpod-runner/runpod-runner/internal/retry"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// usePod takes the pod named by pod-id: as it is when it runs, resumed when it is stopped.
func (s *start) usePod(ctx context.Context) error {
	pod, err := s.d.Pods.Get(ctx, s.cfg.PodID)
	if err != nil {
		return fmt.Errorf("pod-id %s: %w", s.cfg.PodID, err)
	}
	switch pod.Status {
	case runpod.StatusRunning:
		return s.adopt(pod, gpuTypeOf(pod), ProvisionExisting)
	case runpod.StatusExited:
		resumed, err := s.d.Pods.Resume(ctx, pod.ID, s.cfg.GPUCount)
		if err != nil {
			return err
		}
		resumed.Name, resumed.GPUType = pod.Name, pod.GPUType
		return s.adopt(resumed, gpuTypeOf(pod), ProvisionResumed)
	}
	return fmt.Errorf("pod-id %s is %s; it must be RUNNING or EXITED", pod.ID, pod.Status)
}

func gpuTypeOf(p *runpod.Pod) string { return p.GPUType }

// waitReady polls the pod until RunPod publishes the public address of its port 22.
func (s *start) waitReady(ctx context.Context) error {
	polls := 0
	err := retry.Poll(ctx, retry.Interval{}, func(ctx context.Context) (bool, error) {
		polls++
		pod, err := s.d.Pods.Get(ctx, s.pod.ID)
		if err != nil {
			return false, err
		}
		s.pod.Status, s.pod.SSH, s.pod.Booted, s.pod.LastStatusChange = pod.Status, pod.SSH, pod.Booted, pod.LastStatusChange
		if pod.Status != runpod.StatusRunning {
			return false, fmt.Errorf("pod %s is %s while starting (%s)", pod.ID, pod.Status, pod.LastStatusChange)
		}
		return pod.SSH != nil, nil
	})
	if err != nil {
		return fmt.Errorf("pod %s never published SSH (container started: %t): %w", s.pod.ID, s.pod.Booted, err)
	}
	s.d.WF.Infof("Pod %s publishes SSH at %s (after %d polls).", s.pod.ID, s.sshAddr(), polls)
	return nil
}

func (s *start) sshAddr() string {
	return net.JoinHostPort(s.pod.SSH.Host, strconv.Itoa(s.pod.SSH.Port))
}
