package ops

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/runpod-runner/runpod-runner/internal/runner"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

func runLogs(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("logs")
	follow := fs.Bool("follow", false, "keep printing new lines until interrupted")
	ofRunner := fs.Bool("runner", false, "the runner's log on the pod, over SSH (needs --identity)")
	lines := fs.Int("lines", 100, "how many of the last lines to print first")
	dir := fs.String("runner-dir", "", "where the runner is installed on the pod (default: the action's choice)")
	o := addSSHFlags(fs)
	if help, err := c.parse(fs, args); help || err != nil {
		return err
	}
	id, err := podArg(fs)
	if err != nil {
		return err
	}
	if *lines < 1 || *lines > 10000 {
		return usageError("logs: --lines must be from 1 to 10000, got %d", *lines)
	}
	if *ofRunner {
		if err := o.check("logs"); err != nil {
			return err
		}
		return c.runnerLogs(ctx, id, *dir, *lines, *follow, o)
	}
	api, err := c.api()
	if err != nil {
		return err
	}
	lf, ok := api.(LogFollower)
	if !ok {
		return usageError("logs: RunPod's GraphQL API has no pod logs; use RUNPOD_API=rest, or --runner")
	}
	print := func(l string) { fmt.Fprintln(c.env.Stdout, cleanLine(l)) }
	if *follow {
		return errorf(lf.FollowLogs(ctx, id, *lines, print), "reading the logs of pod %s", id)
	}
	got, err := api.(interface {
		Logs(ctx context.Context, id string, lines int) ([]string, error)
	}).Logs(ctx, id, *lines)
	if err != nil {
		return errorf(err, "reading the logs of pod %s", id)
	}
	for _, l := range got {
		print(l)
	}
	return nil
}

// runnerLogs prints the runner's logs on the pod: its own log and the newest _diag log.
func (c *cli) runnerLogs(ctx context.Context, id, dir string, lines int, follow bool, o *sshOpts) error {
	conn, pod, err := c.connect(ctx, id, o)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dir == "" {
		dir = runnerDir(pod)
	}
	cmd := runner.LogTailCommand(dir, lines)
	if follow {
		cmd = "bash -c " + runner.Quote(followScript) + " runpod-runner " + runner.Quote(dir) + " " + strconv.Itoa(lines)
	}
	err = conn.Run(ctx, cmd, nil, &cleanWriter{w: c.env.Stdout}, &cleanWriter{w: c.env.Stderr})
	if follow && errors.Is(err, context.Canceled) {
		return nil
	}
	return exitStatus(err)
}

// runnerDir is where the action installs the runner: on the pod's volume when it has one, else
// in the home directory.
func runnerDir(p *runpod.Pod) string {
	if p.VolumePath != "" {
		return strings.TrimSuffix(p.VolumePath, "/") + "/actions-runner"
	}
	return "~/actions-runner"
}

// followScript follows the runner's own log and its newest _diag log. Arguments: dir lines.
const followScript = `dir=${1/#\~/$HOME}; tail -n "$2" -F "$dir/runpod-runner.log" $(ls "$dir"/_diag/Runner_*.log 2>/dev/null | tail -n 1)`

// cleanWriter drops control bytes (terminal escapes) but tab and newline from what a pod sends.
type cleanWriter struct{ w io.Writer }

func (c *cleanWriter) Write(p []byte) (int, error) {
	out := make([]byte, 0, len(p))
	for _, b := range p {
		if b == '\t' || b == '\n' || (b >= 0x20 && b != 0x7f) {
			out = append(out, b)
		}
	}
	if _, err := c.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
