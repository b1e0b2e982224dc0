package runner

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

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
