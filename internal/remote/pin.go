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

// ErrHostKeyMismatch means the pod presented a host key other than the one it was expected to
// (the fingerprint the start step printed). It is never retried.
var ErrHostKeyMismatch = errors.New("the pod's SSH host key is not the expected one (possible interception); refusing to connect")

// UnknownHostKeyError is a host key nobody vouched for, refused: it carries the key's
// fingerprint so that a person can check it and try again with it.
type UnknownHostKeyError struct{ Fingerprint string }

func (e *UnknownHostKeyError) Error() string {
	return "the pod's SSH host key " + e.Fingerprint + " is not known; check it against the start step's ssh-host-key output " +
		"and pass it with --host-key, or pass --accept-new"
}

// Pin remembers the host key a pod presented first and refuses any other afterwards. A Pin
// from Expect accepts only a key with a given fingerprint; one from RefuseNew accepts none.
type Pin struct {
	mu     sync.Mutex
	key    ssh.PublicKey
	want   string // the SHA256 fingerprint the first key must have, "" for any
	refuse bool   // refuse any first key
}

// Expect returns a Pin that accepts only a host key whose SHA256 fingerprint is fingerprint
// ("SHA256:…", as ssh-keygen -l and the start step print it).
func Expect(fingerprint string) *Pin { return &Pin{want: fingerprint} }

// RefuseNew returns a Pin that refuses every host key with an *UnknownHostKeyError.
func RefuseNew() *Pin { return &Pin{refuse: true} }

// Refused reports whether err is a host key refusal of any kind; such errors are never retried.
func Refused(err error) bool {
	var unknown *UnknownHostKeyError
	return errors.Is(err, ErrHostKeyChanged) || errors.Is(err, ErrHostKeyMismatch) || errors.As(err, &unknown)
}

// HostKeyCallback is the Pin as x/crypto/ssh's host key check.
func (p *Pin) HostKeyCallback() ssh.HostKeyCallback { return p.check }

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
		switch fp := ssh.FingerprintSHA256(key); {
		case p.refuse:
			return &UnknownHostKeyError{Fingerprint: fp}
		case p.want != "" && fp != p.want:
			return fmt.Errorf("%w: it is %s, expected %s", ErrHostKeyMismatch, fp, p.want)
		}
		p.key = key
		return nil
	}
	if !bytes.Equal(p.key.Marshal(), key.Marshal()) {
		return ErrHostKeyChanged
	}
	return nil
}
