package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"

	"github.com/runpod-runner/runpod-runner/internal/action"
	"github.com/runpod-runner/runpod-runner/internal/config"
)

// metadata is what the tests read of action.yml.
type metadata struct {
	Inputs map[string]struct {
		Description string  `yaml:"description"`
		Required    bool    `yaml:"required"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
	} `yaml:"outputs"`
	Runs struct {
		Using          string `yaml:"using"`
		Image          string `yaml:"image"`
		PostEntrypoint string `yaml:"post-entrypoint"`
	} `yaml:"runs"`
}

func readMetadata(t *testing.T) metadata {
	t.Helper()
	b, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var md metadata
	if err := yaml.Unmarshal(b, &md); err != nil {
		t.Fatal(err)
	}
	return md
}

// TestActionYAMLMatchesTheCode: every input action.yml declares is one the code reads, with the
// same default, and the other way round; every output it declares is one the code writes.
func TestActionYAMLMatchesTheCode(t *testing.T) {
	t.Parallel()
	md := readMetadata(t)
	declared, read := map[string]string{}, map[string]string{}
	for name, in := range md.Inputs {
		if in.Default == nil && !in.Required {
			t.Errorf("input %s has no default (quote it as a string)", name)
		}
		declared[name] = deref(in.Default)
	}
	for _, in := range config.Inputs() {
		read[in.Name] = in.Default
	}
	if diff := cmp.Diff(read, declared); diff != "" {
		t.Errorf("inputs of action.yml mismatch the inputs config reads (-code +action.yml):\n%s", diff)
	}
	var outputs []string
	for name := range md.Outputs {
		outputs = append(outputs, name)
	}
	want := action.OutputNames()
	sort.Strings(outputs)
	sort.Strings(want)
	if diff := cmp.Diff(want, outputs); diff != "" {
		t.Errorf("outputs of action.yml mismatch the outputs the action writes (-code +action.yml):\n%s", diff)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

var reRow = regexp.MustCompile("(?m)^\\| `([a-z0-9-]+)` \\| (.*) \\|$")

// readmeTable returns the rows of the README table under heading: first cell → the rest.
func readmeTable(t *testing.T, readme, heading string) map[string]string {
	t.Helper()
	_, after, ok := strings.Cut(readme, "\n## "+heading+"\n")
	if !ok {
		t.Fatalf("README has no section %q", heading)
	}
	section, _, _ := strings.Cut(after, "\n## ")
	rows := map[string]string{}
	for _, m := range reRow.FindAllStringSubmatch(section, -1) {
		rows[m[1]] = m[2]
	}
	return rows
}

// TestReadmeTablesMatchActionYAML: the README's input and output tables say what action.yml
// says, no more and no less.
func TestReadmeTablesMatchActionYAML(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	md := readMetadata(t)
	wantIn, wantOut := map[string]string{}, map[string]string{}
	for name, in := range md.Inputs {
		def := ""
		if d := deref(in.Default); d != "" {
			def = "`" + d + "`"
		}
		req := ""
		if in.Required {
			req = " **Required.**"
		}
		wantIn[name] = def + " | " + in.Description + req
	}
	for name, out := range md.Outputs {
		wantOut[name] = out.Description
	}
	if diff := cmp.Diff(wantIn, readmeTable(t, string(b), "Inputs")); diff != "" {
		t.Errorf("README inputs table mismatch (-action.yml +README):\n%s", diff)
	}
	if diff := cmp.Diff(wantOut, readmeTable(t, string(b), "Outputs")); diff != "" {
		t.Errorf("README outputs table mismatch (-action.yml +README):\n%s", diff)
	}
}

// TestWorkflowsLint runs actionlint (with shellcheck on run: scripts) on every workflow of the
// project, every example, and every workflow in the README.
func TestWorkflowsLint(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files, _ := filepath.Glob(".github/workflows/*.yml")
	examples, _ := filepath.Glob("examples/*.yml")
	files = append(files, examples...)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for i, block := range yamlBlocks(string(readme)) {
		if !strings.Contains(block, "\njobs:") {
			continue
		}
		p := filepath.Join(dir, ".github", "workflows", "readme-"+string(rune('a'+i))+".yml")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(block), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	if len(files) < 8 {
		t.Fatalf("found only %d workflows to lint: %v", len(files), files)
	}
	var out bytes.Buffer
	linter, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{Shellcheck: "shellcheck", Oneline: true})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := linter.LintFiles(files, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) > 0 {
		t.Errorf("actionlint found %d problems:\n%s", len(errs), out.String())
	}
}

var reYAMLBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")

func yamlBlocks(markdown string) []string {
	var out []string
	for _, m := range reYAMLBlock.FindAllStringSubmatch(markdown, -1) {
		out = append(out, m[1])
	}
	return out
}
