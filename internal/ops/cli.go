package ops

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/apiclient"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/retry"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// Pods is RunPod as the operator's commands use it.
type Pods interface {
	Get(ctx context.Context, id string) (*runpod.Pod, error)
	List(ctx context.Context) ([]runpod.Pod, error)
	Stop(ctx context.Context, id string) error
	Terminate(ctx context.Context, id string) error
}

// LogFollower is a RunPod API that streams a pod's logs: REST v2 can, GraphQL cannot.
type LogFollower interface {
	FollowLogs(ctx context.Context, id string, lines int, emit func(line string)) error
}

// Runners is GitHub's runner registration in one repository or organization.
type Runners interface {
	List(ctx context.Context, name string) ([]registration.Runner, error)
	Delete(ctx context.Context, id int64) error
}

// requestTimeout bounds one API request; a command retries a few times within a minute.
const requestTimeout = 20 * time.Second

// cli is one invocation: the environment and the clients it builds on first use.
type cli struct {
	env  Env
	hc   *http.Client
	pods Pods
}

func newCLI(env Env) *cli {
	if env.Now == nil {
		env.Now = time.Now
	}
	return &cli{env: env, hc: apiclient.New(requestTimeout + 5*time.Second)}
}

func (c *cli) policy() retry.Policy { return retry.Policy{MaxAttempts: 5} }

func (c *cli) notify(err error, wait time.Duration) {
	fmt.Fprintf(c.env.Stderr, "retrying in %s after: %v\n", wait.Round(100*time.Millisecond), err)
}

// api returns RunPod's client for RUNPOD_API (rest by default) at RUNPOD_API_URL.
func (c *cli) api() (Pods, error) {
	if c.pods != nil {
		return c.pods, nil
	}
	key := c.env.Getenv("RUNPOD_API_KEY")
	if key == "" {
		return nil, usageError("RUNPOD_API_KEY is not set: a RunPod API key is needed")
	}
	o := runpod.Options{URL: c.env.Getenv("RUNPOD_API_URL"), APIKey: key, HTTPClient: c.hc, Timeout: requestTimeout,
		Retry: c.policy(), Notify: c.notify}
	if err := apiclient.CheckURL(o.URL); err != nil {
		return nil, usageError("RUNPOD_API_URL %v", err)
	}
	switch api := strings.ToLower(c.env.Getenv("RUNPOD_API")); api {
	case "", "rest":
		if o.URL == "" {
			o.URL = "https://api.runpod.io"
		}
		c.pods = runpod.NewREST(o)
	case "graphql":
		if o.URL == "" {
			o.URL = "https://api.runpod.io/graphql"
		}
		c.pods = runpod.NewGraphQL(o)
	default:
		return nil, usageError("RUNPOD_API must be rest or graphql, got %q", api)
	}
	return c.pods, nil
}

// hasGitHub reports whether GITHUB_TOKEN is set.
func (c *cli) hasGitHub() bool { return c.env.Getenv("GITHUB_TOKEN") != "" }

// runners returns GitHub's runner registration for scope, from GITHUB_TOKEN.
func (c *cli) runners(scope registration.Scope) (Runners, error) {
	token := c.env.Getenv("GITHUB_TOKEN")
	if token == "" {
		return nil, usageError("GITHUB_TOKEN is not set: a token that may manage self-hosted runners is needed")
	}
	base := c.env.Getenv("GITHUB_API_URL")
	if base == "" {
		base = "https://api.github.com"
	}
	if err := apiclient.CheckURL(base); err != nil {
		return nil, usageError("GITHUB_API_URL %v", err)
	}
	return registration.New(registration.Options{BaseURL: base, Token: token, HTTPClient: c.hc, Scope: scope,
		Timeout: requestTimeout, Retry: c.policy(), Notify: c.notify})
}

// flags returns a flag set for a subcommand whose --help prints usage and its flags.
func (c *cli) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses args; --help prints the usage (from podHelp, or h when given) to stdout and ends
// the command with success.
func (c *cli) parse(fs *flag.FlagSet, args []string, h ...help) (helped bool, err error) {
	u := podHelp[fs.Name()]
	if len(h) > 0 {
		u = h[0]
	}
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		c.printUsage(c.env.Stdout, fs, u.usage, u.summary)
		return true, nil
	}
	if err != nil {
		c.printUsage(c.env.Stderr, fs, u.usage, u.summary)
		return false, usageError("%s: %v", fs.Name(), err)
	}
	return false, nil
}

func (c *cli) printUsage(w io.Writer, fs *flag.FlagSet, usage, summary string) {
	fmt.Fprintf(w, "Usage: runpod-runner %s\n\n%s.\n", usage, summary)
	if hasFlags(fs) {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	fmt.Fprintln(w, "\n"+envHelp)
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// podArg returns the single POD argument.
func podArg(fs *flag.FlagSet) (string, error) {
	if fs.NArg() != 1 {
		return "", usageError("%s: one POD id is needed, got %d arguments", fs.Name(), fs.NArg())
	}
	return fs.Arg(0), nil
}
