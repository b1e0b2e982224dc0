package sandbox

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScanCatchesPlantedLeaks(t *testing.T) {
	t.Parallel()
	key := "-----BEGIN KEY-----\nAAAABBBBCCCCDDDDEEEEFFFF\n-----END KEY-----"
	secrets := map[string]string{"token": "ghp_0123456789abcdef", "key": key}
	blobs := map[string][]byte{
		"stdout": []byte("::add-mask::ghp_0123456789abcdef\n" +
			"::add-mask::-----BEGIN KEY-----%0AAAAABBBBCCCCDDDDEEEEFFFF%0A-----END KEY-----\n" +
			"all good\n" +
			"::error::token was ghp_0123456789abcdef\n"),
		"GITHUB_OUTPUT":       []byte("k<<D\nAAAABBBBCCCCDDDDEEEEFFFF\nD\n"),
		"GITHUB_STEP_SUMMARY": []byte("escaped: -----BEGIN KEY-----%0AAAAABBBBCCCCDDDDEEEEFFFF%0A-----END KEY-----\n"),
		"pod sessions":        []byte("=== env\nTOKEN=nothing here\n"),
	}
	got := map[string]bool{}
	for _, l := range Scan(secrets, blobs) {
		got[l.String()] = true
	}
	want := map[string]bool{
		"token leaked in stdout line 4":            true,
		"key leaked in GITHUB_OUTPUT line 2":       true,
		"key leaked in GITHUB_STEP_SUMMARY line 1": true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scan() mismatch (-want +got):\n%s", diff)
	}
}

func TestMaskedUnescapes(t *testing.T) {
	t.Parallel()
	got := Masked("::add-mask::short\n::add-mask::line one is long enough%0Aline two\nother\n")
	if diff := cmp.Diff([]string{"line one is long enough\nline two"}, got); diff != "" {
		t.Errorf("Masked() mismatch (-want +got):\n%s", diff)
	}
}

func TestParseFileCommands(t *testing.T) {
	t.Parallel()
	got, err := ParseFileCommands([]byte("a=1\nb<<EOF\nx\ny\nEOF\na=2\nc=\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"a": "2", "b": "x\ny", "c": ""}, got); diff != "" {
		t.Errorf("ParseFileCommands() mismatch (-want +got):\n%s", diff)
	}
	if _, err := ParseFileCommands([]byte("b<<EOF\nx\n")); err == nil {
		t.Error("a missing delimiter was accepted")
	}
}
