package action

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/retry"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// waitReady polls the pod until RunPod publishes the public address of its port 22. A created
// community pod that runs without one past publicIPWait is replaced by a pod on the next
// candidate, as often as there are candidates left.
func (s *start) waitReady(ctx context.Context) error {
	for {
		err := s.waitPublished(ctx)
		if !errors.Is(err, errNoPublicIP) {
			return err
		}
		if err := s.replaceWithoutPublicIP(ctx, err); err != nil {
			return err
		}
	}
}

// waitPublished polls the pod until its port 22 has a public address.
func (s *start) waitPublished(ctx context.Context) error {
	polls := 0
	var private time.Time // when the pod was first seen running without a public port 22
	err := retry.Poll(ctx, s.d.timing().ReadyPoll, func(ctx context.Context) (retry.State, error) {
		polls++
		pod, err := s.d.Pods.Get(ctx, s.pod.ID)
		if err != nil {
			return retry.Waiting, err
		}
		s.pod.Status, s.pod.SSH, s.pod.Booted, s.pod.LastStatusChange = pod.Status, pod.SSH, pod.Booted, pod.LastStatusChange
		switch {
		case runpod.Stopped(pod.Status) && s.provision == ProvisionResumed && s.d.Now().Sub(s.adopted) < resumeGrace:
			// RunPod's start moves the pod "back toward RUNNING"
			// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, podAction):
			// the first reads after it may still find it stopped.
			return retry.Waiting, nil
		case pod.Status != runpod.StatusRunning:
			return retry.Waiting, fmt.Errorf("pod %s is %s while starting (%s)", pod.ID, pod.Status, pod.LastStatusChange)
		case pod.SSH != nil:
			return retry.Done, nil
		case s.withoutPublicIP(pod, &private):
			return retry.Done, fmt.Errorf("pod %s runs on a community host without a public IP for its port 22 after %s: %w",
				pod.ID, s.publicIPWait(), errNoPublicIP)
		case pod.Booted || pod.Starting:
			return retry.Close, nil
		}
		return retry.Waiting, nil
	})
	if errors.Is(err, errNoPublicIP) {
		return err
	}
	if err != nil {
		return fmt.Errorf("pod %s never published SSH (container started: %t): %w", s.pod.ID, s.pod.Booted, err)
	}
	s.log.Infof("Pod %s publishes SSH at %s (after %d polls).", s.pod.ID, s.sshAddr(), polls)
	return nil
}

// resumeGrace is how long a resumed pod may still read as stopped.
const resumeGrace = 30 * time.Second

func (s *start) sshAddr() string {
	return net.JoinHostPort(s.pod.SSH.Host, strconv.Itoa(s.pod.SSH.Port))
}
