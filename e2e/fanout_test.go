package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

var threeGPUs = []string{"NVIDIA GeForce RTX 4090", "NVIDIA RTX A6000", "NVIDIA L4"}

// TestMatrixOfStartJobs is the per-leg pattern: a start job per GPU type, each leg with a label
// the workflow computes (and the GPU job computes the same way), a job on every leg, and one stop
// job for the whole run.
func TestMatrixOfStartJobs(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var wg sync.WaitGroup
		errs := make([]error, len(threeGPUs))
		labels := make([]string, len(threeGPUs))
		for i, gpu := range threeGPUs {
			labels[i] = fmt.Sprintf("runpod-%s-%s-%s", w.run.ID, w.run.Attempt, config.GPUSlug(gpu))
			wg.Add(1)
			go func() {
				defer wg.Done()
				main, _, err := w.job("start-"+labels[i]).Start(ctx, map[string]string{"gpu-types": gpu, "label": labels[i]})
				if err == nil && (main.ExitCode != 0 || main.Outputs["gpu-type"] != gpu) {
					err = fmt.Errorf("leg %s: exit %d, outputs %v\n%s", labels[i], main.ExitCode, main.Outputs, main.Stdout)
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, l := range labels {
			runJob(ctx, t, w, l)
		}
		if stop, err := w.job("stop").Stop(ctx, nil); err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop: %v", err)
		}
		w.checkEmpty(t)
	})
}

// TestLabelCollisionFails: two starts of one run with the same label: the second fails, and
// leaves the first alone.
func TestLabelCollisionFails(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		in := map[string]string{"label": "same-label"}
		first, _, err := w.job("first").Start(ctx, in)
		if err != nil || first.ExitCode != 0 {
			t.Fatalf("first start: %v", err)
		}
		second, _, err := w.job("second").Start(ctx, in)
		if err != nil || second.ExitCode != 1 || !strings.Contains(second.Stdout, "its own label") {
			t.Fatalf("second start with the same label: exit %d\n%s", second.ExitCode, second.Stdout)
		}
		runJob(ctx, t, w, "same-label") // the first runner is untouched
		if stop, err := w.job("stop").Stop(ctx, nil); err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop: %v", err)
		}
		w.checkEmpty(t)
	})
}

// TestOneCallManyPods is the matrix-output pattern: one start makes a pod per GPU type; a later
// job's matrix comes from its matrix output, and one stop job removes them all.
func TestOneCallManyPods(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		main, post, err := w.job("start").Start(ctx, map[string]string{"gpu-types": strings.Join(threeGPUs, "\n"), "fan-out": "per-gpu-type"})
		if err != nil || main.ExitCode != 0 {
			t.Fatalf("start: %v\n%s", err, main.Stdout)
		}
		var matrix []struct {
			Label, GPUType, PodID string
			RunnerID              int64
			CostPerHour           float64
		}
		if err := json.Unmarshal([]byte(strings.NewReplacer(`"gpu-type"`, `"GPUType"`, `"pod-id"`, `"PodID"`,
			`"runner-id"`, `"RunnerID"`, `"cost-per-hour"`, `"CostPerHour"`).Replace(main.Outputs["matrix"])), &matrix); err != nil {
			t.Fatalf("matrix output %q: %v", main.Outputs["matrix"], err)
		}
		if len(matrix) != 3 || len(strings.Split(main.Outputs["pod-id"], ",")) != 3 {
			t.Fatalf("matrix %+v, pod-id %q; want three runners", matrix, main.Outputs["pod-id"])
		}
		for i, m := range matrix {
			if m.GPUType != threeGPUs[i] || m.PodID == "" || m.RunnerID == 0 || m.CostPerHour <= 0 ||
				!strings.HasPrefix(m.Label, main.Outputs["label"]+"-") {
				t.Errorf("matrix entry %d = %+v", i, m)
			}
			runJob(ctx, t, w, m.Label)
		}
		if post.ExitCode != 0 || len(w.RunPod.Pods()) != 0 && strings.Contains(post.Stdout, "removing") {
			t.Errorf("post step after a ready fan-out:\n%s", post.Stdout)
		}
		if stop, err := w.job("stop").Stop(ctx, map[string]string{"pod-id": main.Outputs["pod-id"]}); err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop: %v", err)
		}
		w.checkEmpty(t)
		w.checkNoLeaks(t, nil, main, post)
	})
}
