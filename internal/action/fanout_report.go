package action

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// matrixEntry is one runner in the matrix output.
type matrixEntry struct {
	Label       string  `json:"label"`
	GPUType     string  `json:"gpu-type"`
	PodID       string  `json:"pod-id"`
	RunnerID    int64   `json:"runner-id"`
	CostPerHour float64 `json:"cost-per-hour"`
}

// writeFanOutOutputs writes the matrix output and, comma separated, the ids of every runner
// that came online, so that a stop job given pod-id removes them all.
func writeFanOutOutputs(d Deps, group string, ready []*start) error {
	entries := make([]matrixEntry, 0, len(ready))
	var ids, runnerIDs, names, podNames, gpus []string
	total := 0.0
	for _, s := range ready {
		entries = append(entries, matrixEntry{Label: s.label, GPUType: s.gpuType, PodID: s.pod.ID, RunnerID: s.jit.Runner.ID, CostPerHour: s.costPerHour()})
		ids, runnerIDs = append(ids, s.pod.ID), append(runnerIDs, strconv.FormatInt(s.jit.Runner.ID, 10))
		names, podNames, gpus = append(names, s.runnerName), append(podNames, s.pod.Name), append(gpus, s.gpuType)
		total += s.costPerHour()
	}
	matrix, err := json.Marshal(entries)
	if err != nil {
		return err
	}
	outputs := [][2]string{
		{"label", group}, {"matrix", string(matrix)}, {"pod-id", strings.Join(ids, ",")},
		{"runner-id", strings.Join(runnerIDs, ",")}, {"runner-name", strings.Join(names, ",")},
		{"pod-name", strings.Join(podNames, ",")}, {"gpu-type", strings.Join(gpus, ",")},
		{"gpu-count", strconv.Itoa(ready[0].cfg.GPUCount)}, {"cost-per-hour", strconv.FormatFloat(total, 'f', 3, 64)},
		{"provision-mode", ProvisionCreated},
	}
	var errs []error
	for _, o := range outputs {
		errs = append(errs, d.WF.SetOutput(o[0], o[1]))
	}
	return errors.Join(errs...)
}

// fanOutSummary is the job summary of a fan-out: a row per runner.
func fanOutSummary(group string, legs []*start, errs []error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### RunPod runners `%s`\n\n| Runner label | GPU | Pod | $/hour | Result | Pod ready after | Runner online after | Total |\n|---|---|---|---:|---|---:|---:|---:|\n", group)
	for i, s := range legs {
		pod, price, result := "—", "—", "online"
		if s.pod != nil {
			pod, price = "`"+s.pod.ID+"`", fmt.Sprintf("%.3f", s.costPerHour())
		}
		if errs[i] != nil {
			result = "failed: " + strings.ReplaceAll(errs[i].Error(), "|", "/")
		}
		ready, online := s.split()
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s | %s |\n", s.label, orNone(s.gpuType), pod, price, result,
			seconds(ready), seconds(online), seconds(s.elapsed()))
	}
	return b.String()
}

// split divides the start's time at the pod's readiness: until the pod published SSH, and
// from there until the runner was online.
func (s *start) split() (ready, online time.Duration) {
	after := false
	for _, t := range s.timings {
		if after {
			online += t.Duration
		} else {
			ready += t.Duration
		}
		after = after || t.Phase == "wait-ready"
	}
	return ready, online
}

func (s *start) elapsed() time.Duration {
	var total time.Duration
	for _, t := range s.timings {
		total += t.Duration
	}
	return total
}
