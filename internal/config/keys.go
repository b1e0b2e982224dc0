package config

import (
	"strings"

	"golang.org/x/crypto/ssh"
)

// readAuthorizedKeys reads authorized-keys: public keys, one a line, that the pod accepts beside
// the per-start key. Each is rewritten in its canonical form (type, key, comment), so no
// authorized_keys option such as command= can ride along.
func (c *Config) readAuthorizedKeys(r *reader) {
	for i, line := range strings.Split(r.get(InAuthorizedKeys), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, comment, options, rest, err := ssh.ParseAuthorizedKey([]byte(line))
		switch {
		case err != nil:
			r.fail(InAuthorizedKeys, "line %d is not a public key in authorized_keys form (ssh-ed25519 AAAA… comment)", i+1)
			continue
		case len(options) > 0:
			r.fail(InAuthorizedKeys, "line %d carries options (%s); give the bare key", i+1, strings.Join(options, ","))
			continue
		case len(rest) > 0:
			r.fail(InAuthorizedKeys, "line %d holds more than one key", i+1)
			continue
		}
		out := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key)))
		if comment = strings.Join(strings.Fields(comment), "_"); comment != "" {
			out += " " + comment
		}
		c.AuthorizedKeys = append(c.AuthorizedKeys, out)
	}
}

// PublicKeys is the pod's PUBLIC_KEY: the per-start key first, then authorized-keys, one a line,
// which RunPod's start script appends to ~/.ssh/authorized_keys.
func (c *Config) PublicKeys(startKey string) string {
	return strings.Join(append([]string{startKey}, c.AuthorizedKeys...), "\n")
}
