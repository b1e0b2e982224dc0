package fakepod

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
)

// MarkerEnv is set in every session of a pod; processes carrying it belong to the pod and end
// with it.
const MarkerEnv = "RUNPOD_FAKE_POD"

func marker(podID string) string { return MarkerEnv + "=" + podID }

type container struct {
	id, dir, log string
	api, podKey  string // the RunPod stand-in and the pod-scoped key RunPod gives the pod
}

func (c *container) path(name string) string { return filepath.Join(c.dir, name) }

// prepare lays out the container disk as RunPod's start script leaves it: a host key (made if
// missing) and PUBLIC_KEY appended to ~/.ssh/authorized_keys.
func (c *container) prepare(publicKey string, gpus int, bashrc string) error {
	home := c.path("home")
	if err := os.MkdirAll(c.path("bin"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(c.path("bin/nvidia-smi"), []byte(nvidiaSMI(c.id, gpus)), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(c.path("bin/runpodctl"), []byte(runpodctl(c.api)), 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		return err
	}
	if _, err := os.Stat(c.path("ssh_host_ed25519_key")); os.IsNotExist(err) {
		if err := writeHostKey(c.path("ssh_host_ed25519_key")); err != nil {
			return err
		}
	}
	if publicKey != "" {
		f, err := os.OpenFile(filepath.Join(home, ".ssh", "authorized_keys"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		_, werr := fmt.Fprintln(f, strings.TrimSpace(publicKey))
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return werr
		}
	}
	return os.WriteFile(filepath.Join(home, ".bashrc"), []byte(sessionScript(c.log)+bashrc), 0o644)
}

func writeHostKey(path string) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		return err
	}
	return os.WriteFile(path, pem.EncodeToMemory(block), 0o600)
}

// sessionScript is the pod's ~/.bashrc, which bash sources before the command of every session
// sshd starts (and for no shell those commands start): it records the command and environment,
// so sshd runs commands as on a real pod.
func sessionScript(log string) string {
	return `{ printf '=== command\n%s\n=== env\n' "$BASH_EXECUTION_STRING"; env; } >> ` + shellQuote(log) + "\n"
}

func (c *container) config(port int) string {
	lines := []string{
		fmt.Sprintf("Port %d", port),
		"ListenAddress 127.0.0.1",
		"HostKey " + c.path("ssh_host_ed25519_key"),
		"AuthorizedKeysFile " + filepath.Join(c.path("home"), ".ssh", "authorized_keys"),
		"StrictModes no",
		"UsePAM no",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"PermitRootLogin prohibit-password",
		"PidFile none",
		"MaxStartups 100",
		"MaxSessions 100",
		"LogLevel VERBOSE",
		fmt.Sprintf("SetEnv HOME=%s %s RUNPOD_POD_ID=%s RUNPOD_API_KEY=%s PATH=%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			c.path("home"), marker(c.id), c.id, c.podKey, c.path("bin")),
	}
	return strings.Join(lines, "\n") + "\n"
}

// startSSHD starts sshd on port (a free one when 0) and waits until it accepts connections.
func (c *container) startSSHD(sshd string, port int) (*exec.Cmd, int, error) {
	if port == 0 {
		var err error
		if port, err = freePort(); err != nil {
			return nil, 0, err
		}
	}
	if err := os.WriteFile(c.path("sshd_config"), []byte(c.config(port)), 0o600); err != nil {
		return nil, 0, err
	}
	logf, err := os.Create(c.path("sshd.log"))
	if err != nil {
		return nil, 0, err
	}
	defer logf.Close()
	cmd := exec.Command(sshd, "-D", "-e", "-f", c.path("sshd_config"))
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	if err := waitListening(port, 5*time.Second); err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		out, _ := os.ReadFile(c.path("sshd.log"))
		return nil, 0, fmt.Errorf("%w: %s", err, strings.TrimSpace(string(out)))
	}
	return cmd, port, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitListening(port int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sshd did not listen on port %d: %w", port, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// nvidiaSMI stands for nvidia-smi on a pod with gpus GPUs: -L lists them.
func nvidiaSMI(podID string, gpus int) string {
	var b strings.Builder
	b.WriteString("#!/bin/sh\nif [ \"$1\" = -L ]; then\n")
	for i := 0; i < gpus; i++ {
		fmt.Fprintf(&b, "  echo 'GPU %d: NVIDIA Stand-in GPU (UUID: GPU-%s-%d)'\n", i, podID, i)
	}
	b.WriteString("  exit 0\nfi\necho 'NVIDIA-SMI stand-in'\n")
	return b.String()
}

// runpodctl stands for the runpodctl RunPod installs in every pod: "remove pod ID" and
// "stop pod ID", with the pod-scoped key, against the stand-in's REST API.
func runpodctl(api string) string {
	return `#!/bin/sh
case "$1 $2" in
  "remove pod") action=terminate ;;
  "stop pod") action=stop ;;
  *) echo "runpodctl stand-in: unsupported: $*" >&2; exit 2 ;;
esac
curl -fsS -X POST -H "Authorization: Bearer $RUNPOD_API_KEY" -H 'Content-Type: application/json' \
  -d "{\"action\":\"$action\"}" ` + shellQuote(api) + `"/v2/pods/$3/action" >/dev/null
`
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
