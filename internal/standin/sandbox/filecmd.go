package sandbox

import (
	"fmt"
	"strings"
)

// ParseFileCommands reads a GITHUB_OUTPUT or GITHUB_STATE file as the runner does: NAME=VALUE
// lines and NAME<<DELIMITER blocks. Later values win. Malformed content is an error, as it
// fails the step on the runner.
func ParseFileCommands(b []byte) (map[string]string, error) {
	out := map[string]string{}
	lines := strings.Split(string(b), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if line == "" {
			continue
		}
		eq, heredoc := strings.Index(line, "="), strings.Index(line, "<<")
		if eq >= 0 && (heredoc < 0 || eq < heredoc) {
			out[line[:eq]] = line[eq+1:]
			continue
		}
		if heredoc <= 0 || heredoc+2 == len(line) {
			return nil, fmt.Errorf("invalid format %q: name and delimiter must not be empty", line)
		}
		name, delim := line[:heredoc], line[heredoc+2:]
		var value []string
		for i++; ; i++ {
			if i >= len(lines) {
				return nil, fmt.Errorf("matching delimiter not found for %s", name)
			}
			if lines[i] == delim {
				break
			}
			value = append(value, lines[i])
		}
		out[name] = strings.Join(value, "\n")
	}
	return out, nil
}
