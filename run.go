package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/action"
	"github.com/runpod-runner/runpod-runner/internal/apiclient"
	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/ops"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/retry"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
	"github.com/runpod-runner/runpod-runner/internal/workflow"
)

// version is stamped in at build time.
var version = "dev"

// cleanupBudget is what a cancelled step spends on cleanup: the runner sends SIGINT, SIGTERM
// 7.5 s later and SIGKILL 2.5 s after that, and a create in flight may take 3 s of that to
// answer (see action.finishPastCancel): 3 s + 5 s leaves 2 s before SIGKILL.
const cleanupBudget = 5 * time.Second

// run picks the front door from argv: none is the action (as the Actions runner starts a
// container action); a first argument names a command. Every error it returns has been reported.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return runAction(ctx, getenv, stdout, stderr)
	}
	switch args[0] {
	case "pods":
		return runOps(ctx, ops.RunPods, args[1:], getenv, stdin, stdout, stderr)
	case "sweep":
		return runOps(ctx, ops.RunSweep, args[1:], getenv, stdin, stdout, stderr)
	case "scale":
		return runScale(ctx, args[1:], getenv, stderr)
	default:
		fmt.Fprintf(stderr, "runpod-runner: unknown command %q\n", args[0])
		return exitError{code: 2, err: fmt.Errorf("unknown command %q", args[0])}
	}
}

// exitError carries the process's exit status for errors that are not plain failures (2: the
// command line or a config file is wrong, nothing was done).
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }

// exitCode is the process's exit status for err: the one an exitError carries, else 1.
func exitCode(err error) int {
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

// runAction is the whole action: it reads the inputs, wires the clients and runs the mode's
// flow. Every error it returns has been reported as an ::error:: annotation.
func runAction(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	wf := workflow.New(getenv, stdout)
	for _, secret := range config.SecretValues(getenv) {
		wf.AddMask(secret)
	}
	wf.Debugf("runpod-runner %s", version)
	d := action.Deps{WF: wf, Now: time.Now, Random: rand.Read, CleanupTimeout: cleanupBudget}
	isPost := action.IsPost(d)
	if isPost && !action.PostNeeded(d) {
		return action.Post(ctx, nil, d) // says why there is nothing to do; needs no inputs
	}
	if !isPost {
		if err := action.MarkPost(d); err != nil {
			fmt.Fprintf(stderr, "warning: %v\n", err)
		}
	}
	cfg, err := config.Load(getenv, isPost)
	if err != nil {
		return report(wf, err)
	}
	if err := wire(cfg, &d); err != nil {
		return report(wf, err)
	}
	d.Observe = observe(cfg, wf)
	switch cfg.Mode {
	case config.ModeStart:
		err = action.Start(ctx, cfg, d)
	case config.ModeStop:
		err = action.Teardown(ctx, cfg, d)
	case config.ModeSweep:
		err = action.Sweep(ctx, cfg, d)
	default:
		err = action.Post(ctx, cfg, d)
	}
	return report(wf, err)
}

// maxAttempts bounds how often one API call is tried: with backoff from 0.5 s doubling to
// 10 s (or the server's Retry-After), about a minute at most.
const maxAttempts = 8

// requestTimeout is how long one API request may take: an eighth of the startup deadline,
// between 2 and 30 seconds, so that a request that gets no answer leaves time to retry.
func requestTimeout(cfg *config.Config) time.Duration {
	return min(max(cfg.StartupTimeout/8, 2*time.Second), 30*time.Second)
}

// wire builds the real RunPod, GitHub and SSH clients.
func wire(cfg *config.Config, d *action.Deps) error {
	timeout := requestTimeout(cfg)
	hc := apiclient.New(timeout + 5*time.Second)
	notify := func(err error, wait time.Duration) {
		d.WF.Infof("Retrying in %s after: %v", wait.Round(100*time.Millisecond), err)
	}
	policy := retry.Policy{MaxAttempts: maxAttempts}
	rp := runpod.Options{URL: cfg.RunPodAPIURL, APIKey: cfg.RunPodAPIKey, HTTPClient: hc, Timeout: timeout, Retry: policy, Notify: notify}
	if cfg.RunPodAPI == config.APIGraphQL {
		d.Pods = runpod.NewGraphQL(rp)
	} else {
		d.Pods = runpod.NewREST(rp)
	}
	runners, err := registration.New(registration.Options{
		BaseURL: cfg.GitHubAPIURL, Token: cfg.GitHubToken, HTTPClient: hc, Timeout: timeout, Retry: policy, Notify: notify,
		Scope:    registration.Scope{Org: cfg.Organization, Owner: cfg.Owner, Repo: cfg.Repo},
		Workflow: cfg.Run.WorkflowRef, WorkflowSHA: cfg.Run.WorkflowSHA,
	})
	if err != nil {
		return err
	}
	d.Runners = runners
	d.SSH = sshDialer{user: cfg.SSHUser, wf: d.WF}
	return nil
}

// sshDialer opens SSH connections with x/crypto/ssh.
type sshDialer struct {
	user string
	wf   *workflow.Commands
}

func (s sshDialer) Dial(ctx context.Context, addr string, key *remote.Key, pin *remote.Pin) (action.Shell, error) {
	d := &remote.Dialer{User: s.user, Key: key, Pin: pin, Notify: func(err error, wait time.Duration) {
		s.wf.Debugf("SSH to %s not ready (%v); trying again in %s.", addr, err, wait.Round(10*time.Millisecond))
	}}
	return d.Dial(ctx, addr)
}

// report writes one ::error:: annotation per failure in err: one per bad input, naming it, and
// one for anything else, titled with its phase and followed by its own hint. It returns err.
func report(wf *workflow.Commands, err error) error {
	for _, p := range action.Problems(err) {
		var ie *config.InputError
		if errors.As(p.Err, &ie) {
			wf.Errorf("Invalid input "+ie.Input, "%s", ie.Error())
			continue
		}
		title := "runpod-runner failed"
		if p.Phase != "" {
			title += " in phase " + string(p.Phase)
		}
		msg := p.Err.Error()
		if p.Hint != "" {
			msg += " — " + p.Hint
		}
		wf.Errorf(title, "%s", msg)
	}
	return err
}
