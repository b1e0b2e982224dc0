package remote

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/runpod-runner/runpod-runner/internal/retry"
)

// Dialer opens SSH connections to pods.
type Dialer struct {
	User string
	Key  *Key
	Pin  *Pin
	// HandshakeTimeout bounds each attempt: TCP connect, SSH handshake and authentication.
	HandshakeTimeout time.Duration
	// Retry shapes the waits between attempts while the pod is not ready for SSH.
	Retry retry.Policy
	// Notify hears about each failed attempt that will be retried.
	Notify retry.Notify

	attempts, connections atomic.Int64
}

// Stats says how many connections were attempted and how many were established.
func (d *Dialer) Stats() (attempts, connections int64) {
	return d.attempts.Load(), d.connections.Load()
}

// Dial connects to addr, retrying until the pod accepts the key or ctx ends. A changed host key
// fails at once.
func (d *Dialer) Dial(ctx context.Context, addr string) (*Conn, error) {
	var conn *Conn
	var cause error // the last attempt that failed on its own, not because ctx ended
	err := retry.Do(ctx, d.policy(), func(ctx context.Context) error {
		c, err := d.dialOnce(ctx, addr)
		if err != nil && ctx.Err() == nil {
			cause = err
		}
		conn = c
		return err
	}, func(err error) (bool, time.Duration) {
		return !Refused(err), 0
	}, d.Notify)
	if err != nil {
		if Refused(err) {
			return nil, fmt.Errorf("ssh %s: %w", addr, err)
		}
		if ctx.Err() != nil {
			if cause == nil {
				cause = err
			}
			return nil, fmt.Errorf("ssh %s: pod did not accept the connection in time: %w (%w)", addr, cause, ctx.Err())
		}
		return nil, fmt.Errorf("ssh %s: %w", addr, err)
	}
	return conn, nil
}

func (d *Dialer) policy() retry.Policy {
	p := d.Retry
	if p.Initial == 0 {
		p.Initial = 200 * time.Millisecond
	}
	if p.Max == 0 {
		p.Max = 2 * time.Second
	}
	return p
}

// dialOnce makes one attempt whose every stage ends by the handshake deadline: ssh.ClientConfig's
// Timeout covers only the TCP connect, and a pod's public port accepts TCP before sshd is up.
func (d *Dialer) dialOnce(ctx context.Context, addr string) (*Conn, error) {
	d.attempts.Add(1)
	timeout := d.HandshakeTimeout
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	nc, err := (&net.Dialer{Deadline: deadline}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { _ = nc.Close() })
	defer stop()
	if err := nc.SetDeadline(deadline); err != nil {
		_ = nc.Close()
		if errors.Is(err, ErrHostKeyChanged) {
			return nil, ErrHostKeyChanged
		}
		return nil, err
	}
	cfg := &ssh.ClientConfig{
		User:              d.User,
		Auth:              []ssh.AuthMethod{ssh.PublicKeys(d.Key.Signer)},
		HostKeyCallback:   d.Pin.check,
		HostKeyAlgorithms: d.Pin.algorithms(),
		Timeout:           timeout,
	}
	sc, chans, reqs, err := ssh.NewClientConn(nc, addr, cfg)
	if err != nil {
		_ = nc.Close()
		return nil, err
	}
	if err := nc.SetDeadline(time.Time{}); err != nil {
		_ = sc.Close()
		return nil, err
	}
	d.connections.Add(1)
	return &Conn{client: ssh.NewClient(sc, chans, reqs)}, nil
}
