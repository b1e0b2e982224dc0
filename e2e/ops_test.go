package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/ops"
	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// TestOperatorPods: two starts in two workflow runs, then the operator's commands on the
// compiled binary: pods list shows both with their run markers and online runners; exec passes
// an exit status through; cp round-trips 5 MB both ways; logs --runner shows the runner's own
// log; the host key is the one the start step printed.
func TestOperatorPods(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		second := &world{Sandbox: w.Sandbox, api: api, run: sandbox.Run{ID: w.run.ID + "7", Attempt: "2"}}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		key, err := remote.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		identity := filepath.Join(t.TempDir(), "id_ed25519")
		if err := os.WriteFile(identity, []byte(key.PEM), 0o600); err != nil {
			t.Fatal(err)
		}
		outs := map[string]map[string]string{}
		for _, x := range []*world{w, second} {
			main, _, err := x.job("start").Start(ctx, map[string]string{"authorized-keys": key.AuthorizedKey})
			if err != nil || main.ExitCode != 0 {
				t.Fatalf("start of run %s: %v\n%s", x.run.ID, err, main.Stdout)
			}
			outs[x.run.ID] = main.Outputs
		}
		cli := func(stdin []byte, args ...string) *sandbox.CLIResult {
			t.Helper()
			r, err := w.CLI(ctx, built.Action, bytes.NewReader(stdin), args...)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}

		list := cli(nil, "pods", "list", "--json")
		var views []ops.PodView
		if err := json.Unmarshal([]byte(list.Stdout), &views); err != nil || list.ExitCode != 0 {
			t.Fatalf("pods list: exit %d, %v\n%s%s", list.ExitCode, err, list.Stdout, list.Stderr)
		}
		for _, x := range []*world{w, second} {
			out, found := outs[x.run.ID], false
			for _, v := range views {
				if v.ID != out["pod-id"] {
					continue
				}
				found = true
				if v.Run != x.run.ID || v.Attempt != x.run.Attempt || v.Repository != sandbox.Repository || v.Label != out["label"] ||
					v.Runner != ops.RunnerOnline || v.RunnerID == 0 || v.Status != "RUNNING" || v.CostPerHour <= 0 {
					t.Errorf("pods list shows run %s's pod as %+v; want run %s attempt %s, label %s, runner online", x.run.ID, v, x.run.ID, x.run.Attempt, out["label"])
				}
			}
			if !found {
				t.Errorf("pods list lacks run %s's pod %s:\n%s", x.run.ID, out["pod-id"], list.Stdout)
			}
		}

		pod, hostKey := outs[w.run.ID]["pod-id"], outs[w.run.ID]["ssh-host-key"]
		if !strings.HasPrefix(hostKey, "SHA256:") {
			t.Fatalf("ssh-host-key output = %q", hostKey)
		}
		ssh := []string{"--identity", identity, "--user", sandbox.SSHUser(), "--host-key", hostKey}
		if r := cli(nil, append(append([]string{"pods", "exec"}, ssh...), pod, "--", "sh", "-c", "exit 3")...); r.ExitCode != 3 {
			t.Errorf("pods exec sh -c 'exit 3': exit %d\n%s", r.ExitCode, r.Stderr)
		}

		data := make([]byte, 5<<20)
		if _, err := rand.Read(data); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		local, back := filepath.Join(dir, "up.bin"), filepath.Join(dir, "down.bin")
		if err := os.WriteFile(local, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if r := cli(nil, append(append([]string{"pods", "cp"}, ssh...), local, pod+":/tmp/up-"+pod+".bin")...); r.ExitCode != 0 {
			t.Fatalf("pods cp up: exit %d\n%s", r.ExitCode, r.Stderr)
		}
		sum := cli(nil, append(append([]string{"pods", "exec"}, ssh...), pod, "--", "wc", "-c", "/tmp/up-"+pod+".bin")...)
		if !strings.HasPrefix(sum.Stdout, "5242880 ") {
			t.Errorf("the pod holds %q", sum.Stdout)
		}
		if r := cli(nil, append(append([]string{"pods", "cp"}, ssh...), pod+":/tmp/up-"+pod+".bin", back)...); r.ExitCode != 0 {
			t.Fatalf("pods cp down: exit %d\n%s", r.ExitCode, r.Stderr)
		}
		if got, err := os.ReadFile(back); err != nil || !bytes.Equal(got, data) {
			t.Errorf("5 MB round trip: got %d bytes back (%v), not the same bytes", len(got), err)
		}

		logs := cli(nil, append(append([]string{"pods", "logs", "--runner"}, ssh...), pod)...)
		if logs.ExitCode != 0 || !strings.Contains(logs.Stdout, "Listening for Jobs") {
			t.Errorf("pods logs --runner: exit %d\n%s\n%s", logs.ExitCode, logs.Stdout, logs.Stderr)
		}
		if r := cli(nil, "pods", "exec", "--identity", identity, "--user", sandbox.SSHUser(), pod, "--", "true"); r.ExitCode != 1 || !strings.Contains(r.Stderr, hostKey) {
			t.Errorf("pods exec without --host-key: exit %d, want 1 and the key shown\n%s", r.ExitCode, r.Stderr)
		}

		for _, x := range []*world{w, second} {
			if stop, err := x.job("stop").Stop(ctx, nil); err != nil || stop.ExitCode != 0 {
				t.Fatalf("stop of run %s: %v", x.run.ID, err)
			}
		}
		w.checkEmpty(t)
	})
}
