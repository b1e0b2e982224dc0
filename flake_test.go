package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// nixTool returns the path of a tool from Debian's nix-bin, installing the package with apt-get
// when it is missing and the test runs as root (as CI does); otherwise the test is skipped with
// the command that installs it.
func nixTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if _, err := exec.LookPath("apt-get"); err != nil || os.Geteuid() != 0 {
		t.Skipf("%s is not installed; install it with: sudo apt-get install -y nix-bin", name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "nix-bin")
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apt-get install -y nix-bin: %v\n%s", err, out)
	}
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s missing after installing nix-bin: %v", name, err)
	}
	return p
}

func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, errOut.String())
	}
	return strings.TrimSpace(out.String())
}

// TestFlake: flake.nix parses as Nix, declares what the README promises (the package built with
// buildGoModule from the root package with its version stamped, the app, the development shell
// with Go, OpenSSH and shellcheck), and its vendorHash is the hash of `go mod vendor` for this
// go.sum, so that a dependency change without a new vendorHash fails here rather than in a Nix
// build. The Nix build itself needs nixpkgs, which is not fetched here.
func TestFlake(t *testing.T) {
	t.Parallel()
	instantiate := nixTool(t, "nix-instantiate")
	nix := nixTool(t, "nix")
	src, err := os.ReadFile("flake.nix")
	if err != nil {
		t.Fatal(err)
	}
	parsed := runTool(t, instantiate, "--parse", "flake.nix")
	for _, want := range []string{"buildGoModule", `subPackages = [ "." ]`, "-X main.version=", "apps", "devShells",
		"pkgs.go", "pkgs.openssh", "pkgs.shellcheck", `type = "app"`, "/bin/runpod-runner"} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("flake.nix lacks %q", want)
		}
	}
	if !strings.Contains(parsed, "outputs") {
		t.Errorf("nix-instantiate --parse flake.nix has no outputs:\n%s", parsed)
	}

	m := regexp.MustCompile(`vendorHash = "([^"]*)";`).FindSubmatch(src)
	if m == nil {
		t.Fatal(`flake.nix has no vendorHash = "sha256-…";`)
	}
	vendor := filepath.Join(t.TempDir(), "vendor")
	runTool(t, "go", "mod", "vendor", "-o", vendor)
	got := runTool(t, nix, "--extra-experimental-features", "nix-command", "hash", "path", vendor)
	if !strings.HasPrefix(got, "sha256-") {
		t.Fatalf("nix hash path gave %q, want an SRI sha256", got)
	}
	if string(m[1]) != got {
		t.Errorf("flake.nix vendorHash is %s, but go.mod/go.sum vendor to %s: paste it into flake.nix:\n  vendorHash = %q;", m[1], got, got)
	}
}
