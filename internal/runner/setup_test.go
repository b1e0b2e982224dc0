package runner

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeLdconfig stands for ldconfig -p: it lists the libraries named in the file libs beside
// it, as a pod whose image has only those would.
const fakeLdconfig = `#!/bin/sh
while read -r lib; do echo "	$lib.so.1 (libc6,x86-64) => /lib/$lib.so.1"; done < "$(dirname "$0")/libs"
`

// setupPod is a pod's home with a runner package served over HTTP, and a PATH whose ldconfig
// lists libs.
func setupPod(t *testing.T, files map[string]string, libs string) (home string, spec Setup, env []string) {
	t.Helper()
	data, sum := tarball(t, files)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer dl-token" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		_, _ = w.Write(data)
	}))
	t.Cleanup(srv.Close)
	home = t.TempDir()
	bin := filepath.Join(home, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"ldconfig": fakeLdconfig, "libs": libs} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	pkg := Package{Version: "9.9.9", URL: srv.URL + "/runner.tar.gz", SHA256: sum}
	spec = Setup{GPUs: 0, DiskMB: 1, Dir: "~/actions-runner", Wait: 10 * time.Second,
		Packages: map[string]Package{"x64": pkg, "arm64": pkg}, JIT: "SECRET-JIT", DownloadToken: "dl-token"}
	env = append(os.Environ(), "HOME="+home, "PATH="+bin+":"+os.Getenv("PATH"))
	return home, spec, env
}

func runSetup(t *testing.T, spec Setup, env []string) (string, string, int) {
	t.Helper()
	cmd := exec.Command("bash", "-c", spec.Command())
	cmd.Env = env
	cmd.Stdin = strings.NewReader(spec.Stdin())
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sh(t, spec.Dir, "kill $(cat ~/actions-runner/.runpod-runner.pid) 2>/dev/null", "") })
	return stdout.String(), stderr.String(), code
}

func phases(out string) []string {
	var got []string
	for _, line := range strings.Split(out, "\n") {
		if p, ok := Phase(line); ok {
			got = append(got, p)
		}
	}
	return got
}

// TestSetupInOneSession: the whole of a start's work on the pod is one command: the parts run
// in order, pre-runner-script and the download token come on stdin, and the runner listens.
func TestSetupInOneSession(t *testing.T) {
	t.Parallel()
	home, spec, env := setupPod(t, map[string]string{"run.sh": fakeRunSh}, "libicu\nlibssl\nlibgssapi_krb5\nlibz\n")
	spec.PreRunnerScript = "echo pre-runner ran > " + filepath.Join(home, "pre") + "\n"
	spec.Watchdog = &Watchdog{Deadline: time.Now().Add(time.Hour), Terminate: true, API: "http://127.0.0.1:1"}
	env = append(env, "RUNPOD_POD_ID=pod1")
	out, errOut, code := runSetup(t, spec, env)
	t.Cleanup(func() { sh(t, home, "kill $(cat ~/.runpod-runner-watchdog.pid)", "") })
	if code != 0 {
		t.Fatalf("setup: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if diff := cmp.Diff([]string{"preflight", "watchdog", "pre-runner", "install", "launch"}, phases(out)); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
	f, err := ParseFacts(out)
	if err != nil || !f.Listening || f.Cached || len(f.MissingLibs) != 0 {
		t.Errorf("facts %+v, %v; want a fresh install that listens with every library\n%s", f, err, out)
	}
	if b, _ := os.ReadFile(filepath.Join(home, "pre")); string(b) != "pre-runner ran\n" {
		t.Errorf("pre-runner-script left %q", b)
	}
	seen, _ := os.ReadFile(filepath.Join(home, "actions-runner", "seen"))
	if !strings.Contains(string(seen), "jit=SECRET-JIT ") {
		t.Errorf("run.sh saw %q", seen)
	}
	for _, secret := range []string{"SECRET-JIT", "dl-token"} {
		if strings.Contains(spec.Command(), secret) {
			t.Errorf("the command line carries %s", secret)
		}
	}
}

// TestSetupNamesMissingLibraries: without libicu and with no way to install it, the setup
// stops in install with the library named, before the runner would crash.
func TestSetupNamesMissingLibraries(t *testing.T) {
	t.Parallel()
	_, spec, env := setupPod(t, map[string]string{"run.sh": fakeRunSh}, "libssl\nlibgssapi_krb5\nlibz\n")
	out, _, code := runSetup(t, spec, env)
	f, _ := ParseFacts(out)
	if code != ExitLibraries || !slicesEqual(f.MissingLibs, []string{"libicu"}) || phases(out)[len(phases(out))-1] != "install" {
		t.Errorf("setup: exit %d, missing %v, output %q; want exit %d naming libicu in install", code, f.MissingLibs, out, ExitLibraries)
	}
}

// TestSetupInstallsMissingLibraries: as root on a pod with apt-get, the runner's own
// bin/installdependencies.sh installs what is missing
// (https://github.com/actions/runner/blob/main/src/Misc/layoutbin/installdependencies.sh).
func TestSetupInstallsMissingLibraries(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("installdependencies.sh runs only as root")
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		t.Skip("no apt-get")
	}
	deps := "#!/bin/sh\necho libicu >> \"$(dirname \"$(command -v ldconfig)\")/libs\"\n"
	_, spec, env := setupPod(t, map[string]string{"run.sh": fakeRunSh, "bin/installdependencies.sh": deps}, "libssl\nlibgssapi_krb5\nlibz\n")
	out, errOut, code := runSetup(t, spec, env)
	f, _ := ParseFacts(out)
	if code != 0 || !f.Listening || !strings.Contains(errOut, "installdependencies.sh") {
		t.Errorf("setup: exit %d, facts %+v\nstdout %s\nstderr %s", code, f, out, errOut)
	}
}

func slicesEqual(a, b []string) bool { return cmp.Diff(a, b) == "" }

// TestPreRunnerScriptCannotSwallowItself: a command in pre-runner-script that reads stdin gets
// nothing (stdin is /dev/null), so the rest of the script runs, and its failure fails the setup.
func TestPreRunnerScriptCannotSwallowItself(t *testing.T) {
	t.Parallel()
	home, spec, env := setupPod(t, map[string]string{"run.sh": fakeRunSh}, "libicu\nlibssl\nlibgssapi_krb5\nlibz\n")
	spec.PreRunnerScript = "cat >/dev/null\necho rest ran > " + filepath.Join(home, "rest") + "\nfalse\necho never\n"
	out, errOut, code := runSetup(t, spec, env)
	if code != ExitPreRunner {
		t.Errorf("setup: exit %d, want %d (pre-runner-script failed)\nstdout %s\nstderr %s", code, ExitPreRunner, out, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(home, "rest")); string(b) != "rest ran\n" {
		t.Errorf("the rest of pre-runner-script did not run: %q", b)
	}
}

// TestOlderCachedRunnerIsReplaced: a resumed pod keeps the runner an earlier start installed;
// when the start resolves a newer version (latest moved on), the kept one is not reused: the
// newer package is downloaded and extracted over it, since GitHub refuses jobs to runners past
// its support window
// (https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/autoscaling-with-self-hosted-runners#controlling-runner-software-updates-on-self-hosted-runners).
func TestOlderCachedRunnerIsReplaced(t *testing.T) {
	t.Parallel()
	oldData, oldSum := tarball(t, map[string]string{"run.sh": fakeRunSh, "bin/runner-version": "2.337.0\n"})
	newData, newSum := tarball(t, map[string]string{"run.sh": fakeRunSh, "bin/runner-version": "2.338.0\n"})
	var mu sync.Mutex
	got := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got[r.URL.Path]++
		mu.Unlock()
		if strings.Contains(r.URL.Path, "2.337.0") {
			_, _ = w.Write(oldData)
			return
		}
		_, _ = w.Write(newData)
	}))
	t.Cleanup(srv.Close)
	home := t.TempDir()
	older := Package{Version: "2.337.0", URL: srv.URL + "/2.337.0.tar.gz", SHA256: oldSum}
	newer := Package{Version: "2.338.0", URL: srv.URL + "/2.338.0.tar.gz", SHA256: newSum}
	steps := []struct {
		pkg        Package
		wantCached string
	}{{older, "cached=0"}, {older, "cached=1"}, {newer, "cached=0"}, {newer, "cached=1"}}
	for i, st := range steps {
		if out, code := sh(t, home, InstallCommand(st.pkg, "~/actions-runner"), ""); code != 0 || !strings.Contains(out, st.wantCached) {
			t.Fatalf("install %d (%s): exit %d, output %q; want %s", i, st.pkg.Version, code, out, st.wantCached)
		}
	}
	b, err := os.ReadFile(filepath.Join(home, "actions-runner", "bin", "runner-version"))
	if err != nil || string(b) != "2.338.0\n" {
		t.Errorf("installed runner-version = %q, %v; want 2.338.0", b, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got["/2.337.0.tar.gz"] != 1 || got["/2.338.0.tar.gz"] != 1 {
		t.Errorf("downloads = %v; want each version once", got)
	}
}
