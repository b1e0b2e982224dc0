package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// stampLayout is the timestamp format of the runner's console lines.
const stampLayout = "2006-01-02 15:04:05Z"

// console writes the runner's console output and its _diag log.
type console struct {
	mu     sync.Mutex
	stdout io.Writer
	stderr io.Writer
	diag   *os.File
}

// newConsole opens _diag/Runner_<utc timestamp>-utc.log under root.
func newConsole(root string) (*console, error) {
	dir := filepath.Join(root, "_diag")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create diag dir: %w", err)
	}
	name := "Runner_" + time.Now().UTC().Format("20060102-150405") + "-utc.log"
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open diag log: %w", err)
	}
	return &console{stdout: os.Stdout, stderr: os.Stderr, diag: f}, nil
}

// close closes the diag log.
func (c *console) close() {
	_ = c.diag.Close()
}

// log appends one line to the diag log.
func (c *console) log(level, format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.diag, "[%s %s Runner] %s\n", time.Now().UTC().Format(stampLayout), level,
		fmt.Sprintf(format, args...))
}

// info writes to the diag log only.
func (c *console) info(format string, args ...any) {
	c.log("INFO", format, args...)
}

// say prints a console line and logs it.
func (c *console) say(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	c.mu.Lock()
	fmt.Fprintln(c.stdout, msg)
	c.mu.Unlock()
	c.info("%s", msg)
}

// stamp prints a console line prefixed with the UTC time.
func (c *console) stamp(format string, args ...any) {
	c.say("%s: %s", time.Now().UTC().Format(stampLayout), fmt.Sprintf(format, args...))
}

// exitCode logs how the listener ends and returns the exit code.
func (c *console) exitCode(err error) int {
	if err == nil {
		c.info("Listener exits with code 0")
		return 0
	}
	code, msg := asExit(err)
	c.mu.Lock()
	fmt.Fprintln(c.stderr, msg)
	c.mu.Unlock()
	c.log("ERR", "%s", msg)
	c.info("Listener exits with code %d", code)
	return code
}
