package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSetupSaysTheOneCommand: on a machine where make test cannot install what it lacks (here:
// no apt-get on PATH), .ci/setup stops at once and prints the one command that installs it.
func TestSetupSaysTheOneCommand(t *testing.T) {
	t.Parallel()
	bin := t.TempDir()
	for _, tool := range []string{"go", "id", "sed", "dirname"} { // and no curl, shellcheck, nix or apt-get
		path, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("%s: %v", tool, err)
		}
		if err := os.Symlink(path, filepath.Join(bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(bash, ".ci/setup", "test")
	cmd.Env = []string{"PATH=" + bin}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	began := time.Now()
	err = cmd.Run()
	took := time.Since(began)
	if _, ok := err.(*exec.ExitError); !ok {
		t.Fatalf(".ci/setup test = %v, want exit status 1\n%s", err, stderr.String())
	}
	want := "apt-get install -y curl shellcheck nix-bin"
	if _, err := os.Stat("/usr/sbin/sshd"); err != nil {
		want = "apt-get install -y openssh-server curl shellcheck nix-bin"
	}
	if os.Getuid() != 0 {
		want = "sudo " + want
	}
	if !strings.Contains(stderr.String(), "\n  "+want+"\n") {
		t.Errorf(".ci/setup test said:\n%s\nwant the command %q", stderr.String(), want)
	}
	t.Logf(".ci/setup stopped in %s", took)
}
