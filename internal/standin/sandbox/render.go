package sandbox

import (
	"regexp"
	"strconv"
	"strings"
)

// Render turns a step's stdout into what a person reads in the Actions log: groups as headed
// blocks, masks hidden, annotations marked, command pauses dropped.
func Render(stdout string, masks []string) string {
	var b strings.Builder
	stop := ""
	for _, line := range strings.Split(strings.TrimRight(stdout, "\n"), "\n") {
		if stop != "" {
			if line == "::"+stop+"::" {
				stop = ""
			} else {
				b.WriteString("    │ " + hide(line, masks) + "\n")
			}
			continue
		}
		switch {
		case strings.HasPrefix(line, "::add-mask::"):
		case strings.HasPrefix(line, "::stop-commands::"):
			stop = strings.TrimPrefix(line, "::stop-commands::")
		case strings.HasPrefix(line, "::group::"):
			b.WriteString("  ▸ " + strings.TrimPrefix(line, "::group::") + "\n")
		case line == "::endgroup::", strings.HasPrefix(line, "::debug::"):
		case strings.HasPrefix(line, "::"):
			kind, msg, _ := strings.Cut(strings.TrimPrefix(line, "::"), "::")
			b.WriteString("  [" + strings.ToUpper(strings.Fields(kind)[0]) + "] " + hide(msg, masks) + "\n")
		default:
			b.WriteString("    " + hide(line, masks) + "\n")
		}
	}
	return b.String()
}

func hide(line string, masks []string) string {
	for _, m := range masks {
		if m != "" {
			line = strings.ReplaceAll(line, m, "***")
		}
	}
	return line
}

var rePhaseRow = regexp.MustCompile(`(?m)^\| ([a-z-]+) \| ([0-9.]+) s \|$`)

// PhaseSeconds reads the phase table of a start's job summary.
func PhaseSeconds(summary string) map[string]float64 {
	out := map[string]float64{}
	for _, m := range rePhaseRow.FindAllStringSubmatch(summary, -1) {
		out[m[1]], _ = strconv.ParseFloat(m[2], 64)
	}
	return out
}

// ReadyToOnline is the time from the pod publishing SSH to the runner being online: the
// phases the action adds on top of the pod's own boot.
func ReadyToOnline(summary string) float64 {
	p := PhaseSeconds(summary)
	return p["ssh"] + p["preflight"] + p["watchdog"] + p["pre-runner"] + p["install"] + p["launch"] + p["wait-online"]
}
