package ops

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/term"

	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/runner"
)

func runExec(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("exec")
	o := addSSHFlags(fs)
	if help, err := c.parse(fs, args); help || err != nil {
		return err
	}
	// flag stops at the first non-flag: POD, then "--" and the command.
	rest := fs.Args()
	if len(rest) < 3 || rest[1] != "--" {
		return usageError("exec: want POD -- CMD [ARG...]")
	}
	if err := o.check("exec"); err != nil {
		return err
	}
	conn, _, err := c.connect(ctx, rest[0], o)
	if err != nil {
		return err
	}
	defer conn.Close()
	return exitStatus(conn.Run(ctx, shellJoin(rest[2:]), c.env.Stdin, c.env.Stdout, c.env.Stderr))
}

// shellJoin quotes each argument for the pod's shell, so the command runs with exactly these
// arguments.
func shellJoin(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = runner.Quote(a)
	}
	return strings.Join(quoted, " ")
}

// exitStatus turns a remote command's error into the process's exit status: its own, or 255
// when it ended without one (as ssh does).
func exitStatus(err error) error {
	if err == nil {
		return nil
	}
	var exit *ssh.ExitError
	if errors.As(err, &exit) {
		return &ExitError{Code: exit.ExitStatus(), Err: fmt.Errorf("the command exited with status %d", exit.ExitStatus()), Quiet: true}
	}
	var missing *ssh.ExitMissingError
	if errors.As(err, &missing) {
		return &ExitError{Code: 255, Err: errors.New("the command ended without an exit status")}
	}
	return err
}

func runSSH(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("ssh")
	o := addSSHFlags(fs)
	if help, err := c.parse(fs, args); help || err != nil {
		return err
	}
	id, err := podArg(fs)
	if err != nil {
		return err
	}
	if err := o.check("ssh"); err != nil {
		return err
	}
	conn, _, err := c.connect(ctx, id, o)
	if err != nil {
		return err
	}
	defer conn.Close()
	t := remote.Terminal{Term: c.env.Getenv("TERM")}
	if f, ok := c.env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, h, err := term.GetSize(int(f.Fd())); err == nil {
			t.Cols, t.Rows = w, h
		}
		old, err := term.MakeRaw(int(f.Fd()))
		if err != nil {
			return fmt.Errorf("ssh: putting the terminal in raw mode: %w", err)
		}
		defer func() { _ = term.Restore(int(f.Fd()), old) }()
	}
	return exitStatus(conn.Shell(ctx, t, c.env.Stdin, c.env.Stdout, c.env.Stderr))
}
