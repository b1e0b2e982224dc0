package registration

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/runpod-runner/runpod-runner/internal/retry"
)

// Class says what to do about an error.
type Class int

// The classes.
const (
	OK        Class = iota // no error at all
	Transient              // retry after a backoff
	Auth                   // the token is wrong or lacks a permission; fail
	Invalid                // the request cannot succeed as asked; fail
	NotFound               // the runner (or repository) does not exist
	Busy                   // the runner is running a job; delete it later
	Conflict               // a runner with that name exists already
	Canceled               // the caller's context ended
)

// Error is a failed GitHub call.
type Error struct {
	Op         string
	Class      Class
	Status     int
	Message    string
	Hint       string // what the user can do, when known; not part of Error, so it is said once
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("github: %s: %s", e.Op, e.Message)
	}
	return fmt.Sprintf("github: %s: HTTP %d: %s", e.Op, e.Status, e.Message)
}

// ClassOf returns the class of err: OK for nil.
func ClassOf(err error) Class {
	var e *Error
	switch {
	case err == nil:
		return OK
	case errors.As(err, &e):
		return e.Class
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return Canceled
	}
	return Transient
}

// Retry says whether the error is worth another attempt, and how long GitHub asked to wait;
// retry.Retryable reads it.
func (e *Error) Retry() (bool, time.Duration) { return e.Class == Transient, e.RetryAfter }

// classify turns a go-github error into an *Error naming what the user can do about it.
func (c *Client) classify(op string, resp *github.Response, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	var rl *github.RateLimitError
	if errors.As(err, &rl) {
		return &Error{Op: op, Class: Transient, Status: 403, Message: "rate limit exceeded", RetryAfter: time.Until(rl.Rate.Reset.Time)}
	}
	var abuse *github.AbuseRateLimitError
	if errors.As(err, &abuse) {
		return &Error{Op: op, Class: Transient, Status: 403, Message: "secondary rate limit", RetryAfter: abuse.GetRetryAfter()}
	}
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		class := Transient
		if retry.Unmendable(err) {
			class = Invalid
		}
		return &Error{Op: op, Class: class, Message: err.Error()}
	}
	status := er.Response.StatusCode
	e := &Error{Op: op, Status: status, Message: er.Message, RetryAfter: retryAfter(er.Response)}
	switch {
	case status == http.StatusUnauthorized:
		e.Class, e.Hint = Auth, "GitHub refused the token in github-token: check that it exists and has not expired"
	case status == http.StatusForbidden:
		e.Class, e.Hint = Auth, c.permissionHint(er.Response.Header.Get("X-Accepted-GitHub-Permissions"))
	case status == http.StatusNotFound:
		e.Class = NotFound
	case status == http.StatusConflict:
		e.Class = Conflict
	case status == http.StatusUnprocessableEntity && isBusy(er.Message):
		e.Class = Busy
	case status == http.StatusTooManyRequests || status >= 500:
		e.Class = Transient
	default:
		e.Class = Invalid
	}
	return e
}

// permissionHint names the permission a token needs for the scope.
func (c *Client) permissionHint(accepted string) string {
	need := "a fine-grained token needs Administration: read and write on " + c.scope.String()
	if c.scope.Org != "" {
		need = "a fine-grained token needs Self-hosted runners: read and write on " + c.scope.String() +
			" (a classic token needs admin:org)"
	}
	if accepted != "" {
		need += "; GitHub asked for " + accepted
	}
	return need + "; GITHUB_TOKEN cannot register runners"
}

func isBusy(msg string) bool {
	return msg != "" && (contains(msg, "still running a job") || contains(msg, "is busy"))
}

func retryAfter(resp *http.Response) time.Duration {
	if resp == nil {
		return 0
	}
	var secs int
	if _, err := fmt.Sscanf(resp.Header.Get("Retry-After"), "%d", &secs); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second
	}
	return 0
}
