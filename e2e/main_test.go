// Package e2e runs the action's compiled binary the way the Actions runner runs a container
// action, against the RunPod and GitHub stand-ins and pods that are real sshd processes.
package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// built holds the binaries TestMain builds once for every test.
var built sandbox.Binaries

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "runpod-runner-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := 1
	if err := build(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		code = m.Run()
	}
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func build(dir string) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	built, err = sandbox.Build(ctx, dir)
	return err
}

// world is one test's sandbox and the run its jobs belong to.
type world struct {
	*sandbox.Sandbox
	api string
	run sandbox.Run
}

// apis are the RunPod APIs every end-to-end test runs against.
var apis = []string{"rest", "graphql"}

// forEachAPI runs test once per RunPod API, in parallel.
func forEachAPI(t *testing.T, test func(t *testing.T, api string)) {
	for _, api := range apis {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			test(t, api)
		})
	}
}

func newWorld(t *testing.T, api string, opts sandbox.Options) *world {
	t.Helper()
	opts.Dir = t.TempDir()
	opts.RunPodAPI = api
	opts.Listener = built.Listener
	if opts.RunPod.BootDelay == 0 {
		opts.RunPod.BootDelay = 150 * time.Millisecond
	}
	sb, err := sandbox.Start(opts)
	if err != nil {
		t.Fatal(err) // sshd is required: make test installs openssh-server
	}
	t.Cleanup(func() { _ = sb.Close() })
	return &world{Sandbox: sb, api: api, run: sandbox.Run{ID: fmt.Sprint(time.Now().UnixNano() % 1e9), Attempt: "1"}}
}

func (w *world) job(name string) sandbox.Job {
	return sandbox.Job{Sandbox: w.Sandbox, Binary: built.Action, Run: w.run, Name: name}
}

// secrets are what must never show unmasked: the two credentials, every JIT config and runner
// credential GitHub handed out, and the SSH private key when the test gave one. checkNoLeaks
// adds whatever the steps masked (the generated SSH key among them).
func (w *world) secrets(extra map[string]string) map[string]string {
	out := map[string]string{"runpod-api-key": sandbox.RunPodKey, "github-token": sandbox.GitHubToken}
	for i, s := range w.GitHub.IssuedSecrets() {
		out[fmt.Sprintf("jit secret %d", i)] = s
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// checkNoLeaks scans every byte the steps wrote and every pod session for the secrets.
func (w *world) checkNoLeaks(t *testing.T, extra map[string]string, results ...*sandbox.Result) {
	t.Helper()
	blobs := w.PodBlobs()
	secrets := w.secrets(extra)
	for i, r := range results {
		if r == nil {
			continue
		}
		for where, b := range r.Raw {
			blobs[fmt.Sprintf("step %d %s", i, where)] = b
		}
		for j, m := range sandbox.Masked(r.Stdout) {
			secrets[fmt.Sprintf("value masked by step %d (#%d)", i, j)] = m
		}
	}
	for _, leak := range sandbox.Scan(secrets, blobs) {
		t.Errorf("secret leak: %s", leak)
	}
}

// checkEmpty asserts the stand-ins hold no pod and no runner registration.
func (w *world) checkEmpty(t *testing.T) {
	t.Helper()
	if pods := w.RunPod.Pods(); len(pods) != 0 {
		t.Errorf("RunPod still holds %d pod(s): %+v", len(pods), pods)
	}
	if runners := w.GitHub.Runners(); len(runners) != 0 {
		t.Errorf("GitHub still holds %d runner(s): %+v", len(runners), runners)
	}
}
