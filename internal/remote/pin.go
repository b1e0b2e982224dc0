package remote

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
)

// ErrHostKeyChanged means the pod presented a different host key than it did before: someone
// may be intercepting the connection. It is never retried.
var ErrHostKeyChanged = errors.New("the pod's SSH host key changed since the first connection (possible interception); refusing to connect")

// Pin remembers the host key a pod presented first and refuses any other afterwards.
type Pin struct {
	mu  sync.Mutex
	key ssh.PublicKey
}

// PinFrom returns a Pin already holding a key in authorized_keys form ("" for none).
func PinFrom(authorized string) (*Pin, error) {
	p := &Pin{}
	if strings.TrimSpace(authorized) == "" {
		return p, nil
	}
	key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(authorized))
	if err != nil {
		return nil, fmt.Errorf("parsing the pinned host key: %w", err)
	}
	p.key = key
	return p, nil
}

// Key returns the pinned key in authorized_keys form, "" before the first contact.
func (p *Pin) Key() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.key == nil {
		return ""
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(p.key)))
}

// Fingerprint returns the SHA256 fingerprint of the pinned key.
func (p *Pin) Fingerprint() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.key == nil {
		return ""
	}
	return ssh.FingerprintSHA256(p.key)
}

// algorithms restricts the host key algorithms to the pinned key's, so the server presents
// that key rather than another of its keys.
func (p *Pin) algorithms() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.key == nil {
		return []string{ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256}
	}
	if t := p.key.Type(); t == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256}
	}
	return []string{p.key.Type()}
}

// check is the host key callback: trust on first use, then only that key.
func (p *Pin) check(_ string, _ net.Addr, key ssh.PublicKey) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.key == nil {
		p.key = key
		return nil
	}
	if !bytes.Equal(p.key.Marshal(), key.Marshal()) {
		return ErrHostKeyChanged
	}
	return nil
}
