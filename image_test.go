package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"debug/elf"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestStaticBinaryInEmptyRoot builds the binary as the image does and runs it in a root
// filesystem holding nothing but the binary and a CA bundle, as distroless/static does: it must
// start, read its inputs, reach an HTTPS API trusting only that bundle, and report the answer.
func TestStaticBinaryInEmptyRoot(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	bin := filepath.Join(root, "runpod-runner")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X main.version=v9.9.9-test", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building as the Dockerfile does: %v\n%s", err, out)
	}
	checkStatic(t, bin)

	caPEM, srv := tlsServer(t)
	for _, dir := range []string{"etc/ssl/certs", "github"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	run := func(env ...string) string {
		cmd := inRoot(t, root, srv.URL)
		cmd.Env = append(cmd.Env, env...)
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	reached := func(out string) {
		t.Helper()
		for _, want := range []string{"::debug::runpod-runner v9.9.9-test", "::error title=runpod-runner failed::", "HTTP 401"} {
			if !strings.Contains(out, want) {
				t.Errorf("output of the binary in an empty root lacks %q:\n%s", want, out)
			}
		}
	}
	if out := run(); !strings.Contains(out, "x509: certificate signed by unknown authority") {
		t.Fatalf("without a CA bundle the binary reached the server anyway:\n%s", out)
	}
	// A private CA in the workspace, as the README's troubleshooting tells users to add one.
	if err := os.MkdirAll(filepath.Join(root, "github/workspace/ca"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "github/workspace/ca/private-ca.pem"), caPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	reached(run("SSL_CERT_DIR=/github/workspace/ca"))
	if err := os.WriteFile(filepath.Join(root, "etc/ssl/certs/ca-certificates.crt"), caPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	reached(run())
}

// inRoot runs the binary chrooted into root as a stop step against the API at url.
func inRoot(t *testing.T, root, url string) *exec.Cmd {
	t.Helper()
	args := []string{"chroot", root, "/runpod-runner"}
	if os.Geteuid() != 0 {
		args = append([]string{"unshare", "--user", "--map-root-user"}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = []string{
		"INPUT_MODE=stop", "INPUT_RUNPOD-API-KEY=rpa_test", "INPUT_GITHUB-TOKEN=ghp_test", "INPUT_POD-ID=abcdef123",
		"INPUT_RUNPOD-API-URL=" + url, "GITHUB_REPOSITORY=octo/repo", "GITHUB_STATE=/github/state",
		"GITHUB_OUTPUT=/github/output", "GITHUB_STEP_SUMMARY=/github/summary",
	}
	return cmd
}

// checkStatic asserts the binary needs no dynamic loader and no shared library.
func checkStatic(t *testing.T, path string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary is dynamically linked (program header %v)", p.Type)
		}
	}
}

// tlsServer serves HTTPS with a certificate of a fresh CA, answering 401 to everything, and
// returns the CA in PEM.
func tlsServer(t *testing.T) ([]byte, *httptest.Server) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"}, IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"title":"Unauthorized","status":401,"detail":"invalid API key"}`))
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted first run's handshake errors
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), srv
}

// TestDockerfileBuildsWhatTheTestRuns: the image is built static, trimmed and stamped, on a
// pinned builder, into distroless/static, running the binary action.yml names for both steps
// as the default user.
func TestDockerfileBuildsWhatTheTestRuns(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	for _, re := range []string{
		`(?m)^FROM golang:1\.\d+\.\d+-\S+ AS build$`, `CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=\$\{VERSION\}"`,
		`(?m)^FROM gcr\.io/distroless/static-debian\d+$`, `(?m)^ENTRYPOINT \["/runpod-runner"\]$`,
	} {
		if !regexp.MustCompile(re).MatchString(df) {
			t.Errorf("Dockerfile does not match %s", re)
		}
	}
	if regexp.MustCompile(`(?m)^USER `).MatchString(df) {
		t.Error("Dockerfile sets USER; container actions run as the default user")
	}
	md := readMetadata(t)
	if md.Runs.Using != "docker" || md.Runs.Image != "Dockerfile" || md.Runs.PostEntrypoint != "/runpod-runner" {
		t.Errorf("action.yml runs = %+v, want docker, Dockerfile and the same binary for the post step", md.Runs)
	}
}
