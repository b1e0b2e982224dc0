package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Step is one invocation of the action's binary, as the Actions runner makes it.
type Step struct {
	Binary string
	Inputs map[string]string // by input name, e.g. "gpu-types"
	Env    map[string]string // GITHUB_*, STATE_* and the like
	Dir    string            // where the step's file-command files go
	// Signal, when set, is sent SignalAfter after the step starts (or after its stdout first
	// shows SignalWhen), then SIGKILL KillAfter later, the way the runner cancels a step.
	Signal      os.Signal
	SignalWhen  string
	SignalAfter time.Duration
	KillAfter   time.Duration
}

// Result is what a step left behind.
type Result struct {
	Stdout, Stderr string
	ExitCode       int
	Outputs, State map[string]string
	Summary        string
	// Raw holds every byte the step wrote, by where it went, for secret scanners.
	Raw map[string][]byte
	// PeakRSSKB is the most memory the step's process held, in KiB.
	PeakRSSKB int64
	// Commands are the workflow commands the runner reads from Stdout (see Replay).
	Commands []Command
}

// Run runs the step and reads its files the way the runner does.
func (st Step) Run(ctx context.Context) (*Result, error) {
	if err := os.MkdirAll(st.Dir, 0o755); err != nil {
		return nil, err
	}
	files := map[string]string{}
	for _, name := range []string{"GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_STEP_SUMMARY"} {
		files[name] = filepath.Join(st.Dir, strings.ToLower(name))
		if err := os.WriteFile(files[name], nil, 0o644); err != nil {
			return nil, err
		}
	}
	cmd := exec.CommandContext(ctx, st.Binary)
	cmd.Env = st.environ(files)
	var stderr bytes.Buffer
	stdout := &watchWriter{want: st.SignalWhen, seen: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = stdout, &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stopSignals := st.cancelLater(cmd, stdout.seen)
	err := cmd.Wait()
	stopSignals()
	res := &Result{Stdout: stdout.String(), Stderr: stderr.String(), Raw: map[string][]byte{
		"stdout": []byte(stdout.String()), "stderr": stderr.Bytes(),
	}}
	if ee, ok := err.(*exec.ExitError); ok {
		res.ExitCode = ee.ExitCode()
	} else if err != nil {
		return nil, err
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.PeakRSSKB = ru.Maxrss
	}
	if err := res.readFiles(files); err != nil {
		return res, err
	}
	res.Commands = Replay(res.Stdout)
	res.applyCommands()
	return res, nil
}

// applyCommands gives State and Outputs what the step's stdout commands set, as the runner does:
// it processes save-state and set-output as they come, and the step's GITHUB_STATE and
// GITHUB_OUTPUT files after the step, so a name the files also write takes the files' value
// (https://github.com/actions/runner, src/Runner.Worker/ActionCommandManager.cs
// SaveStateCommandExtension and SetOutputCommandExtension; src/Runner.Worker/FileCommandManager.cs).
func (r *Result) applyCommands() {
	fromStdout := map[string]map[string]string{"save-state": {}, "set-output": {}}
	for _, c := range r.Commands {
		if m := fromStdout[c.Name]; m != nil && !c.Ignored && c.Props["name"] != "" {
			m[c.Props["name"]] = c.Data
		}
	}
	for into, cmd := range map[*map[string]string]string{&r.State: "save-state", &r.Outputs: "set-output"} {
		merged := fromStdout[cmd]
		for k, v := range *into {
			merged[k] = v
		}
		*into = merged
	}
}

func (st Step) environ(files map[string]string) []string {
	env := map[string]string{"PATH": os.Getenv("PATH"), "HOME": st.Dir, "GITHUB_ACTIONS": "true", "CI": "true"}
	for k, v := range files {
		env[k] = v
	}
	for k, v := range st.Env {
		env[k] = v
	}
	for name, v := range st.Inputs {
		env["INPUT_"+strings.ToUpper(strings.ReplaceAll(name, " ", "_"))] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// cancelLater signals the process the way the runner cancels a step, and returns a function
// that stops it from doing so.
func (st Step) cancelLater(cmd *exec.Cmd, seen <-chan struct{}) func() {
	if st.Signal == nil {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		if st.SignalWhen != "" {
			select {
			case <-done:
				return
			case <-seen:
			}
		}
		select {
		case <-done:
			return
		case <-time.After(st.SignalAfter):
			_ = cmd.Process.Signal(st.Signal)
		}
		select {
		case <-done:
		case <-time.After(st.KillAfter):
			_ = cmd.Process.Signal(syscall.SIGKILL)
		}
	}()
	return func() { close(done) }
}

func (r *Result) readFiles(files map[string]string) error {
	read := func(name string) ([]byte, error) {
		b, err := os.ReadFile(files[name])
		r.Raw[name] = b
		return b, err
	}
	var err error
	var b []byte
	if b, err = read("GITHUB_OUTPUT"); err == nil {
		r.Outputs, err = ParseFileCommands(b)
	}
	if err == nil {
		if b, err = read("GITHUB_STATE"); err == nil {
			r.State, err = ParseFileCommands(b)
		}
	}
	if err == nil {
		if b, err = read("GITHUB_STEP_SUMMARY"); err == nil {
			r.Summary = string(b)
		}
	}
	if err != nil {
		return fmt.Errorf("reading the step's files: %w", err)
	}
	return nil
}

// StateEnv turns a main step's state into the STATE_* environment of its post step.
func StateEnv(state map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range state {
		out["STATE_"+k] = v
	}
	return out
}

// watchWriter keeps a step's stdout and closes seen when it first holds want.
type watchWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	done bool
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if !w.done && w.want != "" && strings.Contains(w.buf.String(), w.want) {
		w.done = true
		close(w.seen)
	}
	return n, err
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
