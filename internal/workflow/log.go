package workflow

import (
	"io"
	"sync"

	"github.com/sethvargo/go-githubactions"
)

// Group starts a collapsible group of log lines; EndGroup ends it.
func (c *Commands) Group(title string) { c.a.Group(title) }

// EndGroup ends the group Group started.
func (c *Commands) EndGroup() { c.a.EndGroup() }

// Infof writes a plain log line.
func (c *Commands) Infof(format string, args ...any) { c.a.Infof(format, args...) }

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

// Untrusted writes text that came from elsewhere (a pod's log, a user's script) so that no
// line of it can act as a workflow command.
func (c *Commands) Untrusted(text string) {
	w, end := c.UntrustedWriter()
	_, _ = io.WriteString(w, text)
	end()
}

// UntrustedWriter returns a writer for output that came from elsewhere, safe for concurrent
// use, and the function that ends it. Workflow command processing is paused until then, so no
// line written can act as a command (::add-mask::, ::set-output:: and the like).
func (c *Commands) UntrustedWriter() (io.Writer, func()) {
	token, err := delimiter()
	if err != nil {
		token = "runpod-runner-untrusted-output"
	}
	w := &lineWriter{out: c.out, newline: true}
	c.a.IssueCommand(&githubactions.Command{Name: "stop-commands", Message: token})
	return w, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if !w.newline {
			_, _ = io.WriteString(w.out, "\n")
		}
		c.a.IssueCommand(&githubactions.Command{Name: token})
	}
}

type lineWriter struct {
	mu      sync.Mutex
	out     io.Writer
	newline bool
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(p) > 0 {
		w.newline = p[len(p)-1] == '\n'
	}
	return w.out.Write(p)
}
