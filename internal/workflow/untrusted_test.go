package workflow

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// hostile is what a pod (its rc files, a script, a runner log) or an API error body may print:
// every form of workflow command the runner honours.
var hostile = []string{
	"::save-state name=pod-id::hostile-x",
	"##[save-state name=legs;]9",
	"progress 12% ##[set-output name=pod-id;]hostile-victim",
	"::set-output name=pod-id::hostile-victim",
	"  \t::add-mask::hostile-mask",
	"\u00a0::error::hostile-error",
	"::stop-commands::hostiletoken",
	"::hostiletoken::",
	"done\r::add-mask::hostile-after-cr",
	"a\r\n##[add-mask]hostile-crlf",
	"::ADD-MASK::hostile-upper",
	"::warning file=%3A%2C::hostile%0A::add-mask::x",
	"##[endgroup]",
}

// commandsIn replays out by the runner's rules and returns every command the runner processes
// that holds "hostile", and every command it ignored because commands were stopped.
func commandsIn(t *testing.T, out string) (foreign, ignored []sandbox.Command) {
	t.Helper()
	for _, c := range sandbox.Replay(out) {
		if c.Ignored {
			ignored = append(ignored, c)
			continue
		}
		if strings.Contains(strings.ToLower(fmt.Sprint(c.Name, c.Props, c.Data)), "hostile") || c.Name == "save-state" || c.Name == "set-output" || c.Name == "endgroup" {
			foreign = append(foreign, c)
		}
	}
	return foreign, ignored
}

func TestNeutraliseLeavesNoCommand(t *testing.T) {
	t.Parallel()
	for _, line := range hostile {
		got := Neutralise(line)
		if foreign, _ := commandsIn(t, got+"\n"); len(foreign) > 0 {
			t.Errorf("Neutralise(%q) = %q, which the runner reads as %+v", line, got, foreign)
		}
		if strings.ContainsRune(got, '\r') {
			t.Errorf("Neutralise(%q) = %q keeps a carriage return", line, got)
		}
	}
	if diff := cmp.Diff("plain text: 50% done, a::b", Neutralise("plain text: 50% done, a::b")); diff != "" {
		t.Errorf("Neutralise changed plain text (-want +got):\n%s", diff)
	}
}

func TestInfofNeutralisesWhatItFormats(t *testing.T) {
	t.Parallel()
	c, out, _ := newTest(t)
	c.Infof("Retrying after: %s", strings.Join(hostile, "\n"))
	if foreign, _ := commandsIn(t, out.String()); len(foreign) > 0 {
		t.Errorf("Infof wrote commands the action did not issue: %+v\n%s", foreign, out.String())
	}
}

func TestUntrustedIsShownInsideAWindow(t *testing.T) {
	t.Parallel()
	c, out, _ := newTest(t)
	c.Untrusted(strings.Join(hostile, "\n"))
	foreign, ignored := commandsIn(t, out.String())
	if len(foreign) > 0 {
		t.Errorf("untrusted text acted as commands: %+v\n%s", foreign, out.String())
	}
	if len(ignored) == 0 {
		t.Errorf("untrusted text was not inside a stop-commands window:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "hostile-victim") {
		t.Errorf("untrusted text is not shown:\n%s", out.String())
	}
}

// TestLegsTakeTurns writes hostile output from three legs at once while masks are issued: no
// leg's text acts as a command, and no ::add-mask:: lands inside a window.
func TestLegsTakeTurns(t *testing.T) {
	t.Parallel()
	c, out, _ := newTest(t)
	var wg sync.WaitGroup
	for leg := range 3 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			w, end := c.UntrustedWriter(fmt.Sprintf("[leg%d]", leg))
			for i := range 50 {
				_, _ = io.WriteString(w, hostile[i%len(hostile)]+"\n")
				if i%7 == 0 {
					_, _ = io.WriteString(w, "partial line ") // ended by the next write or by end
				}
			}
			end()
		}()
		go func() {
			defer wg.Done()
			for i := range 50 {
				c.AddMask(fmt.Sprintf("secret-%d-%d", leg, i))
			}
		}()
	}
	wg.Wait()
	foreign, ignored := commandsIn(t, out.String())
	if len(foreign) > 0 {
		t.Errorf("a leg's output acted as commands: %+v", foreign)
	}
	masks := 0
	for _, cmd := range sandbox.Replay(out.String()) {
		if cmd.Name == "add-mask" && !cmd.Ignored && strings.HasPrefix(cmd.Data, "secret-") {
			masks++
		}
	}
	for _, cmd := range ignored {
		if cmd.Name == "add-mask" && strings.HasPrefix(cmd.Data, "secret-") {
			t.Errorf("::add-mask::%s was written inside a window (line %d)", cmd.Data, cmd.Line)
		}
	}
	if masks != 150 {
		t.Errorf("the runner took %d masks, want 150", masks)
	}
	for leg := range 3 {
		if got := strings.Count(out.String(), fmt.Sprintf("[leg%d] ", leg)); got < 50 {
			t.Errorf("leg %d shows %d lines, want at least 50", leg, got)
		}
	}
}

func TestUntrustedWriterShowsOutputBeforeItEnds(t *testing.T) {
	t.Parallel()
	c, out, _ := newTest(t)
	w, end := c.UntrustedWriter("")
	_, _ = io.WriteString(w, strings.Repeat("x", flushSize)+"\n")
	if !strings.Contains(out.String(), "xxxx") {
		t.Error("a full chunk waits for the end of the output")
	}
	end()
	var buf bytes.Buffer
	buf.WriteString(out.String())
	if foreign, _ := commandsIn(t, buf.String()); len(foreign) > 0 {
		t.Errorf("commands: %+v", foreign)
	}
}
