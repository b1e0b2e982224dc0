package fakerunner

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"time"
)

// RunScript is run.sh: the root check exactly as the real run-helper.sh
// does it, then the listener.
const RunScript = `#!/bin/bash

user_id=` + "`id -u`" + `

# we want to snapshot the environment of the config user
if [ $user_id -eq 0 -a -z "$RUNNER_ALLOW_RUNASROOT" ]; then
    echo "Must not run with sudo"
    exit 1
fi

exec "$(dirname "$0")/bin/Runner.Listener" run "$@"
`

// ConfigScript is config.sh: just-in-time runners need no configuration.
const ConfigScript = `#!/bin/bash
echo "This runner is started with a just-in-time configuration (./run.sh --jitconfig ...) and needs no config step."
exit 0
`

// tarballTime is the modification time of every tarball entry, so that the
// same listener binary always gives the same tarball.
func tarballTime() time.Time {
	return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
}

// Filename is the release asset name of a runner tarball, e.g.
// "actions-runner-linux-x64-2.336.0.tar.gz".
func Filename(version, osName, arch string) string {
	return fmt.Sprintf("actions-runner-%s-%s-%s.tar.gz", osName, arch, version)
}

// Arch maps a Go architecture to the runner's release name for it
// (amd64 → x64; arm64 and arm stay).
func Arch(goarch string) string {
	if goarch == "amd64" {
		return "x64"
	}
	return goarch
}

// Tarball builds a runner release tarball (.tar.gz) around the listener
// binary and returns it with its SHA-256 checksum in hex.
func Tarball(listenerPath, version string) ([]byte, string, error) {
	bin, err := os.ReadFile(listenerPath)
	if err != nil {
		return nil, "", fmt.Errorf("read listener: %w", err)
	}
	entries := []struct {
		name string
		mode int64
		data []byte
	}{
		{name: "./", mode: 0o755},
		{name: "./bin/", mode: 0o755},
		{name: "./bin/" + ListenerName, mode: 0o755, data: bin},
		{name: "./bin/runner-version", mode: 0o644, data: []byte(version + "\n")},
		{name: "./config.sh", mode: 0o755, data: []byte(ConfigScript)},
		{name: "./run.sh", mode: 0o755, data: []byte(RunScript)},
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Mode: e.mode, Size: int64(len(e.data)), ModTime: tarballTime(),
			Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if e.name[len(e.name)-1] == '/' {
			hdr.Typeflag = tar.TypeDir
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, "", fmt.Errorf("write %s header: %w", e.name, err)
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, "", fmt.Errorf("write %s: %w", e.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, "", fmt.Errorf("close tar: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, "", fmt.Errorf("close gzip: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return buf.Bytes(), hex.EncodeToString(sum[:]), nil
}

// Handler serves data at exactly path (GET and HEAD, with range requests)
// and answers 404 elsewhere.
func Handler(path string, data []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path != path:
			http.NotFound(w, r)
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		default:
			w.Header().Set("Content-Type", "application/octet-stream")
			http.ServeContent(w, r, "", tarballTime(), bytes.NewReader(data))
		}
	})
}
