package runpod

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/retry"
)

// Class says what to do about an error.
type Class int

// The classes.
const (
	// OK: no error at all.
	OK Class = iota
	// Transient: retry the same request after a backoff.
	Transient
	// Capacity: this GPU type or data center has no room; try the next candidate.
	Capacity
	// Auth: the key is missing, wrong or lacks permission; fail.
	Auth
	// Invalid: the request cannot succeed as asked; fail.
	Invalid
	// NotFound: the pod does not exist (any more).
	NotFound
	// Canceled: the caller's context ended.
	Canceled
	// Conflict: the pod's status does not allow the action (it may be done already).
	Conflict
	// Rejected: a create was refused for a reason other than capacity (REST 400 whose detail
	// is not a placement failure). RunPod says to try the next candidate, and to read the
	// answer as a problem with the request when every candidate gives it.
	Rejected
	// Forbidden: a create was refused with 403: no access to this pool, or a key without
	// write access. Try the next candidate; when every candidate gives it, the key is at fault.
	Forbidden
)

func (c Class) String() string {
	return [...]string{"ok", "transient", "capacity", "auth", "invalid", "not found", "canceled", "conflict", "rejected", "forbidden"}[c]
}

// Error is a failed RunPod call.
type Error struct {
	Op         string // what was asked, e.g. "create pod on NVIDIA A40"
	Class      Class
	Status     int // HTTP status, 0 for a GraphQL error in a 200 answer or no answer
	Message    string
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("runpod: %s: HTTP %d: %s", e.Op, e.Status, e.Message)
	}
	return fmt.Sprintf("runpod: %s: %s", e.Op, e.Message)
}

// ClassOf returns the class of err: OK for nil; errors that are not *Error are transient unless
// the context ended.
func ClassOf(err error) Class {
	var e *Error
	switch {
	case err == nil:
		return OK
	case errors.As(err, &e):
		return e.Class
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return Canceled
	default:
		return Transient
	}
}

// Retry says whether the error is worth another attempt, and how long the server asked to wait;
// retry.Retryable reads it.
func (e *Error) Retry() (bool, time.Duration) { return e.Class == Transient, e.RetryAfter }

// capacityPhrases are the messages RunPod gives when it cannot place a pod.
var capacityPhrases = []string{
	"no longer any instances available",
	"no instances available",
	"no instances currently available",
	"not enough free gpus",
	"does not have the resources to deploy your pod",
	"could not find any pods with required specifications",
	"no resources",
	"could not be placed",
}

// classifyMessage maps the message of a GraphQL error (HTTP 200) to a class.
func classifyMessage(msg string) Class {
	m := strings.ToLower(msg)
	for _, p := range capacityPhrases {
		if strings.Contains(m, p) {
			return Capacity
		}
	}
	switch {
	case strings.Contains(m, "unauthorized"), strings.Contains(m, "forbidden"):
		return Auth
	case strings.Contains(m, "not found"):
		return NotFound
	case strings.Contains(m, "something went wrong"), strings.Contains(m, "internal server error"),
		strings.Contains(m, "try again later"), strings.Contains(m, "timeout"):
		return Transient
	}
	return Invalid
}

// transport classes a request that got no answer: retried, unless no retry can mend it.
func transport(err error) Class {
	if retry.Unmendable(err) {
		return Invalid
	}
	return Transient
}

// classifyStatus maps an HTTP status of a failed answer to a class.
func classifyStatus(status int) Class {
	switch {
	case status == 401 || status == 403:
		return Auth
	case status == 404:
		return NotFound
	case status == 408 || status == 425 || status == 429 || status >= 500:
		return Transient
	}
	return Invalid
}
