// Package registration registers and removes self-hosted runners on GitHub with go-github:
// just-in-time runner configs for a repository or an organization, runner groups, and the
// runner application downloads.
package registration

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/runpod-runner/runpod-runner/internal/retry"
)

// Scope is where runners register: an organization, or else a repository.
type Scope struct {
	Org         string
	Owner, Repo string
}

func (s Scope) String() string {
	if s.Org != "" {
		return "organization " + s.Org
	}
	return "repository " + s.Owner + "/" + s.Repo
}

// Options configures a Client.
type Options struct {
	BaseURL    string // the REST API root, e.g. https://api.github.com or https://ghe.example/api/v3
	Token      string
	HTTPClient *http.Client // nil means a client with a 30s timeout
	Scope      Scope
	Timeout    time.Duration // per request; 0 means 20s
	Retry      retry.Policy
	Notify     retry.Notify
	// Workflow is the running workflow as GITHUB_WORKFLOW_REF gives it
	// ("owner/repo/.github/workflows/file.yml@ref") and WorkflowSHA its commit
	// (GITHUB_WORKFLOW_SHA); "" when unknown.
	Workflow, WorkflowSHA string
}

// Client manages runners in one scope.
type Client struct {
	gh      *github.Client
	scope   Scope
	timeout time.Duration
	policy  retry.Policy
	notify  retry.Notify
	// workflow and workflowSHA are Options.Workflow and Options.WorkflowSHA.
	workflow, workflowSHA string
}

// New returns a Client.
func New(o Options) (*Client, error) {
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	base, err := url.Parse(strings.TrimSuffix(o.BaseURL, "/") + "/")
	if err != nil {
		return nil, fmt.Errorf("parsing github-api-url: %w", err)
	}
	gh := github.NewClient(hc).WithAuthToken(o.Token)
	gh.BaseURL = base
	if o.Timeout == 0 {
		o.Timeout = 20 * time.Second
	}
	return &Client{gh: gh, scope: o.Scope, timeout: o.Timeout, policy: o.Retry, notify: o.Notify,
		workflow: o.Workflow, workflowSHA: o.WorkflowSHA}, nil
}

// call runs one API request with a timeout, retrying transient failures.
func (c *Client) call(ctx context.Context, op string, f func(ctx context.Context) (*github.Response, error)) error {
	return retry.Do(ctx, c.policy, func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, c.timeout)
		defer cancel()
		resp, err := f(ctx)
		return c.classify(op, resp, err)
	}, retry.Retryable, c.notify)
}

// once makes one attempt at a call that must not be repeated blindly.
func (c *Client) once(ctx context.Context, op string, f func(ctx context.Context) (*github.Response, error)) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := f(ctx)
	return c.classify(op, resp, err)
}

func contains(s, sub string) bool { return strings.Contains(strings.ToLower(s), sub) }
