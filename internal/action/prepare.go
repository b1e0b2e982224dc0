package action

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
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

func gpus(n int) string {
	if n < 0 {
		return "unknown (no nvidia-smi)"
	}
	return fmt.Sprint(n)
}

// What the scripts print, parsed so that only these tokens of the pod's output reach the log:
// whatever else the pod prints (its shell's rc files, say) is not shown.
var (
	reLaunch   = regexp.MustCompile(`(?m)^(listening|started) pid=([0-9]{1,10})$`)
	reWatchdog = regexp.MustCompile(`(?m)^watchdog pid=([0-9]{1,10}) deadline=[0-9]+$`)
)

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
	volume := ""
	switch {
	case s.cfg.RunnerDir != "":
		return s.cfg.RunnerDir
	case s.pod != nil && s.pod.VolumePath != "":
		volume = s.pod.VolumePath
	case s.pod == nil && (s.cfg.VolumeGB > 0 || s.cfg.NetworkVolumeID != ""):
		volume = s.cfg.VolumeMountPath
	default:
		return "~/actions-runner"
	}
	// A volume may be shared (a network volume, by every pod that mounts it): each pod keeps its
	// runner, its work directory and its credentials in a directory of its own.
	dir := strings.TrimSuffix(volume, "/") + "/actions-runner"
	if s.pod != nil {
		dir += "/" + s.pod.ID
	}
	return dir
}
