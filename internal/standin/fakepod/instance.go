package fakepod

import (
	"fmt"
	"net"
	"os/exec"
	"sync"
	"time"
)

// instance is a running pod: its sshd, or the port that stands in for it until sshd is up.
type instance struct {
	port int

	mu     sync.Mutex
	cmd    *exec.Cmd
	halted bool
}

// boot starts sshd for the container, at once or after delay. During the delay the port
// accepts connections and drops them.
func boot(c *container, sshd string, delay time.Duration) (*instance, error) {
	if delay <= 0 {
		cmd, port, err := c.startSSHD(sshd, 0)
		if err != nil {
			return nil, err
		}
		return &instance{port: port, cmd: cmd}, nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	in := &instance{port: l.Addr().(*net.TCPAddr).Port}
	go dropConnections(l)
	go func() {
		time.Sleep(delay)
		_ = l.Close()
		in.mu.Lock()
		defer in.mu.Unlock()
		if in.halted {
			return
		}
		if cmd, _, err := c.startSSHD(sshd, in.port); err == nil {
			in.cmd = cmd
		}
	}()
	return in, nil
}

func dropConnections(l net.Listener) {
	for {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		_ = conn.Close()
	}
}

// stop ends the pod's sshd (or stops a delayed one from starting).
func (in *instance) stop() {
	in.mu.Lock()
	in.halted = true
	cmd := in.cmd
	in.mu.Unlock()
	if cmd != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
}

// initScript is the first process: it mounts the pod's volume (in its own mount namespace, so
// that each pod sees its own directory at the same path), then runs sshd and waits.
func (c *container) initScript() string {
	if c.volume == "" {
		return `"$@" & wait`
	}
	return fmt.Sprintf(`mount --bind %s %s && { "$@" & wait; }`, shellQuote(c.volume), shellQuote(c.mount))
}
