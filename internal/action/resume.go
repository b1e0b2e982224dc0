package action

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// usePod takes the pod named by pod-id.
func (s *start) usePod(ctx context.Context) error {
	pod, err := s.d.Pods.Get(ctx, s.cfg.PodID)
	if err != nil {
		return fmt.Errorf("pod-id %s: %w", s.cfg.PodID, err)
	}
	return s.takePod(ctx, pod)
}

// findReusable returns this repository's stopped pod named pod-name, or nil.
func (s *start) findReusable(ctx context.Context) (*runpod.Pod, error) {
	pods, err := s.d.Pods.List(ctx)
	if err != nil {
		return nil, err
	}
	for i := range pods {
		p := &pods[i]
		if p.Name == s.podName && p.Env[marker.Repo] == s.cfg.Run.Repository && runpod.Stopped(p.Status) {
			return p, nil
		}
	}
	return nil, nil
}

// takePod uses a running pod as it is, or resumes a stopped one.
func (s *start) takePod(ctx context.Context, pod *runpod.Pod) error {
	switch pod.Status {
	case runpod.StatusRunning:
		if !s.keyMatches(pod) {
			return fmt.Errorf("pod %s is running and its PUBLIC_KEY is not the public half of ssh-private-key; "+
				"the action can only log in to a running pod with the key it was created with", pod.ID)
		}
		return s.adopt(pod, pod.GPUTypeID, ProvisionExisting)
	case runpod.StatusExited, runpod.StatusError:
		return s.resume(ctx, pod)
	}
	return fmt.Errorf("pod %s is %s; it must be RUNNING or EXITED", pod.ID, pod.Status)
}

// resume gives the stopped pod a way in (the fresh key in its PUBLIC_KEY, or the configured key
// it already has) and this run's markers, then resumes it. When RunPod cannot resume it (its
// host's GPUs are taken), a fresh pod with the same settings is created instead, unless
// resume-fallback is fail.
func (s *start) resume(ctx context.Context, pod *runpod.Pod) error {
	if err := s.prepareResume(ctx, pod); err != nil {
		return err
	}
	// GraphQL's podResume starts the pod with the GPU count it is given
	// (https://github.com/runpod/docs/blob/main/sdks/graphql/manage-pods.mdx, podResume): the pod's
	// own, unless gpu-count asks for another. REST's start keeps the pod's count.
	count := pod.GPUCount
	if s.cfg.GPUCountSet || count <= 0 {
		count = s.cfg.GPUCount
	}
	// Recorded before the call, as a create is: a step cancelled while RunPod resumes the pod
	// leaves its post step the pod to stop again.
	s.pod, s.provision = pod, ProvisionResumed
	if err := errors.Join(s.save(statePodID, pod.ID), s.save(stateProvision, ProvisionResumed), s.setPending(pendingResume)); err != nil {
		return err
	}
	resumed, err := finishPastCancel(ctx, s.d.timing().CancelGrace, func(ctx context.Context) (*runpod.Pod, error) {
		return s.d.Pods.Resume(ctx, pod.ID, count)
	})
	if c := runpod.ClassOf(err); resumed == nil && c != runpod.Canceled && c != runpod.Transient && ctx.Err() == nil {
		// Answered without resuming it: the pod is as it was, stopped.
		s.pod, s.provision = nil, ""
		if serr := errors.Join(s.save(statePodID, ""), s.save(stateProvision, ""), s.setPending("")); serr != nil {
			return errors.Join(err, serr)
		}
	}
	if runpod.ClassOf(err) == runpod.Capacity && s.cfg.ResumeFallback == config.FallbackCreate {
		s.fallback = fmt.Sprintf("pod %s could not be resumed (%v); a fresh pod was created instead", pod.ID, short(err))
		s.log.Warningf("%s.", s.fallback)
		return s.createLike(ctx, pod)
	}
	if resumed == nil {
		return err
	}
	resumed.Name, resumed.GPUType, resumed.GPUTypeID, resumed.VolumePath = pod.Name, pod.GPUType, pod.GPUTypeID, pod.VolumePath
	if resumed.GPUCount <= 0 {
		resumed.GPUCount = count
	}
	return errors.Join(s.adopt(resumed, pod.GPUTypeID, ProvisionResumed), err)
}

// prepareResume makes sure the action can log in to the pod once it runs, before it is resumed:
// it gives the pod this run's key and markers, or, where the API cannot (GraphQL), checks that
// ssh-private-key is the key the pod has.
func (s *start) prepareResume(ctx context.Context, pod *runpod.Pod) error {
	env := maps.Clone(pod.Env)
	if env == nil {
		env = map[string]string{}
	}
	env["PUBLIC_KEY"] = s.cfg.PublicKeys(s.key.AuthorizedKey)
	env[marker.Repo], env[marker.Run], env[marker.Label] = s.cfg.Run.Repository, s.cfg.Run.ID, s.label
	env[marker.Attempt], env[marker.Runner] = s.cfg.Run.Attempt, s.runnerName
	delete(env, marker.Group) // a fan-out never resumes a pod: a group marker is an earlier run's
	if maps.Equal(env, pod.Env) {
		return nil // it holds this start's key and markers already (a warm pod resumed with its own key)
	}
	err := s.d.Pods.UpdateEnv(ctx, pod.ID, env)
	switch {
	case errors.Is(err, errors.ErrUnsupported) && s.keyMatches(pod):
		return nil
	case errors.Is(err, errors.ErrUnsupported):
		return fmt.Errorf("cannot resume pod %s: RunPod's GraphQL API cannot give it a new PUBLIC_KEY, and "+
			"ssh-private-key is not the key it was created with; give that key, or use runpod-api: rest", pod.ID)
	case err != nil:
		return fmt.Errorf("giving pod %s this run's SSH key before resuming it: %w", pod.ID, err)
	}
	return nil
}

// keyMatches reports whether the pod's PUBLIC_KEY holds the public half of ssh-private-key.
func (s *start) keyMatches(pod *runpod.Pod) bool {
	if s.cfg.SSHPrivateKey == "" {
		return false
	}
	fields := strings.Fields(s.key.AuthorizedKey)
	return len(fields) >= 2 && strings.Contains(pod.Env["PUBLIC_KEY"], fields[1])
}

// createLike creates a fresh pod with the stopped pod's GPU type (then gpu-types) and image.
func (s *start) createLike(ctx context.Context, old *runpod.Pod) error {
	types := []string{old.GPUTypeID}
	for _, t := range s.cfg.GPUTypes {
		if t != old.GPUTypeID {
			types = append(types, t)
		}
	}
	s.createTypes = types
	if s.cfg.Image == "" && s.cfg.TemplateID == "" {
		s.createImage = old.Image
	}
	return s.sweep(ctx)
}
