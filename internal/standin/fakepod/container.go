package fakepod

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
	api          string            // the RunPod stand-in, which the pod's runpodctl calls
	env          map[string]string // what RunPod gives the container: the pod's env and RUNPOD_*
	// volume, when set, is the pod's own volume directory on the host, mounted at mount in the
	// container's mount namespace (as root only: see command).
	volume, mount string
}

// ImageTool is a command the pod's image puts on its PATH through its ENV, as an image puts
// /opt/conda/bin or /usr/local/cuda/bin: only the container's own process has it.
const ImageTool = "runpod-image-tool"

// ImageEnv is a variable the pod's image sets through its ENV, as HF_HOME or LD_LIBRARY_PATH.
const ImageEnv = "RUNPOD_IMAGE_HOME"

// initEnv is the environment of the container's first process: the image's ENV, then what
// RunPod adds (the pod's env, RUNPOD_POD_ID, RUNPOD_API_KEY, PUBLIC_KEY). On RunPod it belongs
// to PID 1 alone: sshd starts each session with a clean environment, and RunPod's start.sh
// writes it to /etc/rp_environment, sourced from ~/.bashrc only below Ubuntu's early return for
// non-interactive shells (https://github.com/runpod/containers/blob/main/container-template/start.sh,
// "Exporting environment variables"). runpodctl reads /proc/1/environ for the same reason
// (https://github.com/runpod/runpodctl/blob/main/cmd/project/ssh.go).
func (c *container) initEnv() []string {
	env := []string{
		"PATH=" + c.path("image/bin") + ":" + c.path("bin") + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		ImageEnv + "=" + c.path("image"),
		marker(c.id),
	}
	for k, v := range c.env {
		env = append(env, k+"="+v)
	}
	return env
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
	if err := os.MkdirAll(c.path("image/bin"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(c.path("image/bin/"+ImageTool), []byte("#!/bin/sh\necho image tool ok\n"), 0o755); err != nil {
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
		// A session has none of the container's environment (see initEnv).
		fmt.Sprintf("SetEnv HOME=%s %s PATH=%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin%s",
			c.path("home"), marker(c.id), c.path("bin"), c.rootlessEnv()),
	}
	return strings.Join(lines, "\n") + "\n"
}

// rootlessEnv is what a session gets of RunPod's variables when the stand-in runs without root:
// then there is no PID namespace (see command), /proc/1/environ is the machine's first process
// and not readable, and the session is the only place left for them. As root it is empty: the
// session has none, as on RunPod.
func (c *container) rootlessEnv() string {
	if os.Geteuid() == 0 {
		return ""
	}
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(c.env)) {
		if strings.HasPrefix(k, "RUNPOD_") && !strings.ContainsAny(c.env[k], " \t\n\"'\\") {
			fmt.Fprintf(&b, " %s=%s", k, c.env[k])
		}
	}
	return b.String()
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
	cmd := c.command(sshd)
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

// command starts sshd as a container does: in its own PID namespace, under a first process
// (PID 1 there) that has the container's environment, so that /proc/1/environ on the pod is
// the container's and not the session's. Without root there is no namespace: sshd runs with
// the container's environment, and /proc/1/environ is the machine's.
func (c *container) command(sshd string) *exec.Cmd {
	args := []string{sshd, "-D", "-e", "-f", c.path("sshd_config")}
	if os.Geteuid() == 0 {
		if unshare, err := exec.LookPath("unshare"); err == nil {
			args = append([]string{unshare, "--pid", "--fork", "--mount-proc", "--kill-child", "/bin/sh", "-c", c.initScript(), "init"}, args...)
		}
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = c.initEnv()
	return cmd
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

// runpodctl stands for the runpodctl RunPod installs in every pod: the current verbs "pod
// delete ID" and "pod stop ID" (https://github.com/runpod/runpodctl/blob/main/cmd/pod/delete.go,
// cmd/pod/stop.go), and the deprecated "remove pod ID" and "stop pod ID" they replace
// (https://github.com/runpod/runpodctl/blob/main/cmd/legacy/legacy.go), with the pod-scoped
// key, against the stand-in's REST API.
func runpodctl(api string) string {
	return `#!/bin/sh
case "$1 $2" in
  "pod delete" | "remove pod") action=terminate ;;
  "pod stop" | "stop pod") action=stop ;;
  *) echo "runpodctl stand-in: unsupported: $*" >&2; exit 2 ;;
esac
curl -fsS -X POST -H "Authorization: Bearer $RUNPOD_API_KEY" -H 'Content-Type: application/json' \
  -d "{\"action\":\"$action\"}" ` + shellQuote(api) + `"/v2/pods/$3/action" >/dev/null
`
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
