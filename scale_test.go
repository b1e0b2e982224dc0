package main

import (
	"bytes"
	"context"
	"github.com/runpod-runner/runpod-runner/internal/scale"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScaleBadConfig: a config file with several mistakes gets every one of them on stderr, one
// line each, and exit status 2, before anything is built.
func TestScaleBadConfig(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "scale.yaml")
	body := "github: {url: https://github.com/octo/repo}\nlisten: nine\nscale-sets:\n  - name: gpu\n    gpu-types: NVIDIA A40\n    max-runners: 0\n    idle-timeout: 5 minutes\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return map[string]string{"GITHUB_TOKEN": "ghp-secret"}[k] }
	err := run(context.Background(), []string{"scale", "--config", path}, getenv, strings.NewReader(""), &stdout, &stderr)
	if code := exitCode(err); code != 2 {
		t.Fatalf("exit status %d, want 2 (err %v)", code, err)
	}
	for _, want := range []string{"listen: must be HOST:PORT", "scale-sets[0].max-runners: must be a whole number from 1 to 100",
		"scale-sets[0].idle-timeout: must be a duration", "RUNPOD_API_KEY: is required"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if n := strings.Count(strings.TrimSpace(stderr.String()), "\n") + 1; n != 4 {
		t.Errorf("stderr has %d lines, want one per problem (4):\n%s", n, stderr.String())
	}
	if strings.Contains(stderr.String()+stdout.String(), "ghp-secret") {
		t.Error("a secret reached the output")
	}
}

func TestScaleCommandLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{name: "no_config", args: []string{"scale"}},
		{name: "unknown_flag", args: []string{"scale", "--confg", "x"}},
		{name: "missing_file", args: []string{"scale", "--config", filepath.Join(t.TempDir(), "none.yaml")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			err := run(context.Background(), tc.args, func(string) string { return "" }, strings.NewReader(""), &out, &out)
			if code := exitCode(err); code != 2 {
				t.Errorf("exit status %d, want 2 (err %v)", code, err)
			}
		})
	}
}

// TestReadmeScaleConfigLoads: the README's example config file is one the autoscaler takes.
func TestReadmeScaleConfigLoads(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "```yaml\n# scale.yaml\n")
	block, _, _ = strings.Cut(block, "```")
	if !ok || block == "" {
		t.Fatal("README has no scale.yaml example")
	}
	getenv := func(k string) string { return map[string]string{"RUNPOD_API_KEY": "k", "GITHUB_TOKEN": "t"}[k] }
	if _, err := scale.Load([]byte(block), getenv, os.ReadFile); err != nil {
		t.Errorf("the README's scale.yaml: %v", err)
	}
}
