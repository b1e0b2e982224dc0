package fakerunner_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunner"
)

// testVersion is the runner version the test tarball carries.
const testVersion = "2.336.0"

// artifacts are built once by TestMain and only read by tests.
var artifacts struct {
	listener string
	tarball  []byte
	sum      string
}

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

// runTests builds the listener and the tarball, then runs the tests.
func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "fakerunner-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	path, err := fakerunner.BuildListener(ctx, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "build listener:", err)
		return 1
	}
	data, sum, err := fakerunner.Tarball(path, testVersion)
	if err != nil {
		fmt.Fprintln(os.Stderr, "build tarball:", err)
		return 1
	}
	artifacts.listener, artifacts.tarball, artifacts.sum = path, data, sum
	return m.Run()
}

func TestModuleRoot(t *testing.T) {
	t.Parallel()
	root, err := fakerunner.ModuleRoot()
	if err != nil {
		t.Fatalf("module root: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "internal", "standin", "fakerunner", "listener", "main.go")); err != nil {
		t.Errorf("root %s does not hold the listener: %v", root, err)
	}
}
