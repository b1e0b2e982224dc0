package registration

import (
	"context"
	"errors"
	"strconv"

	"github.com/google/go-github/v62/github"

	"github.com/runpod-runner/runpod-runner/internal/retry"
)

// Runner is a registered self-hosted runner.
type Runner struct {
	ID     int64
	Name   string
	Status string // online or offline
	Busy   bool
	Labels []string
}

// JITConfig is a just-in-time runner registration: the runner, and the encoded config that
// run.sh takes. The config is a secret.
type JITConfig struct {
	Runner  Runner
	Encoded string
}

// GenerateJIT registers a runner and returns its just-in-time config. The call is not
// idempotent: a request whose answer was lost (or that failed after GitHub committed it) may
// have registered the runner, and asking again would get 409. So each request is sent once,
// and before another, a runner of that name left by the lost one is removed. A 409 to the
// first request means the name is another start's: in one workflow run that is a start with
// the same label.
func (c *Client) GenerateJIT(ctx context.Context, name string, groupID int64, labels []string) (*JITConfig, error) {
	var jit *JITConfig
	attempt := 0
	err := retry.Do(ctx, c.policy, func(ctx context.Context) error {
		attempt++
		if attempt > 1 {
			if err := c.removeByName(ctx, name); err != nil {
				return err
			}
		}
		var err error
		jit, err = c.generateJIT(ctx, name, groupID, labels)
		return err
	}, retry.Retryable, c.notify)
	var e *Error
	if ClassOf(err) == Conflict && attempt == 1 && errors.As(err, &e) {
		e.Hint = "another start in this workflow run uses the same label; give each start (each matrix leg) its own label"
	}
	return jit, err
}

// removeByName removes the runners registered under exactly name.
func (c *Client) removeByName(ctx context.Context, name string) error {
	runners, err := c.List(ctx, name)
	if err != nil {
		return err
	}
	for _, r := range runners {
		if r.Name != name {
			continue
		}
		if err := c.Delete(ctx, r.ID); err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) generateJIT(ctx context.Context, name string, groupID int64, labels []string) (*JITConfig, error) {
	req := &github.GenerateJITConfigRequest{Name: name, RunnerGroupID: groupID, Labels: labels}
	var jit *github.JITRunnerConfig
	err := c.once(ctx, "register runner "+name+" in "+c.scope.String(), func(ctx context.Context) (resp *github.Response, err error) {
		if c.scope.Org != "" {
			jit, resp, err = c.gh.Actions.GenerateOrgJITConfig(ctx, c.scope.Org, req)
		} else {
			jit, resp, err = c.gh.Actions.GenerateRepoJITConfig(ctx, c.scope.Owner, c.scope.Repo, req)
		}
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	if jit.GetEncodedJITConfig() == "" || jit.Runner == nil {
		return nil, &Error{Op: "register runner " + name, Class: Transient, Message: "GitHub answered without a config"}
	}
	return &JITConfig{Runner: toRunner(jit.Runner), Encoded: jit.GetEncodedJITConfig()}, nil
}

// Runner returns a runner by id; an error of class NotFound when it is gone.
func (c *Client) Runner(ctx context.Context, id int64) (*Runner, error) {
	var r *github.Runner
	err := c.call(ctx, "get runner "+strconv.FormatInt(id, 10), func(ctx context.Context) (resp *github.Response, err error) {
		if c.scope.Org != "" {
			r, resp, err = c.gh.Actions.GetOrganizationRunner(ctx, c.scope.Org, id)
		} else {
			r, resp, err = c.gh.Actions.GetRunner(ctx, c.scope.Owner, c.scope.Repo, id)
		}
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	out := toRunner(r)
	return &out, nil
}

// Delete removes a runner registration. A runner that is already gone counts as removed; a
// runner running a job gives an error of class Busy.
func (c *Client) Delete(ctx context.Context, id int64) error {
	err := c.call(ctx, "delete runner "+strconv.FormatInt(id, 10), func(ctx context.Context) (*github.Response, error) {
		if c.scope.Org != "" {
			return c.gh.Actions.RemoveOrganizationRunner(ctx, c.scope.Org, id)
		}
		return c.gh.Actions.RemoveRunner(ctx, c.scope.Owner, c.scope.Repo, id)
	})
	if ClassOf(err) == NotFound {
		return nil
	}
	return err
}

// List returns the runners of the scope, only those named name when it is not empty. It is also
// the cheap read that proves the token may manage runners there.
func (c *Client) List(ctx context.Context, name string) ([]Runner, error) {
	opts := &github.ListRunnersOptions{ListOptions: github.ListOptions{PerPage: 100}}
	if name != "" {
		opts.Name = &name
	}
	var out []Runner
	for {
		var page *github.Runners
		var next int
		err := c.call(ctx, "list runners of "+c.scope.String(), func(ctx context.Context) (resp *github.Response, err error) {
			if c.scope.Org != "" {
				page, resp, err = c.gh.Actions.ListOrganizationRunners(ctx, c.scope.Org, opts)
			} else {
				page, resp, err = c.gh.Actions.ListRunners(ctx, c.scope.Owner, c.scope.Repo, opts)
			}
			if resp != nil {
				next = resp.NextPage
			}
			return resp, err
		})
		if err != nil {
			return nil, err
		}
		for _, r := range page.Runners {
			out = append(out, toRunner(r))
		}
		if next == 0 {
			return out, nil
		}
		opts.Page = next
	}
}

func toRunner(r *github.Runner) Runner {
	out := Runner{ID: r.GetID(), Name: r.GetName(), Status: r.GetStatus(), Busy: r.GetBusy()}
	for _, l := range r.Labels {
		out.Labels = append(out.Labels, l.GetName())
	}
	return out
}

// RunCompleted reports whether the workflow run id of the scope's repository has completed
// (GET /repos/{owner}/{repo}/actions/runs/{run_id}, which needs the Actions permission, read).
// A run GitHub does not know gives an error of class NotFound.
func (c *Client) RunCompleted(ctx context.Context, id int64) (bool, error) {
	var run *github.WorkflowRun
	err := c.call(ctx, "get workflow run "+strconv.FormatInt(id, 10)+" of "+c.scope.Owner+"/"+c.scope.Repo,
		func(ctx context.Context) (resp *github.Response, err error) {
			run, resp, err = c.gh.Actions.GetWorkflowRunByID(ctx, c.scope.Owner, c.scope.Repo, id)
			return resp, err
		})
	if err != nil {
		return false, err
	}
	return run.GetStatus() == "completed", nil
}
