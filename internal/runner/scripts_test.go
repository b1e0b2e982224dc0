package runner

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeRunSh stands for run.sh: it records its argv and whether it got the JIT config through
// the environment, then listens (or exits at once when told to crash).
const fakeRunSh = `#!/bin/bash
echo "argv=$*" > seen
echo "jit=${ACTIONS_RUNNER_INPUT_JITCONFIG:-none} root=${RUNNER_ALLOW_RUNASROOT:-}" >> seen
if [ -f crash ]; then echo "boom"; exit 1; fi
echo "Listening for Jobs"
exec sleep 30
`

func tarball(t *testing.T, files map[string]string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return buf.Bytes(), hex.EncodeToString(sum[:])
}

// servedRunner serves a runner package holding fakeRunSh over HTTP and counts its downloads.
func servedRunner(t *testing.T) (Package, *atomic.Int32) {
	t.Helper()
	data, sum := tarball(t, map[string]string{"run.sh": fakeRunSh})
	downloads := &atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		downloads.Add(1)
		_, _ = w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return Package{Version: "9.9.9", URL: srv.URL + "/runner.tar.gz", SHA256: sum}, downloads
}

// sh runs a command line the way a pod's shell would, with HOME set.
func sh(t *testing.T, home, cmdline, stdin string) (string, int) {
	t.Helper()
	cmd := exec.Command("bash", "-c", cmdline)
	cmd.Env = append(os.Environ(), "HOME="+home)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), 0
}

// TestCachedRunnerIsVerifiedAgain: a runner kept on the pod (a volume a job could write to) is
// extracted afresh from its kept package, which must still have its checksum; a changed package
// is downloaded again.
func TestCachedRunnerIsVerifiedAgain(t *testing.T) {
	t.Parallel()
	pkg, downloads := servedRunner(t)
	home := t.TempDir()
	runSh := filepath.Join(home, "actions-runner", "run.sh")
	kept := filepath.Join(home, "actions-runner", ".runpod-runner-package.tar.gz")
	if out, code := sh(t, home, InstallCommand(pkg, "~/actions-runner"), ""); code != 0 || !strings.Contains(out, "cached=0") {
		t.Fatalf("first install: exit %d, output %q", code, out)
	}
	if err := os.WriteFile(runSh, []byte("#!/bin/sh\necho trojan\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, code := sh(t, home, InstallCommand(pkg, "~/actions-runner"), ""); code != 0 || !strings.Contains(out, "cached=1") || downloads.Load() != 1 {
		t.Fatalf("install over a changed runner: exit %d, output %q, %d downloads", code, out, downloads.Load())
	}
	if b, _ := os.ReadFile(runSh); string(b) != fakeRunSh {
		t.Errorf("a changed run.sh survived the install: %q", b)
	}
	f, err := os.OpenFile(kept, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatalf("the package is not kept beside the runner: %v", err)
	}
	_, _ = f.WriteString("tampered")
	_ = f.Close()
	if out, code := sh(t, home, InstallCommand(pkg, "~/actions-runner"), ""); code != 0 || !strings.Contains(out, "cached=0") || downloads.Load() != 2 {
		t.Errorf("install over a changed package: exit %d, output %q, %d downloads; want a fresh download", code, out, downloads.Load())
	}
}

func TestInstallAndLaunch(t *testing.T) {
	t.Parallel()
	pkg, downloads := servedRunner(t)
	home := t.TempDir()

	if out, code := sh(t, home, InstallCommand(pkg, "~/actions-runner"), ""); code != 0 || !strings.Contains(out, "cached=0") {
		t.Fatalf("first install: exit %d, output %q", code, out)
	}
	if out, code := sh(t, home, InstallCommand(pkg, "~/actions-runner"), ""); code != 0 || !strings.Contains(out, "cached=1") || downloads.Load() != 1 {
		t.Fatalf("second install: exit %d, output %q, %d downloads; want cached without a download", code, out, downloads.Load())
	}
	bad := pkg
	bad.SHA256 = strings.Repeat("0", 64)
	if out, code := sh(t, home, InstallCommand(bad, "~/other"), ""); code != 3 || !strings.Contains(out, "checksum mismatch") {
		t.Fatalf("install with a wrong checksum: exit %d, output %q", code, out)
	}

	dir := filepath.Join(home, "actions-runner")
	if err := os.WriteFile(filepath.Join(dir, ".runner"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, code := sh(t, home, LaunchCommand("~/actions-runner", 10*time.Second), "SECRET-JIT\n")
	if code != 0 || !strings.Contains(out, "listening pid=") {
		t.Fatalf("launch: exit %d, output %q", code, out)
	}
	t.Cleanup(func() { sh(t, home, "kill $(cat ~/actions-runner/.runpod-runner.pid)", "") })
	seen, _ := os.ReadFile(filepath.Join(dir, "seen"))
	if want := "argv=\njit=SECRET-JIT root=1\n"; string(seen) != want {
		t.Errorf("run.sh saw %q, want %q", seen, want)
	}
	if _, err := os.Stat(filepath.Join(dir, ".runner")); !os.IsNotExist(err) {
		t.Error("launch left the old .runner registration file")
	}
	if strings.Contains(LaunchCommand("~/actions-runner", time.Second), "SECRET") {
		t.Error("the launch command line carries the config")
	}
	if out, code := sh(t, home, LaunchCommand("~/actions-runner", 10*time.Second), "x\n"); code != 4 {
		t.Errorf("second launch: exit %d (%q), want 4 while a runner runs", code, out)
	}
}

func TestLaunchReportsAnEarlyExit(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	dir := filepath.Join(home, "r")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"run.sh": fakeRunSh, "crash": ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	out, code := sh(t, home, LaunchCommand(dir, 10*time.Second), "jit\n")
	if code != 5 || !strings.Contains(out, "exited before listening") {
		t.Errorf("launch of a crashing runner: exit %d, output %q", code, out)
	}
	tail, _ := sh(t, home, LogTailCommand(dir, 5), "")
	if !strings.Contains(tail, "boom") {
		t.Errorf("log tail %q lacks the runner's output", tail)
	}
}

func TestPreflightFacts(t *testing.T) {
	t.Parallel()
	out, code := sh(t, t.TempDir(), PreflightCommand(), "")
	if code != 0 {
		t.Fatalf("preflight: exit %d: %s", code, out)
	}
	f, err := ParseFacts(out)
	if err != nil {
		t.Fatal(err)
	}
	if f.Arch == "" || f.DiskFreeMB <= 0 || f.UID < 0 {
		t.Errorf("facts %+v lack arch, disk or uid", f)
	}
}

func TestShellcheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var paths []string
	for name, body := range Scripts() {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := exec.Command("shellcheck", append([]string{"--severity=style"}, paths...)...).CombinedOutput()
	if err != nil {
		t.Errorf("shellcheck (apt-get install -y shellcheck) on the scripts sent to pods: %v\n%s", err, out)
	}
}

// TestWatchdogEndsThePod runs the watchdog with a deadline a second away on pods whose
// runpodctl knows the current verbs, only the deprecated GraphQL-backed ones
// (https://github.com/runpod/runpodctl/blob/main/cmd/legacy/legacy.go), or is missing; the
// last way is REST v2's DELETE /v2/pods/{id} with the pod-scoped key
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, deletePod). Each
// failure is logged on the pod and the whole is tried again.
func TestWatchdogEndsThePod(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		ctl      string // runpodctl's script; "" for none
		restCode int
		want     []string // what runpodctl and REST saw, in order
		log      string   // part of the watchdog's log
	}{
		{name: "current_runpodctl", ctl: "exit 0", want: []string{"runpodctl pod delete pod123abc key=podkey"}, log: "asked RunPod to terminate"},
		{name: "legacy_runpodctl", ctl: `[ "$1" = pod ] && exit 1; exit 0`,
			want: []string{"runpodctl pod delete pod123abc key=podkey", "runpodctl remove pod pod123abc key=podkey"}, log: "runpodctl pod delete failed"},
		{name: "no_runpodctl", restCode: http.StatusNoContent, want: []string{"DELETE /v2/pods/pod123abc Bearer podkey"}, log: "no runpodctl on the pod"},
		{name: "everything_fails", ctl: "exit 1", restCode: http.StatusInternalServerError,
			want: []string{"runpodctl pod delete pod123abc key=podkey", "runpodctl remove pod pod123abc key=podkey", "DELETE /v2/pods/pod123abc Bearer podkey"},
			log:  "trying again in 10s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			home := t.TempDir()
			bin := filepath.Join(home, "bin")
			if err := os.MkdirAll(bin, 0o755); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var seen []string
			seenNow := func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), seen...) }
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				seen = append(seen, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
				mu.Unlock()
				w.WriteHeader(tc.restCode)
			}))
			t.Cleanup(srv.Close)
			calls := filepath.Join(home, "calls")
			if tc.ctl != "" {
				ctl := "#!/bin/bash\necho \"runpodctl $* key=$RUNPOD_API_KEY\" >> " + calls + "\n" + tc.ctl + "\n"
				if err := os.WriteFile(filepath.Join(bin, "runpodctl"), []byte(ctl), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command("bash", "-c", WatchdogCommand(time.Now().Add(time.Second), true, srv.URL+"/"))
			cmd.Env = append(os.Environ(), "HOME="+home, "PATH="+bin+":"+os.Getenv("PATH"), "RUNPOD_POD_ID=pod123abc", "RUNPOD_API_KEY=podkey")
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "watchdog pid=") {
				t.Fatalf("watchdog: %v %s", err, out)
			}
			t.Cleanup(func() { sh(t, home, "kill $(cat ~/.runpod-runner-watchdog.pid)", "") })
			var got []string
			var log []byte
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
				b, _ := os.ReadFile(calls)
				got = append(strings.Fields(strings.ReplaceAll(strings.ReplaceAll(string(b), " ", "\x00"), "\n", " ")), seenNow()...)
				for i := range got {
					got[i] = strings.ReplaceAll(got[i], "\x00", " ")
				}
				log, _ = os.ReadFile(filepath.Join(home, ".runpod-runner-watchdog.log"))
				if len(got) >= len(tc.want) && strings.Contains(string(log), tc.log) {
					break
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ways tried (-want +got):\n%s", diff)
			}
			if !strings.Contains(string(log), tc.log) {
				t.Errorf("watchdog log lacks %q:\n%s", tc.log, log)
			}
		})
	}
}

// TestLaunchIgnoresAStalePidFile: a resumed pod keeps the pid file of the runner that ran
// before; that pid may now belong to any process, which must not block the launch.
func TestLaunchIgnoresAStalePidFile(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	dir := filepath.Join(home, "r")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"run.sh": fakeRunSh, ".runpod-runner.pid": fmt.Sprint(os.Getpid())}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	out, code := sh(t, home, LaunchCommand(dir, 10*time.Second), "jit\n")
	if code != 0 || !strings.Contains(out, "listening pid=") {
		t.Fatalf("launch over a stale pid file: exit %d, output %q", code, out)
	}
	t.Cleanup(func() { sh(t, home, "kill $(cat "+dir+"/.runpod-runner.pid)", "") })
}

// TestLaunchWaitIsBoundedByTheClock: on a loaded pod every turn of the launch's wait takes far
// longer than its 0.1 s sleep. The wait ends by the clock, so a runner that never listens gives
// the launch back after the seconds it was given, not after ten times as many turns.
func TestLaunchWaitIsBoundedByTheClock(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	dir, shims := filepath.Join(home, "r"), filepath.Join(home, "bin")
	turns := filepath.Join(home, "turns")
	files := map[string]string{
		filepath.Join(dir, "run.sh"): "#!/bin/bash\necho 'not listening yet'\nexec /bin/sleep 30\n",
		// Every sleep of the wait takes 0.4 s instead of 0.1 s, as on a loaded machine.
		filepath.Join(shims, "sleep"): "#!/bin/bash\necho turn >>" + turns + "\nexec /bin/sleep 0.4\n",
	}
	for name, body := range files {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	out, code := sh(t, home, "PATH="+shims+":$PATH; "+LaunchCommand(dir, 2*time.Second), "jit\n")
	t.Cleanup(func() { sh(t, home, "kill $(cat "+dir+"/.runpod-runner.pid)", "") })
	if code != 0 || !strings.Contains(out, "started pid=") {
		t.Fatalf("launch of a runner that does not listen: exit %d, output %q", code, out)
	}
	body, err := os.ReadFile(turns)
	if err != nil {
		t.Fatal(err)
	}
	// 2 s at 0.4 s a turn is at most 6 turns; counting turns instead of seconds makes 20.
	if n := strings.Count(string(body), "turn"); n > 8 {
		t.Errorf("the launch waited %d turns of 0.4 s for a 2 s wait", n)
	}
}

// TestWatchdogWhereInitIsNotReadable: a session that is not root may not read
// /proc/1/environ. The watchdog then looks in RunPod's copy of it and, finding the pod's id
// nowhere, says so and returns 3; it neither dies on the read nor prints the shell's error.
func TestWatchdogWhereInitIsNotReadable(t *testing.T) {
	t.Parallel()
	setpriv, err := exec.LookPath("setpriv")
	if os.Geteuid() != 0 || err != nil {
		t.Skip("needs root and setpriv to run the watchdog as another user")
	}
	home := t.TempDir()
	if err := os.Chmod(home, 0o777); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "bash", "-c",
		WatchdogCommand(time.Now().Add(time.Hour), true, "http://127.0.0.1:9/"))
	cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 || !strings.Contains(string(out), "no RUNPOD_POD_ID") || strings.Contains(string(out), "denied") {
		t.Errorf("watchdog without access to /proc/1/environ: %v, output %q; want exit 3 saying there is no RUNPOD_POD_ID", err, out)
	}
}
