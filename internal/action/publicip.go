package action

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// errNoPublicIP: a created community pod runs, and its port 22 has no public address.
var errNoPublicIP = errors.New("no public IP")

// publicIPWait is how long a created community pod may run without a public port 22:
// Timing.PublicIPWait, at most an eighth of startup-timeout-minutes so that the next candidate
// still has time. REST v2 cannot ask for a public IP, and without one "the Pod might not have a
// public IP address" on the community cloud
// (https://github.com/runpod/docs/blob/main/api-reference/openapi.json, supportPublicIp).
func (s *start) publicIPWait() time.Duration {
	return min(s.d.timing().PublicIPWait, s.cfg.StartupTimeout/8)
}

// withoutPublicIP reports whether pod is a community pod this start created that has run
// without a public port 22 for publicIPWait. since is when it was first seen so; zero until then.
func (s *start) withoutPublicIP(pod *runpod.Pod, since *time.Time) bool {
	if !pod.Community || !pod.Booted || pod.SSH != nil || s.provision != ProvisionCreated {
		*since = time.Time{}
		return false
	}
	now := s.d.Now()
	if since.IsZero() {
		*since = now
	}
	return now.Sub(*since) >= s.publicIPWait()
}

// replaceWithoutPublicIP terminates the pod that got no public IP and creates one on the
// candidates after it. What is left when none is, is said so.
func (s *start) replaceWithoutPublicIP(ctx context.Context, cause error) error {
	s.log.Warningf("%v: terminating it and trying the next candidate.", cause)
	if err := s.d.Pods.Terminate(ctx, s.pod.ID); err != nil {
		return fmt.Errorf("terminate pod %s, which has no public IP: %w", s.pod.ID, err)
	}
	s.pod = nil
	s.noPublicIP[s.placed] = true
	s.attempts = append(s.attempts, attempt{GPUType: s.placed.gpuType, DataCenter: s.placed.dataCenter,
		Result: "no public IP: terminated"})
	if len(s.candidates()) == 0 {
		return fmt.Errorf("no candidate is left (cloud-type SECURE always has a public IP): %w", cause)
	}
	return s.createOnCandidates(ctx)
}
