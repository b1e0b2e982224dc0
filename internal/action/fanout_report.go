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

// OutputNames are the outputs every start writes, as action.yml declares them.
func OutputNames() []string {
	return []string{"label", "runner-name", "runner-id", "pod-id", "pod-name", "gpu-type", "gpu-count",
		"cost-per-hour", "ssh-host", "ssh-port", "ssh-host-key", "provision-mode", "matrix", "timings"}
}

// writeOutputs writes the outputs of the runners that came online: for one, its values; for
// several, the label they all carry, the matrix, and each other value comma separated (so that a
// stop job given pod-id removes them all) but the cost, which is their sum.
func writeOutputs(d Deps, label string, ready []*start) error {
	entries := make([]matrixEntry, 0, len(ready))
	var col = map[string][]string{}
	total := 0.0
	for _, s := range ready {
		entries = append(entries, matrixEntry{Label: s.label, GPUType: s.gpuType, PodID: s.pod.ID, RunnerID: s.jit.Runner.ID, CostPerHour: s.costPerHour()})
		for name, v := range map[string]string{
			"runner-name": s.runnerName, "runner-id": strconv.FormatInt(s.jit.Runner.ID, 10), "pod-id": s.pod.ID,
			"pod-name": s.pod.Name, "gpu-type": s.gpuType, "ssh-host": s.pod.SSH.Host, "ssh-port": strconv.Itoa(s.pod.SSH.Port),
			"ssh-host-key":   s.pin.Fingerprint(),
			"provision-mode": s.provision,
		} {
			col[name] = append(col[name], v)
		}
		total += s.costPerHour()
	}
	matrix, err := json.Marshal(entries)
	if err != nil {
		return err
	}
	values := map[string]string{
		"label": label, "matrix": string(matrix), "gpu-count": strconv.Itoa(ready[0].podGPUs()),
		"cost-per-hour": strconv.FormatFloat(total, 'f', 3, 64), "timings": ready[0].timingsJSON(),
	}
	for name, vs := range col {
		values[name] = strings.Join(vs, ",")
	}
	var errs []error
	for _, name := range OutputNames() {
		errs = append(errs, d.WF.SetOutput(name, values[name]))
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
		after = after || t.Phase == PhaseWaitReady
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
