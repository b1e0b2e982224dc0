package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// Scaler is a running `runpod-runner scale` process.
type Scaler struct {
	Cmd  *exec.Cmd
	Base string // http://listen, for /metrics, /healthz and /readyz
	done chan struct{}
	err  error
}

// FreeAddr is a free 127.0.0.1 port to listen on.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// StartScaler writes config into the sandbox's directory and runs binary as `runpod-runner
// scale --config FILE` with the sandbox's secrets, its output to out.
func (s *Sandbox) StartScaler(binary, config, listen string, out io.Writer) (*Scaler, error) {
	path := filepath.Join(s.Dir, fmt.Sprintf("scale-%d.yaml", time.Now().UnixNano()))
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		return nil, err
	}
	sc := &Scaler{Cmd: exec.Command(binary, "scale", "--config", path), Base: "http://" + listen, done: make(chan struct{})}
	sc.Cmd.Env = append(os.Environ(), ScaleEnv()...)
	sc.Cmd.Stdout, sc.Cmd.Stderr = out, out
	if err := sc.Cmd.Start(); err != nil {
		return nil, err
	}
	go func() { sc.err = sc.Cmd.Wait(); close(sc.done) }()
	return sc, nil
}

// WaitReady waits until /readyz answers 200.
func (sc *Scaler) WaitReady(ctx context.Context) error {
	for {
		if resp, err := http.Get(sc.Base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-sc.done:
			return fmt.Errorf("runpod-runner scale exited: %v", sc.err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Terminate sends SIGTERM and waits for the exit status.
func (sc *Scaler) Terminate(ctx context.Context) (int, error) {
	if err := sc.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return -1, err
	}
	select {
	case <-sc.done:
	case <-ctx.Done():
		_ = sc.Cmd.Process.Kill()
		return -1, ctx.Err()
	}
	var ee *exec.ExitError
	if errors.As(sc.err, &ee) {
		return ee.ExitCode(), nil
	}
	return 0, sc.err
}

// Kill stops the process at once (kill -9) and waits for it.
func (sc *Scaler) Kill() {
	_ = sc.Cmd.Process.Kill()
	<-sc.done
}

// Metrics reads /metrics as text.
func (sc *Scaler) Metrics() (string, error) {
	resp, err := http.Get(sc.Base + "/metrics")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}
