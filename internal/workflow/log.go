package workflow

import (
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Group starts a collapsible group of log lines; EndGroup ends it.
func (c *Commands) Group(title string) { c.a.Group(title) }

// EndGroup ends the group Group started.
func (c *Commands) EndGroup() { c.a.EndGroup() }

// Infof writes a plain log line. The line is neutralised (see Neutralise): the values it
// formats may come from a pod or an API body, and none of them may act as a workflow command.
func (c *Commands) Infof(format string, args ...any) {
	_, _ = io.WriteString(c.out, Neutralise(fmt.Sprintf(format, args...))+"\n")
}

// Debugf writes a line shown only when step debug logging is on.
func (c *Commands) Debugf(format string, args ...any) { c.a.Debugf(format, args...) }

// Noticef writes a notice annotation.
func (c *Commands) Noticef(format string, args ...any) { c.a.Noticef(format, args...) }

// Warningf writes a warning annotation.
func (c *Commands) Warningf(format string, args ...any) { c.a.Warningf(format, args...) }

// Errorf writes an error annotation with a title.
func (c *Commands) Errorf(title, format string, args ...any) {
	c.a.WithFieldsMap(map[string]string{"title": title}).Errorf(format, args...)
}

// Debugging reports whether the runner asked for debug logging.
func (c *Commands) Debugging() bool { return c.getenv("RUNNER_DEBUG") == "1" }

// Neutralise returns text so that no line of it is a workflow command, as the Actions runner
// reads lines (https://github.com/actions/runner, src/Runner.Sdk/ProcessInvoker.cs reads them
// with ReadLine, which ends a line at \n, \r or \r\n; src/Runner.Common/ActionCommand.cs takes
// `::name::` at the start of a line after white space, and the legacy `##[name]` anywhere in
// it). Every \r becomes a line break, a line that would start with `::` starts with a
// backslash, and every `##[` becomes `##\[`. The text reads the same to a person.
func Neutralise(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var b strings.Builder
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r", "\n"), "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		if strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") {
			b.WriteByte('\\')
		}
		b.WriteString(strings.ReplaceAll(line, "##[", `##\[`))
	}
	return b.String()
}

// Untrusted writes text that came from elsewhere (a pod's log, a user's script) inside its own
// stop-commands window, so that no line of it can act as a workflow command.
func (c *Commands) Untrusted(text string) {
	w, end := c.UntrustedWriter("")
	_, _ = io.WriteString(w, text)
	end()
}

// UntrustedWriter returns a writer for output that came from elsewhere, safe for concurrent
// use, and the function that ends it; mark, when set, starts every line. What is written is
// held and shown in chunks, each inside a stop-commands window of its own that nothing else the
// process writes can enter (see window).
func (c *Commands) UntrustedWriter(mark string) (io.Writer, func()) {
	w := &chunkWriter{c: c, mark: mark}
	return w, w.end
}
