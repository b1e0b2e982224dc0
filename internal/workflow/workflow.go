// Package workflow speaks to the Actions runner: masks, outputs, state, the job summary,
// groups and annotations. It wraps go-githubactions so that file commands return errors
// instead of panicking and use a random heredoc delimiter, and it refuses to write an output
// that holds a masked value (the runner would silently drop such a job output).
package workflow

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/sethvargo/go-githubactions"
)

// Commands issues workflow commands for one step.
type Commands struct {
	a      *githubactions.Action
	getenv func(string) string
	out    *stdout

	mu    sync.Mutex
	masks []string
}

// New returns Commands that write to w, the step's stdout, and find file commands through
// getenv. They are safe for concurrent use: the runners of a fan-out log at once. Everything
// the process writes to stdout must go through them (see stdout).
func New(getenv func(string) string, w io.Writer) *Commands {
	out := &stdout{w: w}
	return &Commands{
		a:      githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(out)),
		getenv: getenv,
		out:    out,
	}
}

// AddMask tells the runner to hide secret, as a whole and line by line, in every later log
// line of the job. Call it before the value can reach any output.
func (c *Commands) AddMask(secret string) {
	if strings.TrimSpace(secret) == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range append([]string{secret}, strings.Split(secret, "\n")...) {
		v = strings.TrimSpace(v)
		if v == "" || c.masked(v) {
			continue
		}
		c.masks = append(c.masks, v)
		c.a.AddMask(v)
	}
}

func (c *Commands) masked(v string) bool {
	for _, m := range c.masks {
		if m == v {
			return true
		}
	}
	return false
}

// Leaks reports whether s holds any masked value.
func (c *Commands) Leaks(s string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.masks {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// SetOutput writes a step output. A value holding a masked secret is refused.
func (c *Commands) SetOutput(name, value string) error {
	if c.Leaks(value) {
		return fmt.Errorf("output %s would hold a masked value; refusing to write it", name)
	}
	return c.fileCommand("output", name, value)
}

// SaveState writes a value for the post step, which reads it as STATE_<name>. A value holding
// a masked secret is refused: the runner logs state at debug level.
func (c *Commands) SaveState(name, value string) error {
	if c.Leaks(value) {
		return fmt.Errorf("state %s would hold a masked value; refusing to write it", name)
	}
	return c.fileCommand("state", name, value)
}

// State reads a value the main step saved.
func (c *Commands) State(name string) string { return c.getenv("STATE_" + name) }

// AddSummary appends markdown to the job summary.
func (c *Commands) AddSummary(markdown string) error {
	return c.issue("step-summary", markdown)
}

func (c *Commands) fileCommand(kind, name, value string) error {
	delim, err := delimiter()
	if err != nil {
		return err
	}
	if strings.Contains(value, delim) || strings.ContainsAny(name, "\n=<") {
		return fmt.Errorf("%s %s cannot be written as a file command", kind, name)
	}
	return c.issue(kind, fmt.Sprintf("%s<<%s\n%s\n%s", name, delim, value, delim))
}

// issue appends msg to the file named by GITHUB_<KIND>. go-githubactions panics when the file
// cannot be written; that becomes an error here.
func (c *Commands) issue(kind, msg string) (err error) {
	env := "GITHUB_" + strings.ToUpper(strings.ReplaceAll(kind, "-", "_"))
	if c.getenv(env) == "" {
		return fmt.Errorf("%s is not set: not running as a GitHub Actions step", env)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("writing %s: %v", env, r)
		}
	}()
	c.a.IssueFileCommand(&githubactions.Command{Name: kind, Message: msg})
	return nil
}

func delimiter() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", errors.Join(errors.New("making a heredoc delimiter"), err)
	}
	return "ghadelimiter_" + hex.EncodeToString(b), nil
}
