// Package remote reaches a pod over SSH with golang.org/x/crypto/ssh: a fresh ed25519 key per
// start, a dial whose handshake has a deadline and that retries until the pod accepts the key,
// a host key pinned on first contact and enforced after, and commands fed secrets on stdin.
package remote

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/ssh"
)

// Key is the client key the action logs in with.
type Key struct {
	Signer ssh.Signer
	// AuthorizedKey is the public half in authorized_keys form, for the pod's PUBLIC_KEY.
	AuthorizedKey string
	// PEM is the private half in OpenSSH form; a secret.
	PEM string
}

// NewKey makes a fresh ed25519 key pair.
func NewKey() (*Key, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating an ssh key: %w", err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "runpod-runner")
	if err != nil {
		return nil, fmt.Errorf("encoding the ssh key: %w", err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, fmt.Errorf("making an ssh signer: %w", err)
	}
	return newKey(signer, string(pem.EncodeToMemory(block))), nil
}

// ParseKey reads a private key in OpenSSH or PEM form (the ssh-private-key input). The error
// never holds the key.
func ParseKey(privatePEM string) (*Key, error) {
	signer, err := ssh.ParsePrivateKey([]byte(strings.TrimSpace(privatePEM) + "\n"))
	if err != nil {
		var missing *ssh.PassphraseMissingError
		if errors.As(err, &missing) {
			return nil, fmt.Errorf("ssh-private-key is protected by a passphrase; give an unencrypted key")
		}
		return nil, fmt.Errorf("ssh-private-key is not a private key in OpenSSH or PEM form")
	}
	return newKey(signer, privatePEM), nil
}

func newKey(signer ssh.Signer, privatePEM string) *Key {
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey()))) + " runpod-runner"
	return &Key{Signer: signer, AuthorizedKey: line, PEM: privatePEM}
}
