package runner

import (
	"bufio"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Facts is what the preflight found on the pod.
type Facts struct {
	Arch       string // the runner's name for it: x64 or arm64
	GPUs       int    // -1 when nvidia-smi is missing
	DiskFreeMB int
	Missing    []string // required tools that are not installed
	UID        int
	// MissingLibs are the libraries the runner needs that the pod lacks (libicu, libssl, …).
	MissingLibs []string
	// Cached: the runner package was installed already. Listening: the runner said it
	// listens for jobs. PreRunnerStatus is pre-runner-script's exit status when it failed.
	Cached, Listening bool
	PreRunnerStatus   int
}

// ParseFacts reads PreflightCommand's output.
func ParseFacts(out string) (Facts, error) {
	f := Facts{GPUs: -1, UID: -1}
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if reListening.MatchString(line) {
			f.Listening = true
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || !reToken.MatchString(k) {
			continue // not a fact: the pod's shell may print anything
		}
		seen[k] = true
		switch {
		case k == "arch":
			f.Arch = runnerArch(v)
		case k == "gpus":
			f.GPUs = atoi(v, -1)
		case k == "disk_free_mb":
			f.DiskFreeMB = atoi(v, 0)
		case k == "uid":
			f.UID = atoi(v, -1)
		case k == "libs_missing":
			f.MissingLibs = nil
			if v != "" {
				f.MissingLibs = strings.Split(v, ",")
			}
		case k == "cached":
			f.Cached = v == "1"
		case k == "pre_runner_status":
			f.PreRunnerStatus = atoi(v, -1)
		case strings.HasPrefix(k, "has_") && v != "1":
			f.Missing = append(f.Missing, strings.TrimPrefix(k, "has_"))
		}
	}
	if !seen["arch"] {
		return f, fmt.Errorf("the pod's preflight printed no facts: %q", firstLine(out)) // %q: quoted, one line
	}
	return f, nil
}

// reToken is what a fact's name, or the machine name, may be: the pod prints it, so nothing
// else is taken from it.
var reToken = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// reListening is the launch saying the runner listens for jobs.
var reListening = regexp.MustCompile(`^listening pid=[0-9]{1,10}$`)

// runnerArch maps uname -m to the runner package's architecture name.
func runnerArch(machine string) string {
	switch machine {
	case "x86_64", "amd64":
		return "x64"
	case "aarch64", "arm64":
		return "arm64"
	}
	if !reToken.MatchString(machine) {
		return "unknown"
	}
	return machine
}

func atoi(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
