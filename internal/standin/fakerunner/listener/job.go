package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

const (
	maxOutput     = 1 << 20
	killWaitDelay = 5 * time.Second
)

// work runs the job, reports its result and removes the local
// configuration, as an ephemeral runner does after its one job.
func (l *listener) work(ctx context.Context, job jobMessage) error {
	id := strconv.FormatInt(job.JobID, 10)
	l.out.stamp("Running job: %s", id)
	stopRenew := l.renew(ctx, id)
	code, output, err := l.runScript(ctx, id, job.Script)
	stopRenew()
	result := "Succeeded"
	switch {
	case ctx.Err() != nil:
		result = "Canceled"
	case err != nil || code != 0:
		result = "Failed"
	}
	l.out.info("Job %s output:\n%s", id, output)
	// The result must reach the server even after a signal.
	rctx := context.WithoutCancel(ctx)
	in := map[string]any{"result": result, "exitCode": code, "output": output}
	status, err := l.b.call(rctx, http.MethodPost, "jobs/"+id+"/result", in, nil, callTimeout)
	if err := l.check(status, err, http.StatusOK); err != nil {
		return err
	}
	l.out.stamp("Job %s completed with result: %s", id, result)
	if err := deleteLocalConfig(l.root); err != nil {
		l.out.info("delete local configuration: %v", err)
	}
	l.out.info("Job has finished at backend, the runner will exit since it is running under onetime use mode")
	return nil
}

// renew sends a heartbeat for the job until the returned func is called.
func (l *listener) renew(ctx context.Context, id string) func() {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(l.heartbeat)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				status, err := l.b.once(ctx, http.MethodPost, "jobs/"+id+"/renew", nil, nil, callTimeout)
				if err != nil || status != http.StatusOK {
					l.out.info("Renew job %s: status %d, error %v", id, status, err)
				}
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}

// runScript runs the script with "bash -e -c" in <root>/<work>/<job id> and
// returns its exit code and combined output. A cancelled context kills the
// script's whole process group.
func (l *listener) runScript(ctx context.Context, id, script string) (int, string, error) {
	dir := filepath.Join(l.root, l.cfg.settings.WorkFolder, id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 1, "", fmt.Errorf("create work dir: %w", err)
	}
	cmd := exec.CommandContext(ctx, "bash", "-e", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CI=true", "GITHUB_ACTIONS=true",
		"RUNNER_NAME="+l.cfg.settings.AgentName, "GITHUB_WORKSPACE="+dir)
	out := &limitedBuffer{max: maxOutput}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = killWaitDelay
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String(), nil
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return ee.ExitCode(), out.String(), nil
	case errors.As(err, &ee):
		return 137, out.String(), nil
	}
	return 127, out.String() + err.Error() + "\n", fmt.Errorf("run script: %w", err)
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	buf []byte
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - len(b.buf); room > 0 {
		b.buf = append(b.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string { return string(b.buf) }
