package e2e

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakepod"
)

// runnerOnVolume is what a pod keeps of its runner on its own volume: the runner package the
// install kept, and the bin directory it extracts from it at every start. A changed package is
// a download; a changed bin is a start that installed again.
type runnerOnVolume struct{ pkg, bin fileID }

// fileID tells a file from the one that replaced it: a file system may give a new file the
// inode number of the one just removed, but not its change time.
type fileID struct {
	ino   uint64
	ctime syscall.Timespec
}

// volumeRunners reads runnerOnVolume for each pod from its own volume directory (the runner
// directory is <volume-mount-path>/actions-runner/<pod id>, mounted from the pod's volume).
func volumeRunners(t *testing.T, w *world, podIDs []string) map[string]runnerOnVolume {
	t.Helper()
	out := map[string]runnerOnVolume{}
	for _, id := range podIDs {
		dir := filepath.Join(w.Pods.VolumeDir(id), "actions-runner", id)
		out[id] = runnerOnVolume{pkg: identify(t, filepath.Join(dir, ".runpod-runner-package.tar.gz")), bin: identify(t, filepath.Join(dir, "bin"))}
	}
	return out
}

func identify(t *testing.T, path string) fileID {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Errorf("not on the pod's own volume: %v", err)
		return fileID{}
	}
	st := fi.Sys().(*syscall.Stat_t)
	return fileID{ino: st.Ino, ctime: st.Ctim}
}

// checkWarmPodsKeptTheirRunner: each warm pod resumed in the second wave (its bin is new: it
// installed its runner again) did so from the package on its own volume (the same package, not
// downloaded again), and at least one was; nothing of any pod's runner is in the host's
// directory at the mount path, which every pod would share.
func checkWarmPodsKeptTheirRunner(t *testing.T, w *world, before map[string]runnerOnVolume) {
	t.Helper()
	resumed := 0
	for id, a := range volumeRunners(t, w, keys(before)) {
		if a.pkg != before[id].pkg {
			t.Errorf("pod %s downloaded the runner again onto its own volume in wave two", id)
		}
		if a.bin != before[id].bin {
			resumed++
		}
	}
	if resumed == 0 {
		t.Error("no warm pod installed its runner again in wave two: none was resumed")
	}
	if entries, _ := os.ReadDir(filepath.Join(w.Dir, "volume")); len(entries) > 0 {
		t.Errorf("the host's directory at the volume mount path holds %d entries, want none: the pods' volumes are their own", len(entries))
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// perPodVolumes skips what needs a volume per pod (a mount namespace each, so root).
func perPodVolumes(t *testing.T) bool {
	if !fakepod.PerPodVolumes() {
		t.Log("the pod stand-in runs without root: its pods share one volume directory, so the per-pod volume checks are skipped")
		return false
	}
	return true
}

// stoppedPods are the ids of the scale set's stopped pods in the RunPod stand-in.
func stoppedPods(w *world, set string) []string {
	var out []string
	for _, p := range w.RunPod.Pods() {
		if p.Env[marker.ScaleSet] == set && p.Status == "EXITED" {
			out = append(out, p.ID)
		}
	}
	return out
}
