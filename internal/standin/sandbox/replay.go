package sandbox

import (
	"strings"
	"unicode"
)

// Command is a workflow command as the Actions runner reads it from a step's stdout.
type Command struct {
	Line  int // 1-based, counting lines as the runner does
	Name  string
	Props map[string]string
	Data  string
	// Ignored: the line parsed as a command while commands were stopped, so the runner did not
	// process it (a mask issued inside a window is lost).
	Ignored bool
}

// registered are the commands the runner knows; a line naming another is plain text. Source:
// https://github.com/actions/runner, src/Runner.Worker/ActionCommandManager.cs (the command
// extensions and stop-commands; internal-set-repo-path is registered for plugins only).
var registered = []string{
	"stop-commands", "set-env", "set-output", "save-state", "add-mask", "add-path", "add-matcher",
	"remove-matcher", "debug", "warning", "error", "notice", "group", "endgroup", "echo",
}

// Replay reads a step's stdout line by line the way the Actions runner does and returns every
// line it takes for a command, in order, marking those it ignored because commands were stopped.
// Sources in https://github.com/actions/runner: lines are ended by \n, \r or \r\n
// (src/Runner.Sdk/ProcessInvoker.cs, StreamReader.ReadLine); a line is tried as `::name
// props::data` after its leading white space, then as the legacy `##[name props]data` anywhere
// in it (src/Runner.Common/ActionCommand.cs, TryParseV2 and TryParse); names are matched without
// regard to case; after ::stop-commands::TOKEN only TOKEN, in either form, is processed, and it
// resumes (src/Runner.Worker/ActionCommandManager.cs, TryProcessCommand).
func Replay(stdout string) []Command {
	reg := map[string]bool{}
	for _, n := range registered {
		reg[n] = true
	}
	var out []Command
	token := ""
	for i, line := range runnerLines(stdout) {
		c, ok := parseV2(line, reg)
		if !ok {
			c, ok = parseLegacy(line, reg)
		}
		if !ok {
			continue
		}
		c.Line = i + 1
		switch {
		case token != "" && c.Name == token:
			delete(reg, token)
			token = ""
		case token != "":
			c.Ignored = true
		case c.Name == "stop-commands" && c.Data != "" && !reg[strings.ToLower(c.Data)]:
			token = strings.ToLower(c.Data)
			reg[token] = true
		}
		out = append(out, c)
	}
	return out
}

// runnerLines splits text as .NET's ReadLine does.
func runnerLines(text string) []string {
	var lines []string
	for len(text) > 0 {
		i := strings.IndexAny(text, "\r\n")
		if i < 0 {
			lines = append(lines, text)
			break
		}
		lines = append(lines, text[:i])
		if strings.HasPrefix(text[i:], "\r\n") {
			i++
		}
		text = text[i+1:]
	}
	return lines
}

func parseV2(line string, reg map[string]bool) (Command, bool) {
	msg := strings.TrimLeftFunc(line, unicode.IsSpace)
	if !strings.HasPrefix(msg, "::") {
		return Command{}, false
	}
	end := strings.Index(msg[2:], "::")
	if end < 0 {
		return Command{}, false
	}
	info := msg[2 : 2+end]
	name, props, _ := strings.Cut(info, " ")
	if !reg[strings.ToLower(name)] {
		return Command{}, false
	}
	data := strings.NewReplacer("%0D", "\r", "%0A", "\n").Replace(msg[2+end+2:])
	return Command{Name: strings.ToLower(name), Props: properties(strings.TrimSpace(props), ",", unescapeProperty),
		Data: strings.ReplaceAll(data, "%25", "%")}, true
}

func parseLegacy(line string, reg map[string]bool) (Command, bool) {
	i := strings.Index(line, "##[")
	if i < 0 {
		return Command{}, false
	}
	rb := strings.IndexByte(line[i:], ']')
	if rb < 0 {
		return Command{}, false
	}
	info := line[i+3 : i+rb]
	name, props, _ := strings.Cut(info, " ")
	if !reg[strings.ToLower(name)] {
		return Command{}, false
	}
	return Command{Name: strings.ToLower(name), Props: properties(props, ";", unescapeLegacy), Data: unescapeLegacy(line[i+rb+1:])}, true
}

func properties(s, sep string, unescape func(string) string) map[string]string {
	out := map[string]string{}
	for _, p := range strings.Split(s, sep) {
		k, v, ok := strings.Cut(p, "=")
		if ok && k != "" && v != "" {
			out[k] = unescape(v)
		}
	}
	return out
}

// The runner's unescaping applies each mapping in turn, in its order (ActionCommand.cs).
func unescapeProperty(s string) string {
	for _, m := range [][2]string{{"%0D", "\r"}, {"%0A", "\n"}, {"%3A", ":"}, {"%2C", ","}, {"%25", "%"}} {
		s = strings.ReplaceAll(s, m[0], m[1])
	}
	return s
}

func unescapeLegacy(s string) string {
	for _, m := range [][2]string{{"%3B", ";"}, {"%0D", "\r"}, {"%0A", "\n"}, {"%5D", "]"}, {"%25", "%"}} {
		s = strings.ReplaceAll(s, m[0], m[1])
	}
	return s
}
