package remote

import (
	"context"
	"errors"
	"io"
	"time"

	"golang.org/x/crypto/ssh"
)

// Conn is one SSH connection to a pod, shared by every command the action runs there.
type Conn struct {
	client *ssh.Client
}

// Run runs cmd in a new session on the connection. stdin (which may carry secrets) is fed to
// the command and closed; stdout and stderr receive its output. When ctx ends the session is
// closed and Run returns.
func (c *Conn) Run(ctx context.Context, cmd string, stdin io.Reader, stdout, stderr io.Writer) error {
	s, err := c.client.NewSession()
	if err != nil {
		return err
	}
	defer s.Close()
	s.Stdin, s.Stdout, s.Stderr = stdin, stdout, stderr
	if err := s.Start(cmd); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- s.Wait() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		// sshd ends the session only when its command does: ask it to kill the command, close
		// our side, and give up waiting soon after.
		_ = s.Signal(ssh.SIGKILL)
		_ = s.Close()
		select {
		case err := <-done:
			return errors.Join(ctx.Err(), err)
		case <-time.After(abandonAfter):
			return ctx.Err()
		}
	}
}

// abandonAfter is how long Run waits for a cancelled command's session to end.
const abandonAfter = 2 * time.Second

// Close closes the connection.
func (c *Conn) Close() error { return c.client.Close() }

// ExitStatus returns the remote command's exit status from Run's error, or -1.
func ExitStatus(err error) int {
	var exit *ssh.ExitError
	if errors.As(err, &exit) {
		return exit.ExitStatus()
	}
	if err == nil {
		return 0
	}
	return -1
}
