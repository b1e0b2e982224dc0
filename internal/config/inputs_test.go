package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEmptyInputsTakeTheTableDefaults: for every input with a default in Inputs, leaving it
// empty reads the same configuration as giving that default, so no reader has a default of
// its own that could drift from the table (and from action.yml, which TestActionYAMLMatchesTheCode
// holds to the table).
func TestEmptyInputsTakeTheTableDefaults(t *testing.T) {
	t.Parallel()
	empty, err := Load(env(nil), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range Inputs() {
		if in.Default == "" {
			continue
		}
		t.Run(in.Name, func(t *testing.T) {
			t.Parallel()
			given, err := Load(env(map[string]string{in.Name: in.Default}), false)
			if err != nil {
				t.Fatalf("Load() with %s: %q = %v", in.Name, in.Default, err)
			}
			if diff := cmp.Diff(given, empty); diff != "" {
				t.Errorf("empty %s reads otherwise than its default %q (-given +empty):\n%s", in.Name, in.Default, diff)
			}
		})
	}
}

// TestSecretValuesAreTheSecretInputs: the inputs masked before anything reads them are the
// ones the table marks secret, and no other.
func TestSecretValuesAreTheSecretInputs(t *testing.T) {
	t.Parallel()
	m := map[string]string{}
	for _, in := range Inputs() {
		m["INPUT_"+strings.ToUpper(in.Name)] = "value of " + in.Name
	}
	got := SecretValues(func(k string) string { return m[k] })
	want := []string{"value of " + InRunPodAPIKey, "value of " + InGitHubToken, "value of " + InSSHPrivateKey}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SecretValues() (-want +got):\n%s", diff)
	}
}
