package action

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/runner"
)

// connect opens the one SSH connection every later command uses, pinning the host key.
func (s *start) connect(ctx context.Context) error {
	shell, err := s.d.SSH.Dial(ctx, s.sshAddr(), s.key, s.pin)
	if err != nil {
		return err
	}
	s.shell = shell
	s.log.Infof("Connected to %s as %s; host key %s pinned.", s.sshAddr(), s.cfg.SSHUser, s.pin.Fingerprint())
	return s.save(stateHostKey, s.pin.Key())
}

// preflight reads what the pod offers and fails early on what would fail later.
func (s *start) preflight(ctx context.Context) error {
	out, err := s.output(ctx, runner.PreflightCommand(), nil)
	if err != nil {
		return err
	}
	if s.facts, err = runner.ParseFacts(out); err != nil {
		return err
	}
	f := s.facts
	s.log.Infof("Pod: %s, %s GPU(s), %d MB free disk, uid %d.", f.Arch, gpus(f.GPUs), f.DiskFreeMB, f.UID)
	switch {
	case f.GPUs >= 0 && f.GPUs < s.cfg.GPUCount:
		return fmt.Errorf("the pod has %d GPU(s), not the %d asked for; the host may have lost its GPUs", f.GPUs, s.cfg.GPUCount)
	case f.DiskFreeMB > 0 && f.DiskFreeMB < 1500:
		return fmt.Errorf("the pod has %d MB of free disk; the runner needs about 1500 MB (raise container-disk-gb)", f.DiskFreeMB)
	}
	if len(f.Missing) > 0 {
		s.log.Warningf("The pod's image lacks %s; pre-runner-script must install it.", strings.Join(f.Missing, ", "))
	}
	return s.startWatchdog(ctx)
}

// startWatchdog puts max-runtime-minutes on the pod itself where RunPod cannot enforce it: on
// REST v2, which has no terminateAfter, and on pods this start did not create (RunPod resumes
// a pod without one). A pod this start created is terminated at its deadline; any other pod
// is only stopped.
func (s *start) startWatchdog(ctx context.Context) error {
	created := s.provision == ProvisionCreated
	if created && s.cfg.RunPodAPI != config.APIREST {
		return nil
	}
	deadline := s.adopted.Add(s.cfg.MaxRuntime)
	out, err := s.output(ctx, runner.WatchdogCommand(deadline, created, s.cfg.RunPodAPIURL), nil)
	if err != nil {
		return fmt.Errorf("starting the max-runtime watchdog on the pod: %w", err)
	}
	s.log.Infof("Watchdog on the pod ends it at %s (%s).", deadline.UTC().Format(time.RFC3339), strings.TrimSpace(out))
	return nil
}

func gpus(n int) string {
	if n < 0 {
		return "unknown (no nvidia-smi)"
	}
	return fmt.Sprint(n)
}

// install runs pre-runner-script, then installs the runner package unless it is there already.
func (s *start) install(ctx context.Context) error {
	if s.cfg.PreRunnerScript != "" {
		s.log.Infof("Running pre-runner-script:")
		w, end := s.log.UntrustedWriter()
		err := s.shell.Run(ctx, runner.PreRunnerCommand(), strings.NewReader(s.cfg.PreRunnerScript), w, w)
		end()
		if err != nil {
			return fmt.Errorf("pre-runner-script failed (exit status %d): %w", remote.ExitStatus(err), err)
		}
	}
	pkg, err := s.resolvePackage()
	if err != nil {
		return err
	}
	s.pkg = pkg
	out, err := s.output(ctx, runner.InstallCommand(pkg, s.runnerDir()), nil)
	if err != nil {
		return fmt.Errorf("installing runner %s from %s: %w", pkg.Version, pkg.URL, err)
	}
	s.cached = strings.Contains(out, "cached=1")
	how := "downloaded and verified"
	if s.cached {
		how = "already installed"
	}
	s.log.Infof("Runner %s in %s: %s.", pkg.Version, s.runnerDir(), how)
	return nil
}

// launchWait is the longest the launch waits on the pod for the runner to say it listens for
// jobs (or to die early); after that, GitHub is asked.
const launchWait = 20 * time.Second

// launch starts run.sh detached, handing it the JIT config on stdin.
func (s *start) launch(ctx context.Context) error {
	wait := launchWait
	if dl, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(dl)/3)
	}
	out, err := s.output(ctx, runner.LaunchCommand(s.runnerDir(), wait), strings.NewReader(s.jit.Encoded+"\n"))
	if err != nil {
		return fmt.Errorf("starting the runner (exit status %d): %w", remote.ExitStatus(err), err)
	}
	s.listening = strings.Contains(out, "listening")
	s.log.Infof("Runner process: %s", strings.TrimSpace(out))
	return nil
}

// output runs cmd and returns its stdout; stderr joins the error.
func (s *start) output(ctx context.Context, cmd string, stdin io.Reader) (string, error) {
	var stdout, stderr bytes.Buffer
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	err := s.shell.Run(ctx, cmd, stdin, &stdout, &stderr)
	if err != nil && stderr.Len() > 0 {
		err = fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), err
}

// runnerDir is runner-dir, or else a directory on the pod's volume when it has one (so that a
// resumed pod finds its runner installed), or else one in root's home.
func (s *start) runnerDir() string {
	switch {
	case s.cfg.RunnerDir != "":
		return s.cfg.RunnerDir
	case s.pod != nil && s.pod.VolumePath != "":
		return strings.TrimSuffix(s.pod.VolumePath, "/") + "/actions-runner"
	case s.pod == nil && (s.cfg.VolumeGB > 0 || s.cfg.NetworkVolumeID != ""):
		return strings.TrimSuffix(s.cfg.VolumeMountPath, "/") + "/actions-runner"
	}
	return "~/actions-runner"
}
