package fakerunpod

import (
	"slices"
	"time"
)

// The sources of a pod's log lines, as REST v2 names them.
const (
	logSystem    = "system"    // the world's own lines: create, image pull, start, stop
	logContainer = "container" // what the container wrote, as a LogHost shows it
)

// LogHost is a Host that can also show what pods' containers wrote. The
// Server checks its Host for it; without it, a pod's log holds the
// system lines only.
type LogHost interface {
	// Logs returns every line the pod's container has written so far,
	// oldest first. The Server adds the lines past those it has already
	// seen to the pod's log, stamped when it sees them; a list shorter
	// than before is taken as a new container, whose lines all count.
	Logs(podID string) []string
}

// logLine is one line of a pod's log.
type logLine struct {
	ts           time.Time // unique within the pod's log, and increasing
	source, text string
}

// podLog is what a pod has logged. The world's mutex guards it.
type podLog struct {
	lines []logLine
	seen  int // how many of the LogHost's lines are in lines
}

// add appends a line stamped now, or just after the last line, so that
// stamps stay unique and ordered.
func (l *podLog) add(now time.Time, source, text string) {
	now = now.UTC().Truncate(time.Microsecond)
	if n := len(l.lines); n > 0 && !now.After(l.lines[n-1].ts) {
		now = l.lines[n-1].ts.Add(time.Microsecond)
	}
	l.lines = append(l.lines, logLine{ts: now, source: source, text: text})
}

// addContainer adds the container lines of all that are new.
func (l *podLog) addContainer(now time.Time, all []string) {
	if len(all) < l.seen {
		l.seen = 0
	}
	for _, text := range all[l.seen:] {
		l.add(now, logContainer, text)
	}
	l.seen = len(all)
}

// logs returns a copy of a pod's log, after taking in the lines its
// container wrote since the last look. It reports false if the pod is gone
// or the world closed.
func (w *world) logs(id string) ([]logLine, bool) {
	var container []string
	if lh, ok := w.host.(LogHost); ok {
		container = lh.Logs(id)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	p, ok := w.pods[id]
	if !ok || w.closed {
		return nil, false
	}
	if container != nil {
		p.log.addContainer(w.clock.Now(), container)
	}
	return slices.Clone(p.log.lines), true
}

// isClosed reports whether the world has closed.
func (w *world) isClosed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closed
}
