package workflow

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func newTest(t *testing.T) (*Commands, *bytes.Buffer, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_STATE":        filepath.Join(dir, "state"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
		"STATE_phase":         "ready",
	}
	var out bytes.Buffer
	return New(func(k string) string { return files[k] }, &out), &out, files
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var reDelim = regexp.MustCompile(`ghadelimiter_[0-9a-f]{32}`)

func TestAddMaskMasksValueAndLines(t *testing.T) {
	t.Parallel()
	c, out, _ := newTest(t)
	c.AddMask("line one\n  line two  \n\n")
	c.AddMask("line one")
	c.AddMask("   ")
	want := "::add-mask::line one%0A  line two\n::add-mask::line one\n::add-mask::line two\n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("stdout mismatch (-want +got):\n%s", diff)
	}
	if !c.Leaks("xx line two xx") || c.Leaks("line three") {
		t.Error("Leaks() does not match the masks")
	}
}

func TestOutputsAndState(t *testing.T) {
	t.Parallel()
	c, out, files := newTest(t)
	c.AddMask("s3cret")
	if err := c.SetOutput("label", "runpod-1\nsecond"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetOutput("bad", "x-s3cret-y"); err == nil || !strings.Contains(err.Error(), "masked") {
		t.Errorf("SetOutput with a masked value: err = %v, want a refusal", err)
	}
	if err := c.SaveState("pod-id", "abc"); err != nil {
		t.Fatal(err)
	}
	if err := c.AddSummary("# hi"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, want string }{
		{file: files["GITHUB_OUTPUT"], want: "label<<D\nrunpod-1\nsecond\nD\n"},
		{file: files["GITHUB_STATE"], want: "pod-id<<D\nabc\nD\n"},
		{file: files["GITHUB_STEP_SUMMARY"], want: "# hi\n"},
	} {
		if diff := cmp.Diff(tc.want, reDelim.ReplaceAllString(read(t, tc.file), "D")); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", tc.file, diff)
		}
	}
	if got := c.State("phase"); got != "ready" {
		t.Errorf("State(phase) = %q, want ready", got)
	}
	if strings.Contains(out.String(), "runpod-1") {
		t.Errorf("outputs reached stdout: %q", out.String())
	}
}

func TestFileCommandsOutsideActions(t *testing.T) {
	t.Parallel()
	c := New(func(string) string { return "" }, &bytes.Buffer{})
	if err := c.SetOutput("a", "b"); err == nil || !strings.Contains(err.Error(), "GITHUB_OUTPUT is not set") {
		t.Errorf("SetOutput() = %v, want GITHUB_OUTPUT is not set", err)
	}
	bad := New(func(string) string { return "/nonexistent/dir/file" }, &bytes.Buffer{})
	if err := bad.SaveState("a", "b"); err == nil {
		t.Error("SaveState() to an unwritable file succeeded")
	}
}

func TestErrorfHasTitle(t *testing.T) {
	t.Parallel()
	c, out, _ := newTest(t)
	c.Errorf("Invalid input gpu-count", "input gpu-count: must be %d", 1)
	if got, want := out.String(), "::error title=Invalid input gpu-count::input gpu-count: must be 1\n"; got != want {
		t.Errorf("Errorf wrote %q, want %q", got, want)
	}
}
