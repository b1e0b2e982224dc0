package runner

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Setup is a start's whole work on a pod, done by one command in one SSH session: check the
// pod, start the max-runtime watchdog, run pre-runner-script, install the runner and its
// libraries, and start it. The command prints "phase=NAME" as each part begins.
type Setup struct {
	GPUs     int           // fewer GPUs than this fails the check
	DiskMB   int           // less free disk than this fails the check
	Dir      string        // the runner's directory
	Wait     time.Duration // how long the launch waits for the runner to listen for jobs
	Watchdog *Watchdog     // nil: no watchdog
	// Packages are the runner packages by architecture ("x64", "arm64"); the pod's own is
	// installed, and a pod of another architecture fails with ExitNoPackage.
	Packages map[string]Package
	// The secrets and the script go on stdin, never on the command line.
	JIT, DownloadToken, PreRunnerScript string
}

// Watchdog ends the pod at Deadline: terminates it, or only stops it, through runpodctl or
// else RunPod's REST API at API with the pod's own key.
type Watchdog struct {
	Deadline  time.Time
	Terminate bool
	API       string
}

// The exit statuses of the setup command that say which check failed.
const (
	ExitChecksum  = 3 // the downloaded package has another checksum
	ExitRunning   = 4 // a runner already runs in the directory
	ExitEarly     = 5 // the runner exited before it listened for jobs
	ExitPreflight = 6 // too few GPUs or too little disk: see the facts
	ExitNoPackage = 7 // no package for the pod's architecture
	ExitLibraries = 8 // the runner's libraries are missing: see Facts.MissingLibs
	ExitPreRunner = 9 // pre-runner-script failed: see the pre_runner_status fact
)

// Command is the command line that does the setup; Stdin is what it reads.
func (s Setup) Command() string {
	args := []string{"need_gpus=" + strconv.Itoa(s.GPUs), "need_disk_mb=" + strconv.Itoa(s.DiskMB),
		"dir=" + s.Dir, "wait=" + strconv.Itoa(int(s.Wait.Seconds()))}
	if w := s.Watchdog; w != nil {
		a := watchdogArgs(w.Deadline, w.Terminate, w.API)
		args = append(args, "deadline="+a[0], "how="+a[1], "api="+a[2])
	}
	arches := make([]string, 0, len(s.Packages))
	for arch := range s.Packages {
		arches = append(arches, arch)
	}
	sort.Strings(arches)
	for _, arch := range arches {
		p := s.Packages[arch]
		args = append(args, "pkg_"+arch+"="+strings.Join([]string{p.Version, p.URL, p.SHA256}, ","))
	}
	if s.DownloadToken != "" {
		args = append(args, "token=1")
	}
	if s.PreRunnerScript != "" {
		args = append(args, "pre=1")
	}
	return command(script("setup.sh"), args...)
}

// Stdin is the setup's input: the JIT config, the download token, then pre-runner-script.
func (s Setup) Stdin() string {
	in := s.JIT + "\n"
	if s.DownloadToken != "" {
		in += s.DownloadToken + "\n"
	}
	return in + s.PreRunnerScript
}

// Phase returns the part of the setup a line of its output says has begun.
func Phase(line string) (string, bool) {
	name, ok := strings.CutPrefix(strings.TrimSpace(line), "phase=")
	switch name {
	case "preflight", "watchdog", "pre-runner", "install", "launch":
		return name, ok
	}
	return "", false
}
