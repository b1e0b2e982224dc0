package workflow

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
	"strings"
	"sync"
	"time"
)

// stdout is the step's stdout, shared by everything the process writes: one write at a time,
// and a stop-commands window is written whole under the same lock. While commands are stopped
// the Actions runner processes nothing but the window's own token
// (https://github.com/actions/runner, src/Runner.Worker/ActionCommandManager.cs), so a command
// written inside another's window (an ::add-mask:: above all) would be lost, and two windows
// that overlapped would leave the second one's text live.
type stdout struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *stdout) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// window writes text inside a stop-commands window of its own, under a fresh random token.
// Should no token be had, or should text hold it, the text is neutralised instead.
func (s *stdout) window(text string) {
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	token, err := stopToken()
	if err != nil || strings.Contains(text, token) {
		_, _ = io.WriteString(s, Neutralise(strings.TrimSuffix(text, "\n"))+"\n")
		return
	}
	_, _ = io.WriteString(s, "::stop-commands::"+token+"\n"+text+"::"+token+"::\n")
}

func stopToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "runpod-runner-" + hex.EncodeToString(b), nil
}

// Untrusted output is shown in chunks: what a second gathered, or flushSize bytes, whichever
// comes first, each chunk in its own window. Legs that run at once thus take turns.
const (
	flushAfter = time.Second
	flushSize  = 64 << 10
)

// chunkWriter holds untrusted output and shows it in windows, line by line (a line still being
// written waits for its end, or for the writer's).
type chunkWriter struct {
	c    *Commands
	mark string

	mu    sync.Mutex
	buf   []byte
	timer *time.Timer
	ended bool
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	switch {
	case w.ended || len(w.buf) >= flushSize:
		w.flush(true)
	case w.timer == nil:
		w.timer = time.AfterFunc(flushAfter, w.tick)
	}
	return len(p), nil
}

func (w *chunkWriter) tick() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.timer = nil
	w.flush(false)
}

func (w *chunkWriter) end() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ended = true
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	w.flush(true)
}

// flush shows the complete lines held, or everything when all is set.
func (w *chunkWriter) flush(all bool) {
	n := len(w.buf)
	if !all {
		n = bytes.LastIndexByte(w.buf, '\n') + 1
	}
	if n == 0 {
		return
	}
	text := string(w.buf[:n])
	w.buf = append([]byte(nil), w.buf[n:]...)
	if !w.ended && len(w.buf) > 0 && w.timer == nil {
		w.timer = time.AfterFunc(flushAfter, w.tick)
	}
	w.c.out.window(markLines(text, w.mark))
}

// markLines starts every line of text with mark.
func markLines(text, mark string) string {
	if mark == "" {
		return text
	}
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(mark + " " + l)
		}
	}
	return b.String()
}
