package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Leak is a secret found in something the action wrote, outside an ::add-mask:: command.
type Leak struct {
	Secret string // which secret, by name
	Where  string // which stream, file or pod log
	Line   int
}

func (l Leak) String() string {
	return fmt.Sprintf("%s leaked in %s line %d", l.Secret, l.Where, l.Line)
}

// Scan looks for each secret (and each line of a multi-line one, and their workflow-command
// escaped forms) in every blob. A secret may appear only as the value of an ::add-mask::.
func Scan(secrets map[string]string, blobs map[string][]byte) []Leak {
	var leaks []Leak
	for where, blob := range blobs {
		for i, line := range strings.Split(string(blob), "\n") {
			if strings.HasPrefix(line, "::add-mask::") {
				continue
			}
			for name, secret := range secrets {
				if containsSecret(line, secret) {
					leaks = append(leaks, Leak{Secret: name, Where: where, Line: i + 1})
				}
			}
		}
	}
	return leaks
}

// Masked returns the values a step masked with ::add-mask:: (unescaped), those long enough to
// search for: whatever the action thought secret (a generated key, a JIT config) must not show
// anywhere else either.
func Masked(stdout string) []string {
	var out []string
	unescape := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%")
	for _, line := range strings.Split(stdout, "\n") {
		if v, ok := strings.CutPrefix(line, "::add-mask::"); ok {
			if v = unescape.Replace(v); len(strings.TrimSpace(v)) >= 16 {
				out = append(out, v)
			}
		}
	}
	return out
}

func containsSecret(line, secret string) bool {
	for _, s := range needles(secret) {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

// needles are the forms of a secret worth looking for: whole, escaped, and each long line.
func needles(secret string) []string {
	secret = strings.TrimSpace(secret)
	if secret == "" {
		return nil
	}
	esc := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(secret)
	out := []string{secret, esc}
	for _, l := range strings.Split(secret, "\n") {
		if l = strings.TrimSpace(l); len(l) >= 16 && !strings.HasPrefix(l, "-----") {
			out = append(out, l)
		}
	}
	return out
}

// PodBlobs returns the session logs of every pod the sandbox ever ran: the commands their
// sessions ran and the environment each session had.
func (s *Sandbox) PodBlobs() map[string][]byte {
	out := map[string][]byte{}
	logs, _ := filepath.Glob(filepath.Join(s.Pods.Dir, "_sessions", "*.log"))
	for _, path := range logs {
		if b, err := os.ReadFile(path); err == nil {
			out["pod sessions "+filepath.Base(path)] = b
		}
	}
	return out
}
