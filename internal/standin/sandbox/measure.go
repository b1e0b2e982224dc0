package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Measured is one start step as the stand-ins saw it.
type Measured struct {
	Label          string
	Result         *Result
	ReadyToOnline  time.Duration // from the pod publishing SSH to GitHub calling the runner online
	SSHConnections int           // that the pod's sshd accepted during the start
}

// StartMany runs n start steps at once in run, each with its own label (label-1 … label-n),
// and measures each. inputs apply to all of them.
func (s *Sandbox) StartMany(ctx context.Context, binary string, run Run, label string, n int, inputs map[string]string) ([]Measured, error) {
	out := make([]Measured, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range out {
		in := map[string]string{"label": fmt.Sprintf("%s-%d", label, i+1)}
		for k, v := range inputs {
			in[k] = v
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			job := Job{Sandbox: s, Binary: binary, Run: run, Name: "start-" + in["label"]}
			res, err := job.Main(ctx, "start", in, Step{})
			out[i], errs[i] = Measured{Label: in["label"], Result: res}, err
			if err == nil && res.ExitCode != 0 {
				errs[i] = fmt.Errorf("start %s failed (exit %d):\n%s", in["label"], res.ExitCode, res.Stdout)
			}
		}()
	}
	wg.Wait()
	for i := range out {
		if errs[i] != nil {
			return out, errs[i]
		}
		s.measure(&out[i])
	}
	return out, nil
}

func (s *Sandbox) measure(m *Measured) {
	podID := m.Result.Outputs["pod-id"]
	runnerID, _ := strconv.ParseInt(m.Result.Outputs["runner-id"], 10, 64)
	if ready, online := s.RunPod.ReadyAt(podID), s.GitHub.OnlineAt(runnerID); !ready.IsZero() && !online.IsZero() {
		m.ReadyToOnline = online.Sub(ready)
	}
	m.SSHConnections = s.SSHConnections(podID)
}

// SSHConnections counts the connections a pod's sshd has accepted so far (0 once the pod is
// gone).
func (s *Sandbox) SSHConnections(podID string) int {
	b, err := os.ReadFile(filepath.Join(s.Pods.ContainerDir(podID), "sshd.log"))
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "Accepted publickey for ")
}

// Percentile returns the p-th percentile (0-100) of ds.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(float64(len(s)-1) * p / 100)
	return s[i]
}

// StartFanOut runs one start step that makes n runners (runners: n) and measures each of them.
func (s *Sandbox) StartFanOut(ctx context.Context, binary string, run Run, label string, n int, inputs map[string]string) ([]Measured, error) {
	in := map[string]string{"label": label, "runners": strconv.Itoa(n)}
	for k, v := range inputs {
		in[k] = v
	}
	res, err := Job{Sandbox: s, Binary: binary, Run: run, Name: "start-" + label}.Main(ctx, "start", in, Step{})
	if err != nil {
		return nil, err
	}
	if res.ExitCode != 0 {
		return nil, fmt.Errorf("fan-out start failed (exit %d):\n%s", res.ExitCode, res.Stdout)
	}
	var legs []struct {
		Label    string `json:"label"`
		PodID    string `json:"pod-id"`
		RunnerID int64  `json:"runner-id"`
	}
	if err := json.Unmarshal([]byte(res.Outputs["matrix"]), &legs); err != nil {
		return nil, fmt.Errorf("matrix output: %w", err)
	}
	out := make([]Measured, 0, len(legs))
	for _, l := range legs {
		leg := &Result{Outputs: map[string]string{"pod-id": l.PodID, "runner-id": strconv.FormatInt(l.RunnerID, 10)}, PeakRSSKB: res.PeakRSSKB}
		m := Measured{Label: l.Label, Result: leg}
		s.measure(&m)
		out = append(out, m)
	}
	return out, nil
}
