// Package fakepod runs the containers of simulated RunPod pods as real OpenSSH servers on
// 127.0.0.1: one sshd per pod, with its own host key, an authorized_keys written from the
// pod's PUBLIC_KEY as RunPod's start script does, and HOME in the pod's container disk. Every
// command a session runs is recorded with its environment, so tests can check what reached
// the pod. Faults make pods refuse the key, answer TCP before sshd is up, or lose GPUs.
package fakepod

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Faults make the pods a Host starts misbehave.
type Faults struct {
	// RefuseKey: PUBLIC_KEY never reaches authorized_keys, so the pod refuses the key.
	RefuseKey bool
	// SSHDelay: the public port accepts TCP and drops it for this long before sshd serves it,
	// as a pod's port does while its container boots.
	SSHDelay time.Duration
	// GPUs, when not nil, is how many GPUs the pod's nvidia-smi lists, whatever was rented.
	GPUs *int
	// Bashrc is shell text added to the pod's ~/.bashrc, which bash runs before the command of
	// every SSH session: what an image's rc files print reaches every command's output (bash
	// built with SSH_SOURCE_BASHRC, as on Debian and Ubuntu images:
	// https://git.savannah.gnu.org/cgit/bash.git/tree/config-top.h, SSH_SOURCE_BASHRC).
	Bashrc string
}

// Host runs pods under Dir. It implements fakerunpod.Host.
type Host struct {
	Dir  string // one directory per pod
	SSHD string // path of sshd; "" means /usr/sbin/sshd
	// APIURL is the RunPod stand-in's root, which the pods' runpodctl stand-in calls.
	APIURL string

	mu      sync.Mutex
	pods    map[string]*instance
	faults  Faults
	volumes map[string]string // pod → where its volume is mounted
}

// NewHost returns a Host keeping pods under dir. It fails when sshd is missing.
func NewHost(dir string) (*Host, error) {
	h := &Host{Dir: dir, SSHD: "/usr/sbin/sshd", pods: map[string]*instance{}, volumes: map[string]string{}}
	if _, err := os.Stat(h.SSHD); err != nil {
		return nil, fmt.Errorf("the pod stand-in needs OpenSSH's sshd (apt-get install -y openssh-server): %w", err)
	}
	if os.Geteuid() == 0 {
		// sshd running as root wants its privilege separation directory.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			return nil, fmt.Errorf("creating /run/sshd: %w", err)
		}
	}
	return h, os.MkdirAll(filepath.Join(dir, "_sessions"), 0o755)
}

// SetFaults sets the faults of the pods started from now on.
func (h *Host) SetFaults(f Faults) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults = f
}

// PodDir is where a pod's files live.
func (h *Host) PodDir(podID string) string { return filepath.Join(h.Dir, podID) }

// ContainerDir is the pod's container disk: wiped when the pod stops.
func (h *Host) ContainerDir(podID string) string { return filepath.Join(h.PodDir(podID), "container") }

// HomeDir is HOME in the pod's SSH sessions.
func (h *Host) HomeDir(podID string) string { return filepath.Join(h.ContainerDir(podID), "home") }

// VolumeDir is the pod's own volume on the host: it outlives a stop, not a removal.
func (h *Host) VolumeDir(podID string) string { return filepath.Join(h.PodDir(podID), "volume") }

// PerPodVolumes reports whether each pod sees its own VolumeDir at its volume's mount path.
// That takes a mount namespace per pod, so root; without, the pods share the host's directory
// at the mount path.
func PerPodVolumes() bool {
	_, err := exec.LookPath("unshare")
	return os.Geteuid() == 0 && err == nil
}

// MountVolume gives the pod a volume of its own at path, from its next Start on. It
// implements fakerunpod.VolumeHost.
func (h *Host) MountVolume(podID, path string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.volumes[podID] = path
}

// Start boots the pod: a fresh sshd on a free port of 127.0.0.1.
func (h *Host) Start(podID string, env map[string]string) (string, int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.pods[podID] != nil {
		return "", 0, fmt.Errorf("pod %s is already running", podID)
	}
	gpus, err := strconv.Atoi(env["RUNPOD_GPU_COUNT"])
	if err != nil {
		gpus = 1
	}
	if h.faults.GPUs != nil {
		gpus = *h.faults.GPUs
	}
	publicKey := env["PUBLIC_KEY"]
	if h.faults.RefuseKey {
		publicKey = ""
	}
	c := &container{id: podID, dir: h.ContainerDir(podID), log: h.CommandLog(podID), api: h.APIURL, env: env}
	if mount := h.volumes[podID]; mount != "" && PerPodVolumes() {
		c.volume, c.mount = h.VolumeDir(podID), mount
		if err := errors.Join(os.MkdirAll(c.volume, 0o755), os.MkdirAll(mount, 0o755)); err != nil {
			return "", 0, fmt.Errorf("the volume of pod %s: %w", podID, err)
		}
	}
	if err := c.prepare(publicKey, gpus, h.faults.Bashrc); err != nil {
		return "", 0, fmt.Errorf("preparing pod %s: %w", podID, err)
	}
	in, err := boot(c, h.SSHD, h.faults.SSHDelay)
	if err != nil {
		return "", 0, fmt.Errorf("starting sshd for pod %s: %w", podID, err)
	}
	h.pods[podID] = in
	return "127.0.0.1", in.port, nil
}

// Stop halts the pod: its processes end and its container disk (host key included) is wiped.
// What lives outside the pod's directory (a volume path) stays.
func (h *Host) Stop(podID string) error {
	err := h.halt(podID)
	return errors.Join(err, os.RemoveAll(h.ContainerDir(podID)))
}

// Remove deletes the pod and everything it had.
func (h *Host) Remove(podID string) error {
	err := h.halt(podID)
	return errors.Join(err, os.RemoveAll(h.PodDir(podID)))
}

// Close halts every pod.
func (h *Host) Close() error {
	h.mu.Lock()
	ids := make([]string, 0, len(h.pods))
	for id := range h.pods {
		ids = append(ids, id)
	}
	h.mu.Unlock()
	var errs []error
	for _, id := range ids {
		errs = append(errs, h.halt(id))
	}
	return errors.Join(errs...)
}

func (h *Host) halt(podID string) error {
	h.mu.Lock()
	in := h.pods[podID]
	delete(h.pods, podID)
	h.mu.Unlock()
	if in != nil {
		in.stop()
	}
	return killMarked(marker(podID))
}
