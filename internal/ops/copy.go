package ops

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/runpod-runner/runpod-runner/internal/runner"
)

// rePodPath is POD:PATH; a pod id holds letters and digits only.
var rePodPath = regexp.MustCompile(`^([A-Za-z0-9]{1,64}):(.+)$`)

func runCopy(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("cp")
	o := addSSHFlags(fs)
	if help, err := c.parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageError("cp: want POD:PATH LOCAL or LOCAL POD:PATH")
	}
	src, dst := rePodPath.FindStringSubmatch(fs.Arg(0)), rePodPath.FindStringSubmatch(fs.Arg(1))
	if (src == nil) == (dst == nil) {
		return usageError("cp: exactly one of the two paths must be POD:PATH")
	}
	if err := o.check("cp"); err != nil {
		return err
	}
	if src != nil {
		return c.download(ctx, src[1], src[2], fs.Arg(1), o)
	}
	return c.upload(ctx, fs.Arg(0), dst[1], dst[2], o)
}

// download copies the pod's file to local through a temporary file beside it, so that a failed
// copy leaves nothing half written.
func (c *cli) download(ctx context.Context, id, remotePath, local string, o *sshOpts) error {
	if fi, err := os.Stat(local); err == nil && fi.IsDir() {
		local = filepath.Join(local, filepath.Base(remotePath))
	}
	tmp, err := os.CreateTemp(filepath.Dir(local), "."+filepath.Base(local)+".*")
	if err != nil {
		return fmt.Errorf("cp: %w", err)
	}
	defer os.Remove(tmp.Name())
	conn, _, err := c.connect(ctx, id, o)
	if err != nil {
		tmp.Close()
		return err
	}
	defer conn.Close()
	var stderr strings.Builder
	err = conn.Run(ctx, "cat -- "+runner.Quote(remotePath), nil, tmp, &stderr)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cp: reading %s on pod %s: %w %s", remotePath, id, exitStatus(err), cleanLine(stderr.String()))
	}
	return os.Rename(tmp.Name(), local)
}

// upload copies local to the pod, written to a temporary file beside the target and renamed.
func (c *cli) upload(ctx context.Context, local, id, remotePath string, o *sshOpts) error {
	f, err := os.Open(local)
	if err != nil {
		return fmt.Errorf("cp: %w", err)
	}
	defer f.Close()
	conn, _, err := c.connect(ctx, id, o)
	if err != nil {
		return err
	}
	defer conn.Close()
	dst := runner.Quote(remotePath)
	cmd := `t=` + dst + `; if [ -d "$t" ]; then t="$t/"` + runner.Quote(filepath.Base(local)) + `; fi; ` +
		`cat > "$t.runpod-runner-part" && mv -f -- "$t.runpod-runner-part" "$t"`
	var stderr strings.Builder
	if err := conn.Run(ctx, cmd, f, nil, &stderr); err != nil {
		return fmt.Errorf("cp: writing %s on pod %s: %w %s", remotePath, id, exitStatus(err), cleanLine(stderr.String()))
	}
	return nil
}
