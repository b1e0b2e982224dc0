package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// TestNoBinaryIsTracked fails when git tracks a file that is not text: a built binary, an
// archive or anything else that belongs in .gitignore.
func TestNoBinaryIsTracked(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("git", "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		b, err := os.ReadFile(name)
		if err != nil {
			continue // deleted in the work tree
		}
		if bytes.IndexByte(b, 0) >= 0 || bytes.HasPrefix(b, []byte("\x7fELF")) {
			t.Errorf("git tracks a binary file %s: remove it and cover it in .gitignore", name)
		}
	}
}

// TestDockerBuildContext lists what `docker build .` sends, by the rules of .dockerignore as
// Docker reads them (github.com/moby/patternmatcher), and checks it is the product alone.
func TestDockerBuildContext(t *testing.T) {
	t.Parallel()
	f, err := os.Open(".dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	var sent []string
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if path == ".git" || strings.HasPrefix(path, ".git/") {
			return nil
		}
		ignored, err := pm.MatchesOrParentMatches(filepath.ToSlash(path))
		if err != nil {
			return err
		}
		if !ignored {
			sent = append(sent, filepath.ToSlash(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	product := regexp.MustCompile(`^(go\.mod|go\.sum|[a-z0-9_]+\.go|internal/[a-z]+/([a-z0-9_]+\.go|scripts/[a-z0-9_-]+\.sh))$`)
	for _, p := range sent {
		if !product.MatchString(p) || strings.HasSuffix(p, "_test.go") || strings.HasPrefix(p, "internal/standin/") {
			t.Errorf("docker build context holds %s: only go.mod, go.sum, package main and the product's internal packages belong there", p)
		}
	}
	must, _ := filepath.Glob("*.go") // every file of package main, or the image does not build
	must = slices.DeleteFunc(must, func(p string) bool { return strings.HasSuffix(p, "_test.go") })
	for _, must := range append(must, "go.mod", "go.sum") {
		if !contains(sent, must) {
			t.Errorf("docker build context lacks %s", must)
		}
	}
	t.Logf("docker build context: %d files\n%s", len(sent), strings.Join(sent, "\n"))
}

// TestProductNeverImportsTheStandins builds the import graph of the action's binary and fails
// when any package of the test world (internal/standin/...) is in it.
func TestProductNeverImportsTheStandins(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "/internal/standin") {
			t.Errorf("the product imports the stand-in %s", pkg)
		}
	}
}

// TestDemoBuildsOnlyWhatItRuns: make demo and make demo-scale build the stand-ins with the
// nocontract tag, so their first build compiles neither RunPod's OpenAPI validator nor what it
// pulls in (about half of a cold build); the Makefile passes the tag.
func TestDemoBuildsOnlyWhatItRuns(t *testing.T) {
	t.Parallel()
	mk, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"./cmd/demo", "./cmd/demoscale"} {
		if !strings.Contains(string(mk), "run -trimpath -tags nocontract "+cmd+"\n") {
			t.Errorf("the Makefile does not build %s with -tags nocontract", cmd)
		}
		out, err := exec.Command("go", "list", "-deps", "-tags", "nocontract", cmd).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", cmd, err)
		}
		for _, pkg := range strings.Fields(string(out)) {
			if strings.Contains(pkg, "libopenapi") || strings.HasPrefix(pkg, "golang.org/x/text/") {
				t.Errorf("%s builds %s, which it does not run", cmd, pkg)
			}
		}
	}
}

// TestInternalMatchesReadmeLayout: the folders of internal/ are the ones the README's Layout
// section names, no more and no fewer.
func TestInternalMatchesReadmeLayout(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir("internal")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e.IsDir() {
			got = append(got, e.Name())
		}
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, layout, ok := strings.Cut(string(readme), "## Layout")
	if !ok {
		t.Fatal("README has no Layout section")
	}
	layout, _, _ = strings.Cut(layout, "\n## ")
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^internal/([a-z]+)`).FindAllStringSubmatch(layout, -1) {
		seen[m[1]] = true
	}
	var want []string
	for name := range seen {
		want = append(want, name)
	}
	sort.Strings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("internal/ folders differ from the README's Layout (-readme +ls internal):\n%s", diff)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
