package fakepod

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// killMarked ends every process whose environment holds the pod's marker: what the pod's
// sessions started, detached or not, as a container's end would.
func killMarked(mark string) error {
	for round := 0; round < 50; round++ {
		pids := markedPIDs([]byte(mark))
		if len(pids) == 0 {
			return nil
		}
		for _, pid := range pids {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

func markedPIDs(mark []byte) []int {
	entries, _ := filepath.Glob("/proc/[0-9]*/environ")
	self := os.Getpid()
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(filepath.Base(filepath.Dir(e)))
		if err != nil || pid == self {
			continue
		}
		env, err := os.ReadFile(e)
		if err != nil {
			continue
		}
		for _, kv := range bytes.Split(env, []byte{0}) {
			if bytes.Equal(kv, mark) {
				pids = append(pids, pid)
				break
			}
		}
	}
	return pids
}

// CommandLog is the file that records every command the pod's sessions ran, with its
// environment. It outlives the pod.
func (h *Host) CommandLog(podID string) string {
	return filepath.Join(h.Dir, "_sessions", podID+".log")
}

// Logs returns the container's log as RunPod shows it: here, what its sshd printed.
func (h *Host) Logs(podID string) []string {
	b, err := os.ReadFile(filepath.Join(h.ContainerDir(podID), "sshd.log"))
	if err != nil {
		return nil
	}
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n")
}
