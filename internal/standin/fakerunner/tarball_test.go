package fakerunner_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunner"
)

// entry is one tarball member.
type entry struct {
	Name string
	Dir  bool
	Mode int64
}

func TestTarballLayout(t *testing.T) {
	t.Parallel()
	zr, err := gzip.NewReader(bytes.NewReader(artifacts.tarball))
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	tr := tar.NewReader(zr)
	var got []entry
	files := map[string]string{}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("tar: %v", err)
		}
		got = append(got, entry{Name: hdr.Name, Dir: hdr.Typeflag == tar.TypeDir, Mode: hdr.Mode})
		if b, err := io.ReadAll(tr); err == nil && hdr.Typeflag == tar.TypeReg && hdr.Size < 4096 {
			files[hdr.Name] = string(b)
		}
	}
	want := []entry{
		{Name: "./", Dir: true, Mode: 0o755}, {Name: "./bin/", Dir: true, Mode: 0o755},
		{Name: "./bin/Runner.Listener", Mode: 0o755}, {Name: "./bin/runner-version", Mode: 0o644},
		{Name: "./config.sh", Mode: 0o755}, {Name: "./run.sh", Mode: 0o755},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	wantFiles := map[string]string{"./bin/runner-version": "2.336.0\n",
		"./config.sh": fakerunner.ConfigScript, "./run.sh": fakerunner.RunScript}
	if diff := cmp.Diff(wantFiles, files); diff != "" {
		t.Errorf("file contents (-want +got):\n%s", diff)
	}
	sum := sha256.Sum256(artifacts.tarball)
	if got := hex.EncodeToString(sum[:]); got != artifacts.sum {
		t.Errorf("checksum = %s, want %s", artifacts.sum, got)
	}
}

func TestTarballIsDeterministic(t *testing.T) {
	t.Parallel()
	_, sum, err := fakerunner.Tarball(artifacts.listener, testVersion)
	if err != nil {
		t.Fatalf("tarball: %v", err)
	}
	if sum != artifacts.sum {
		t.Errorf("second build checksum %s differs from %s", sum, artifacts.sum)
	}
	if _, _, err := fakerunner.Tarball(filepath.Join(t.TempDir(), "missing"), testVersion); err == nil {
		t.Errorf("missing listener: want an error")
	}
}

func TestConfigScript(t *testing.T) {
	t.Parallel()
	root := install(t)
	p := startProc(t, filepath.Join(root, "config.sh"), nil, "--url", "https://github.com/acme/app")
	if code := p.wait(t); code != 0 || p.stdout.String() == "" {
		t.Errorf("config.sh exit %d, output %q; want 0 and a message", code, p.stdout)
	}
}

func TestHandler(t *testing.T) {
	t.Parallel()
	name := fakerunner.Filename(testVersion, "linux", fakerunner.Arch("amd64"))
	path := "/actions/runner/releases/download/v" + testVersion + "/" + name
	ts := httptest.NewServer(fakerunner.Handler(path, artifacts.tarball))
	t.Cleanup(ts.Close)
	tests := []struct {
		name       string
		method     string
		path       string
		rangeHdr   string
		wantStatus int
		wantBody   []byte
	}{
		{name: "download", method: http.MethodGet, path: path, wantStatus: 200, wantBody: artifacts.tarball},
		{name: "range", method: http.MethodGet, path: path, rangeHdr: "bytes=0-1", wantStatus: 206,
			wantBody: artifacts.tarball[:2]},
		{name: "head", method: http.MethodHead, path: path, wantStatus: 200, wantBody: []byte{}},
		{name: "other path", method: http.MethodGet, path: "/other.tar.gz", wantStatus: 404},
		{name: "post", method: http.MethodPost, path: path, wantStatus: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest(tt.method, ts.URL+tt.path, nil)
			if err != nil {
				t.Fatalf("request: %v", err)
			}
			if tt.rangeHdr != "" {
				req.Header.Set("Range", tt.rangeHdr)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("%s: %v", tt.method, err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if resp.StatusCode != tt.wantStatus || (tt.wantBody != nil && !bytes.Equal(body, tt.wantBody)) {
				t.Errorf("status %d, %d bytes; want %d and %d bytes", resp.StatusCode, len(body), tt.wantStatus, len(tt.wantBody))
			}
		})
	}
	if name != "actions-runner-linux-x64-2.336.0.tar.gz" {
		t.Errorf("Filename = %s", name)
	}
}
