package ops

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/retry"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// sshOpts are the flags of every command that reaches a pod over SSH.
type sshOpts struct {
	identity, hostKey, user string
	acceptNew               bool
	timeout                 time.Duration
}

func addSSHFlags(fs *flag.FlagSet) *sshOpts {
	o := &sshOpts{}
	fs.StringVar(&o.identity, "identity", "", "private key FILE the pod accepts (its public half in the start step's authorized-keys input) (required)")
	fs.StringVar(&o.hostKey, "host-key", "", "the pod's host key fingerprint, SHA256:… (the start step's ssh-host-key output); any other key is refused")
	fs.BoolVar(&o.acceptNew, "accept-new", false, "accept the host key the pod presents, unchecked, when --host-key is not given")
	fs.StringVar(&o.user, "user", "root", "user to log in as")
	fs.DurationVar(&o.timeout, "connect-timeout", 30*time.Second, "how long to try to connect")
	return o
}

// check validates the flags before anything is asked of RunPod.
func (o *sshOpts) check(cmd string) error {
	switch {
	case o.identity == "":
		return usageError("%s: --identity FILE is needed: a private key the pod accepts", cmd)
	case o.hostKey != "" && !strings.HasPrefix(o.hostKey, "SHA256:"):
		return usageError("%s: --host-key must be a SHA256:… fingerprint, got %q", cmd, o.hostKey)
	}
	return nil
}

// connect opens one SSH connection to the pod, checking its host key as the flags say.
func (c *cli) connect(ctx context.Context, id string, o *sshOpts) (*remote.Conn, *runpod.Pod, error) {
	pem, err := os.ReadFile(o.identity)
	if err != nil {
		return nil, nil, usageError("reading --identity: %v", err)
	}
	key, err := remote.ParseKey(string(pem))
	if err != nil {
		return nil, nil, usageError("--identity %s: %v", o.identity, err)
	}
	api, err := c.api()
	if err != nil {
		return nil, nil, err
	}
	pod, err := api.Get(ctx, id)
	if err != nil {
		return nil, nil, errorf(err, "getting pod %s", id)
	}
	if pod.SSH == nil {
		return nil, nil, fmt.Errorf("pod %s has no public SSH port (status %s): it is not running, or still starting", id, pod.Status)
	}
	pin := remote.RefuseNew()
	switch {
	case o.hostKey != "":
		pin = remote.Expect(o.hostKey)
	case o.acceptNew:
		pin = &remote.Pin{}
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	d := &remote.Dialer{User: o.user, Key: key, Pin: pin, Retry: retry.Policy{MaxAttempts: 3}}
	addr := net.JoinHostPort(pod.SSH.Host, strconv.Itoa(pod.SSH.Port))
	conn, err := d.Dial(ctx, addr)
	if err != nil {
		return nil, nil, fmt.Errorf("pod %s: %w", id, err)
	}
	if o.hostKey == "" {
		fmt.Fprintf(c.env.Stderr, "Accepted the pod's host key %s unchecked (--accept-new).\n", pin.Fingerprint())
	}
	return conn, pod, nil
}
