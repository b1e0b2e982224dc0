package action

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/runner"
)

// setupLimit bounds the work on the pod: a check, a download of up to 15 minutes, a launch.
const setupLimit = 18 * time.Minute

// launchWait is the longest the launch waits on the pod for the runner to say it listens for
// jobs (or to die early); after that, GitHub is asked.
const launchWait = 20 * time.Second

// minDiskMB is about what the runner needs on the pod's disk.
const minDiskMB = 1500

// setup does the start's work on the pod in one session and one round trip: check the pod,
// start the watchdog, run pre-runner-script, install the runner and start it. The phase moves
// on as the pod reports each part, so that a failure names the part it failed in.
func (s *start) setup(ctx context.Context) error {
	spec, err := s.setupSpec(ctx)
	if err != nil {
		return err
	}
	lines := &lineWriter{on: s.onSetupLine}
	w, end := s.log.UntrustedWriter("")
	var stderr tail
	err = s.shell.Run(ctx, spec.Command(), strings.NewReader(spec.Stdin()), lines, io.MultiWriter(w, &stderr))
	end()
	lines.flush()
	facts, ferr := runner.ParseFacts(lines.all.String())
	if ferr != nil && err == nil {
		return ferr
	}
	s.facts = facts
	if ferr == nil {
		s.pkg = spec.Packages[facts.Arch]
	}
	s.cached, s.listening = facts.Cached, facts.Listening
	s.report(lines.all.String(), facts, ferr == nil, spec.Watchdog)
	if err != nil {
		return s.setupError(err, facts, stderr.String())
	}
	how := "downloaded and verified"
	if s.cached {
		how = "already installed"
	}
	s.log.Infof("Runner %s in %s: %s.", s.pkg.Version, s.runnerDir(), how)
	return nil
}

// setupSpec is the setup for this start: the packages for every architecture a pod can have
// (the pod's is known only on the pod), and a watchdog on every pod: REST v2 has no
// terminateAfter, RunPod resumes a pod without one, and whether GraphQL's is enforced is not
// documented. A pod this start created is terminated at its deadline; any other is stopped.
func (s *start) setupSpec(ctx context.Context) (runner.Setup, error) {
	wait := launchWait
	if dl, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(dl)/3)
	}
	spec := runner.Setup{GPUs: s.podGPUs(), DiskMB: minDiskMB, Dir: s.runnerDir(), Wait: wait,
		Packages: map[string]runner.Package{}, JIT: s.jit.Encoded, PreRunnerScript: s.cfg.PreRunnerScript,
		Watchdog: &runner.Watchdog{Deadline: s.adopted.Add(s.cfg.MaxRuntime), Terminate: s.provision == ProvisionCreated, API: s.restRoot()}}
	var firstErr error
	for _, arch := range []string{"x64", "arm64"} {
		pkg, token, err := s.resolvePackage(arch)
		if err != nil {
			firstErr = cmp.Or(firstErr, err)
			continue
		}
		if token != "" {
			s.d.WF.AddMask(token)
		}
		spec.Packages[arch], spec.DownloadToken = pkg, cmp.Or(spec.DownloadToken, token)
	}
	if len(spec.Packages) == 0 {
		return spec, firstErr
	}
	return spec, nil
}

// report logs what the pod said of itself, the watchdog and the runner: only the tokens the
// scripts print, parsed, reach the log.
func (s *start) report(out string, f runner.Facts, haveFacts bool, w *runner.Watchdog) {
	if haveFacts {
		s.log.Infof("Pod: %s, %s GPU(s), %d MB free disk, uid %d.", f.Arch, gpus(f.GPUs), f.DiskFreeMB, f.UID)
		if len(f.Missing) > 0 {
			s.log.Warningf("The pod's image lacks %s; pre-runner-script must install it.", strings.Join(f.Missing, ", "))
		}
	}
	if m := reWatchdog.FindStringSubmatch(out); m != nil && w != nil {
		s.log.Infof("Watchdog on the pod (pid %s) ends it at %s.", m[1], w.Deadline.UTC().Format(time.RFC3339))
	}
	if m := reLaunch.FindStringSubmatch(out); m != nil {
		s.log.Infof("Runner process %s %s.", m[2], map[bool]string{true: "listens for jobs", false: "started"}[m[1] == "listening"])
	}
}

// restRoot is the root of RunPod's REST API, which the watchdog calls from the pod.
func (s *start) restRoot() string {
	return strings.TrimSuffix(strings.TrimSuffix(s.cfg.RunPodAPIURL, "/"), "/graphql")
}

// onSetupLine follows the setup's progress: each part that begins is a phase of its own.
func (s *start) onSetupLine(line string) {
	name, ok := runner.Phase(line)
	phase := Phase(name)
	if !ok || phase == s.phase {
		return
	}
	now := s.d.Now()
	s.timings = append(s.timings, timing{Phase: s.phase, Duration: now.Sub(s.phaseBegan)})
	s.phase, s.phaseBegan = phase, now
	_ = s.save(statePhase, name)
	s.log.Infof("▸ %s", titleOf(phase))
}

// titleOf is Phase.spec's title, set at init: the phase table refers to setup, which logs it.
var titleOf func(Phase) string

func init() { titleOf = func(p Phase) string { return p.spec().title } }

// setupError says what failed on the pod, from the part it failed in and what it reported.
func (s *start) setupError(err error, f runner.Facts, stderr string) error {
	switch {
	case s.phase == PhasePreflight && f.GPUs >= 0 && f.GPUs < s.podGPUs():
		return fmt.Errorf("the pod has %d GPU(s), not the %d asked for; the host may have lost its GPUs", f.GPUs, s.podGPUs())
	case s.phase == PhasePreflight && f.DiskFreeMB > 0 && f.DiskFreeMB < minDiskMB:
		return fmt.Errorf("the pod has %d MB of free disk; the runner needs about %d MB (raise container-disk-gb)", f.DiskFreeMB, minDiskMB)
	case s.phase == PhasePreflight && remote.ExitStatus(err) == runner.ExitNoPackage:
		_, _, perr := s.resolvePackage(f.Arch)
		return errors.Join(perr, fmt.Errorf("no runner package for the pod's architecture %s", f.Arch))
	case s.phase == PhasePreRunner:
		return fmt.Errorf("pre-runner-script failed (exit status %d): %w", f.PreRunnerStatus, err)
	case s.phase == PhaseInstall && len(f.MissingLibs) > 0:
		return &MissingLibsError{Libs: f.MissingLibs}
	}
	if stderr != "" {
		err = fmt.Errorf("%w: %s", err, stderr)
	}
	return fmt.Errorf("on the pod (exit status %d): %w", remote.ExitStatus(err), err)
}

// MissingLibsError is a pod that lacks libraries the runner's .NET runtime needs.
type MissingLibsError struct{ Libs []string }

func (e *MissingLibsError) Error() string {
	return fmt.Sprintf("the pod lacks %s, which the runner needs, and cannot install it (no apt-get, or not root)", strings.Join(e.Libs, ", "))
}

// lineWriter calls on with each whole line written to it, and keeps them all.
type lineWriter struct {
	on      func(line string)
	mu      sync.Mutex
	partial []byte
	all     bytes.Buffer
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.all.Len() < 1<<20 {
		l.all.Write(p)
	}
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := string(l.partial[:i])
		l.partial = l.partial[i+1:]
		l.on(line)
	}
}

func (l *lineWriter) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.partial) > 0 {
		l.on(string(l.partial))
		l.partial = nil
	}
}

// tail keeps the last 2 KB written to it.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2048 {
		t.buf = t.buf[len(t.buf)-2048:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.buf))
}
