package action

import (
	"fmt"
	"io"
)

// logger is where a start writes its log: the step's log, or for one leg of many, the step's
// log with every line marked with the leg.
type logger interface {
	Infof(format string, args ...any)
	Warningf(format string, args ...any)
	Noticef(format string, args ...any)
	Group(title string)
	EndGroup()
	Untrusted(text string)
	UntrustedWriter(mark string) (io.Writer, func())
}

// legLog marks each line of one leg's log with its label. Legs run at once, so they do not
// open log groups.
type legLog struct {
	logger
	mark string
}

func (l legLog) Infof(format string, args ...any) {
	l.logger.Infof("%s %s", l.mark, fmt.Sprintf(format, args...))
}
func (l legLog) Warningf(format string, args ...any) {
	l.logger.Warningf("%s %s", l.mark, fmt.Sprintf(format, args...))
}
func (l legLog) Noticef(format string, args ...any) {
	l.logger.Noticef("%s %s", l.mark, fmt.Sprintf(format, args...))
}
func (l legLog) Group(title string) { l.logger.Infof("%s ▸ %s", l.mark, title) }
func (l legLog) EndGroup()          {}
func (l legLog) Untrusted(text string) {
	w, end := l.UntrustedWriter("")
	_, _ = io.WriteString(w, text)
	end()
}

// UntrustedWriter marks every line with the leg; its windows take turns with the other legs'.
func (l legLog) UntrustedWriter(string) (io.Writer, func()) { return l.logger.UntrustedWriter(l.mark) }

// save records a value for the post step, under this leg's prefix.
func (s *start) save(name, value string) error { return s.d.WF.SaveState(s.prefix+name, value) }

// setOutput writes a step output; legs of many leave outputs to the step.
func (s *start) setOutput(name, value string) error {
	if s.prefix != "" {
		return nil
	}
	return s.d.WF.SetOutput(name, value)
}

// addSummary writes to the job summary; legs of many leave it to the step.
func (s *start) addSummary(markdown string) error {
	if s.prefix != "" {
		return nil
	}
	return s.d.WF.AddSummary(markdown)
}

// setPending records which creating call awaits its answer ("" for none), so that a step
// killed meanwhile leaves its post step a reason to look for what the call may have made.
func (s *start) setPending(call string) error {
	s.pending = call
	return s.save(statePending, call)
}
