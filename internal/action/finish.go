package action

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// finish writes the outputs and the job summary, and marks the start ready.
func (s *start) finish(context.Context) error {
	var errs []error
	if s.prefix == "" { // a leg of many leaves the outputs to the fan-out
		errs = append(errs, writeOutputs(s.d, s.label, []*start{s}))
	}
	errs = append(errs, s.addSummary(s.summary()), s.save(statePhase, string(PhaseReady)))
	if err := errors.Join(errs...); err != nil {
		return err
	}
	s.log.Noticef("Runner %s is online on pod %s: %d × %s at $%.3f/hour (%s in %s).", s.label, s.pod.ID,
		s.podGPUs(), s.gpuType, s.costPerHour(), s.provision, s.d.Now().Sub(s.began).Round(100*time.Millisecond))
	return nil
}

func (s *start) costPerHour() float64 {
	if s.pod.CostPerHour > 0 {
		return s.pod.CostPerHour
	}
	return s.price(s.gpuType)
}

// summary is the job summary of a ready start.
func (s *start) summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### RunPod runner `%s` is online\n\n| | |\n|---|---|\n", s.label)
	fmt.Fprintf(&b, "| Pod | `%s` (%s), %s |\n", s.pod.ID, s.pod.Name, s.provision)
	fmt.Fprintf(&b, "| GPU | %d × %s |\n", s.podGPUs(), s.gpuType)
	fmt.Fprintf(&b, "| Price | $%.3f/hour |\n", s.costPerHour())
	fmt.Fprintf(&b, "| Runner | %s (id %d), version %s%s |\n", s.jit.Runner.Name, s.jit.Runner.ID, s.pkg.Version, cachedNote(s.cached))
	fmt.Fprintf(&b, "| SSH | %s, host key `%s` |\n", s.sshAddr(), s.pin.Fingerprint())
	if c, ok := s.d.Pods.(interface{ Calls() int64 }); ok {
		fmt.Fprintf(&b, "| RunPod calls | %d (RunPod's rate limit is per user, shared by every job using the key) |\n", c.Calls())
	}
	if s.fallback != "" {
		fmt.Fprintf(&b, "| Note | %s |\n", s.fallback)
	}
	b.WriteString("\n")
	b.WriteString(s.phaseTable())
	b.WriteString(s.attemptTable())
	return b.String()
}

func cachedNote(cached bool) string {
	if cached {
		return " (already installed)"
	}
	return ""
}

func (s *start) phaseTable() string {
	var b strings.Builder
	b.WriteString("| Phase | Time |\n|---|---:|\n")
	var total time.Duration
	for _, t := range s.timings {
		total += t.Duration
		fmt.Fprintf(&b, "| %s | %s |\n", t.Phase, seconds(t.Duration))
	}
	fmt.Fprintf(&b, "| **total** | **%s** |\n\n", seconds(total))
	return b.String()
}

func (s *start) attemptTable() string {
	if len(s.attempts) < 2 {
		return ""
	}
	var b strings.Builder
	b.WriteString("| GPU type | Data center | Result |\n|---|---|---|\n")
	for _, a := range s.attempts {
		dc := a.DataCenter
		if dc == "" {
			dc = "any"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", a.GPUType, dc, strings.ReplaceAll(a.Result, "|", "/"))
	}
	return b.String() + "\n"
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }
