package remote

import (
	"context"
	"io"

	"golang.org/x/crypto/ssh"
)

// Terminal is the local terminal an interactive shell runs in.
type Terminal struct {
	Term       string // TERM, e.g. xterm-256color
	Cols, Rows int
}

// Shell starts a login shell with a PTY on the connection, wired to stdin, stdout and stderr,
// and returns when it ends (its exit status as an *ssh.ExitError, see ExitStatus) or ctx does.
func (c *Conn) Shell(ctx context.Context, t Terminal, stdin io.Reader, stdout, stderr io.Writer) error {
	s, err := c.client.NewSession()
	if err != nil {
		return err
	}
	defer s.Close()
	if t.Term == "" {
		t.Term = "xterm-256color"
	}
	if t.Cols == 0 || t.Rows == 0 {
		t.Cols, t.Rows = 80, 24
	}
	modes := ssh.TerminalModes{ssh.ECHO: 1, ssh.TTY_OP_ISPEED: 14400, ssh.TTY_OP_OSPEED: 14400}
	if err := s.RequestPty(t.Term, t.Rows, t.Cols, modes); err != nil {
		return err
	}
	s.Stdin, s.Stdout, s.Stderr = stdin, stdout, stderr
	if err := s.Shell(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- s.Wait() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		_ = s.Close()
		return ctx.Err()
	}
}
