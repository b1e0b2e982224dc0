package action

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/retry"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// attempt is one try at placing the pod, for the summary.
type attempt struct {
	GPUType, DataCenter, Result string
	NoCapacity                  bool
}

type candidate struct {
	gpuType, dataCenter, cloud string
}

// candidates are the places to try, in order: each GPU type in each data center (or anywhere),
// and with cloud-type ALL on REST, which has no ALL, the secure cloud before the community one;
// less those whose pod got no public IP in this start.
func (s *start) candidates() []candidate {
	dcs := s.cfg.DataCenterIDs
	switch {
	case s.volumeDC != "":
		dcs = []string{s.volumeDC}
	case len(dcs) == 0:
		dcs = []string{""}
	}
	clouds := []string{s.cfg.CloudType}
	if s.cfg.CloudType == "ALL" && s.cfg.RunPodAPI == config.APIREST {
		clouds = []string{"SECURE", "COMMUNITY"}
	}
	types := s.cfg.GPUTypes
	if s.createTypes != nil {
		types = s.createTypes
	}
	var out []candidate
	for _, g := range types {
		for _, cloud := range clouds {
			for _, dc := range dcs {
				if c := (candidate{gpuType: g, dataCenter: dc, cloud: cloud}); !s.noPublicIP[c] {
					out = append(out, c)
				}
			}
		}
	}
	return out
}

// provisionPod gets the pod: the one named by pod-id, or a new one on the first candidate with
// capacity. When every candidate is out of capacity it waits and sweeps again until the phase's
// deadline.
func (s *start) provisionPod(ctx context.Context) error {
	if s.cfg.PodID != "" {
		return s.usePod(ctx)
	}
	if s.cfg.Reuse {
		pod, err := s.findReusable(ctx)
		if err != nil {
			return err
		}
		if pod != nil {
			s.log.Infof("Found stopped pod %s named %s: resuming it.", pod.ID, pod.Name)
			return s.resume(ctx, pod)
		}
		s.log.Infof("No stopped pod named %s to reuse: creating one.", s.podName)
	}
	return s.createOnCandidates(ctx)
}

// createOnCandidates sweeps the candidates until one makes the pod; while every one is out of
// capacity it waits and sweeps again, until ctx ends.
func (s *start) createOnCandidates(ctx context.Context) error {
	return retry.Do(ctx, s.d.timing().CapacitySweep, s.sweep,
		func(err error) (bool, time.Duration) { return runpod.ClassOf(err) == runpod.Capacity, 0 },
		func(_ error, wait time.Duration) {
			s.log.Infof("Every candidate is out of capacity; trying them again in %s.", wait.Round(time.Second))
		})
}

// sweep tries each candidate once, in order. A candidate that is out of capacity, or that
// RunPod refuses (a 400 that is not about capacity, a 403 for a pool), gives way to the next,
// as RunPod's createPod description says to. When no candidate was out of capacity, another
// sweep cannot end otherwise: every 403 means the key cannot create pods, and every other
// refusal is a problem with the request.
func (s *start) sweep(ctx context.Context) error {
	var last error
	var refused []error
	cands := s.candidates()
	for _, c := range cands {
		pod, err := s.create(ctx, c)
		if pod != nil { // err is a cancel that came as the pod was made
			s.attempts = append(s.attempts, attempt{GPUType: c.gpuType, DataCenter: c.dataCenter, Result: "created"})
			s.placed = c
			return errors.Join(s.adopt(pod, c.gpuType, ProvisionCreated), err)
		}
		s.attempts = append(s.attempts, attempt{GPUType: c.gpuType, DataCenter: c.dataCenter, Result: short(err),
			NoCapacity: runpod.ClassOf(err) == runpod.Capacity})
		switch runpod.ClassOf(err) {
		case runpod.Capacity:
			s.log.Infof("No capacity for %s: trying the next candidate.", c)
			last = err
		case runpod.Rejected, runpod.Forbidden:
			s.log.Infof("RunPod refused %s (%v): trying the next candidate.", c, err)
			refused = append(refused, err)
		default:
			return err
		}
	}
	if last == nil {
		return refusal(refused)
	}
	return fmt.Errorf("every GPU type and data center was out of capacity: %w", last)
}

// refusal is the error of a sweep in which RunPod refused every candidate: an Auth error
// naming the key when each refusal was a 403, else an Invalid one with RunPod's answers.
func refusal(refused []error) error {
	forbidden := 0
	var details []string
	for _, err := range refused {
		var e *runpod.Error
		if !errors.As(err, &e) {
			continue
		}
		if e.Class == runpod.Forbidden {
			forbidden++
		}
		if !slices.Contains(details, e.Message) {
			details = append(details, e.Message)
		}
	}
	if forbidden == len(refused) {
		return &runpod.Error{Op: "create pod", Class: runpod.Auth, Status: 403, Message: fmt.Sprintf(
			"RunPod refused every candidate with 403: the key in %s can read but not create pods (give it read/write access): %s",
			config.InRunPodAPIKey, strings.Join(details, "; "))}
	}
	return &runpod.Error{Op: "create pod", Class: runpod.Invalid, Message: fmt.Sprintf(
		"RunPod refused every candidate, so the request itself is at fault: %s", strings.Join(details, "; "))}
}

// create asks for a pod on one candidate. A create that failed without an answer may have made
// the pod anyway, so before trying again the pod is looked for by its unique name.
func (s *start) create(ctx context.Context, c candidate) (*runpod.Pod, error) {
	req := s.createRequest(c)
	var pod *runpod.Pod
	if err := s.setPending(pendingCreate); err != nil {
		return nil, err
	}
	err := retry.Do(ctx, s.d.timing().CreateRetry, func(ctx context.Context) error {
		var err error
		pod, err = finishPastCancel(ctx, s.d.timing().CancelGrace, func(ctx context.Context) (*runpod.Pod, error) { return s.d.Pods.Create(ctx, req) })
		if pod != nil {
			return err // made, perhaps just as the step was cancelled: the caller records it
		}
		if c := runpod.ClassOf(err); c != runpod.Transient || rateLimited(err) {
			if c != runpod.Canceled {
				_ = s.setPending("") // answered (a rate limit too): nothing was made
			}
			return err
		}
		if found, ferr := s.findByName(ctx); ferr == nil && found != nil {
			pod = found
			return nil
		}
		return err
	}, retry.Retryable, func(err error, wait time.Duration) {
		s.log.Warningf("Creating the pod on %s failed (%v); retrying in %s.", c, err, wait.Round(100*time.Millisecond))
	})
	return pod, err
}

func (s *start) findByName(ctx context.Context) (*runpod.Pod, error) {
	pods, err := s.d.Pods.List(ctx)
	if err != nil {
		return nil, err
	}
	for i := range pods {
		if pods[i].Name == s.podName && pods[i].Env[marker.Label] == s.label {
			return &pods[i], nil
		}
	}
	return nil, nil
}

// adopt records the pod the moment it exists, so that a killed step still leaves its id.
func (s *start) adopt(pod *runpod.Pod, gpuType, provision string) error {
	s.pod, s.gpuType, s.provision, s.adopted = pod, gpuType, provision, s.d.Now()
	err := errors.Join(
		s.save(statePodID, pod.ID),
		s.save(stateProvision, provision),
		s.setPending(""),
		s.setOutput("pod-id", pod.ID),
	)
	s.log.Infof("Pod %s (%s) %s on %s, $%.3f/hour.", pod.ID, pod.Name, provision, gpuType, pod.CostPerHour)
	return err
}

func (c candidate) String() string {
	s := c.gpuType
	if c.cloud != "" && c.cloud != "SECURE" {
		s += " (" + strings.ToLower(c.cloud) + " cloud)"
	}
	if c.dataCenter != "" {
		s += " in " + c.dataCenter
	}
	return s
}

// short is the gist of an error for a table cell.
func short(err error) string {
	var e *runpod.Error
	if errors.As(err, &e) {
		return e.Class.String() + ": " + e.Message
	}
	return err.Error()
}

// rateLimited reports whether RunPod refused a request for its rate limit: it did nothing, and
// said when to come back.
func rateLimited(err error) bool {
	var e *runpod.Error
	return errors.As(err, &e) && e.Status == 429
}
