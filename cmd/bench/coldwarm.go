package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// coldWarm compares a cold start (a new pod, the runner downloaded) with a warm one (the pod
// resumed, the runner already on its volume), over a few rounds, and prints the medians.
func coldWarm(ctx context.Context, o options, bins sandbox.Binaries, dir string, out io.Writer) error {
	sb, err := start(o, bins, filepath.Join(dir, "coldwarm"))
	if err != nil {
		return err
	}
	defer sb.Close()
	key, err := remote.NewKey()
	if err != nil {
		return err
	}
	in := map[string]string{"volume-gb": "20", "volume-mount-path": filepath.Join(dir, "coldwarm", "volume"), "ssh-private-key": key.PEM}
	const rounds = 3
	var coldInstall, coldTotal, warmInstall, warmTotal []time.Duration
	for i := 0; i < rounds; i++ {
		run := sandbox.Run{ID: strconv.Itoa(9100000 + i), Attempt: "1"}
		job := func(name string) sandbox.Job {
			return sandbox.Job{Sandbox: sb, Binary: bins.Action, Run: run, Name: name}
		}
		in["volume-mount-path"] = filepath.Join(dir, "coldwarm", "volume"+strconv.Itoa(i))
		cold, _, err := job("cold").Start(ctx, in)
		if err != nil || cold.ExitCode != 0 {
			return fmt.Errorf("cold start: %v", err)
		}
		podID := cold.Outputs["pod-id"]
		if _, err := job("stop-1").Stop(ctx, map[string]string{"pod-id": podID, "on-stop": "stop"}); err != nil {
			return err
		}
		warm, _, err := job("warm").Start(ctx, map[string]string{"pod-id": podID, "ssh-private-key": key.PEM})
		if err != nil || warm.ExitCode != 0 || warm.Outputs["provision-mode"] != "resumed" {
			return fmt.Errorf("warm start: %v", err)
		}
		if _, err := job("stop-2").Stop(ctx, map[string]string{"pod-id": podID}); err != nil {
			return err
		}
		for _, r := range []struct {
			res            *sandbox.Result
			install, total *[]time.Duration
		}{{cold, &coldInstall, &coldTotal}, {warm, &warmInstall, &warmTotal}} {
			p := sandbox.PhaseSeconds(r.res.Summary)
			var sum float64
			for _, v := range p {
				sum += v
			}
			*r.install = append(*r.install, time.Duration(p["install"]*float64(time.Second)))
			*r.total = append(*r.total, time.Duration(sum*float64(time.Second)))
		}
	}
	fmt.Fprintf(out, "\nCold start (create, download the runner) against warm (resume, runner on the volume), median of %d:\n", rounds)
	fmt.Fprintf(out, "  cold: install %s, whole start %s\n", secs(sandbox.Percentile(coldInstall, 50)), secs(sandbox.Percentile(coldTotal, 50)))
	fmt.Fprintf(out, "  warm: install %s, whole start %s\n", secs(sandbox.Percentile(warmInstall, 50)), secs(sandbox.Percentile(warmTotal, 50)))
	return nil
}
