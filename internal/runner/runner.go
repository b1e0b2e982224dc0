// Package runner holds what the action runs on a pod: the scripts that check the pod, install
// the GitHub Actions runner, start it detached with its just-in-time config read from stdin, and
// print its logs. Each script is sent as the argument of bash -c, never with a secret in it.
package runner

import (
	"embed"
	"fmt"
	"strconv"
	"strings"
	"time"
)

//go:embed scripts/*.sh
var scripts embed.FS

// library is the functions every command is built from, in this order.
var library = []string{"preflight.sh", "install.sh", "launch.sh", "watchdog.sh", "logtail.sh"}

// Scripts returns, by name, the whole script each command runs, for checks such as shellcheck.
func Scripts() map[string]string {
	return map[string]string{
		"setup.sh":     program(script("setup.sh")),
		"preflight.sh": program("preflight"), "install.sh": program(`install_runner "$@"`),
		"launch.sh": program(`IFS= read -r jit; launch "$@"`), "watchdog.sh": program(`watchdog "$@"`),
		"logtail.sh": program(`logtail "$@"`),
	}
}

func script(name string) string {
	b, err := scripts.ReadFile("scripts/" + name)
	if err != nil {
		panic(fmt.Sprintf("embedded script %s is missing: %v", name, err)) // a build defect, not a runtime failure
	}
	return string(b)
}

// program is a whole bash script: strict mode, the library's functions, then main.
func program(main string) string {
	var b strings.Builder
	b.WriteString("#!/usr/bin/env bash\nset -euo pipefail\n")
	for _, name := range library {
		b.WriteString(script(name))
	}
	b.WriteString(main)
	b.WriteString("\n")
	return b.String()
}

// command renders `bash -c '<program>' runpod-runner args...` for a remote shell.
func command(main string, args ...string) string {
	parts := []string{"bash", "-c", Quote(program(main)), "runpod-runner"}
	for _, a := range args {
		parts = append(parts, Quote(a))
	}
	return strings.Join(parts, " ")
}

// Quote quotes s for a POSIX shell.
func Quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// PreflightCommand reports the pod's facts; parse its output with ParseFacts.
func PreflightCommand() string { return command("preflight") }

// Package is a runner release to install.
type Package struct {
	Version string
	URL     string
	SHA256  string
}

// InstallCommand installs pkg into dir unless that exact package is there; it prints cached=1
// when it was.
func InstallCommand(pkg Package, dir string) string {
	return command(`install_runner "$@"`, pkg.Version, pkg.URL, pkg.SHA256, dir)
}

// LaunchCommand starts the runner in dir with the JIT config given as the first line of stdin,
// and waits up to wait for it to listen for jobs.
func LaunchCommand(dir string, wait time.Duration) string {
	return command(`IFS= read -r jit; launch "$@"`, dir, strconv.Itoa(int(wait.Seconds())))
}

// LogTailCommand prints the last lines of the runner's logs.
func LogTailCommand(dir string, lines int) string {
	return command(`logtail "$@"`, dir, strconv.Itoa(lines))
}

// WatchdogCommand starts, detached on the pod, the watchdog that ends the pod at deadline by
// terminating it (terminate true) or stopping it, through runpodctl or else RunPod's REST API
// at api, and replaces one an earlier start left.
func WatchdogCommand(deadline time.Time, terminate bool, api string) string {
	return command(`watchdog "$@"`, watchdogArgs(deadline, terminate, api)...)
}

func watchdogArgs(deadline time.Time, terminate bool, api string) []string {
	how := "stop"
	if terminate {
		how = "terminate"
	}
	return []string{strconv.FormatInt(deadline.Unix(), 10), how, strings.TrimSuffix(api, "/")}
}
