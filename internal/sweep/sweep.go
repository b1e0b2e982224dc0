// Package sweep removes what no workflow run will clean up: pods of runpod-runner whose run has
// completed, that have run longer than a limit, or that have been stopped longer than a limit,
// and offline runner registrations whose pod is gone. The action's mode: sweep and the CLI's
// runpod-runner sweep share it.
package sweep

import (
	"context"
	"regexp"
	"strconv"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// Pods is RunPod as a sweep uses it.
type Pods interface {
	List(ctx context.Context) ([]runpod.Pod, error)
	Terminate(ctx context.Context, id string) error
}

// GitHub is one repository's runners and workflow runs as a sweep uses them.
type GitHub interface {
	List(ctx context.Context, name string) ([]registration.Runner, error)
	Delete(ctx context.Context, id int64) error
	RunCompleted(ctx context.Context, id int64) (bool, error)
}

// Rules say what a sweep removes.
type Rules struct {
	// Repository is OWNER/REPO: only its pods and runners are swept, unless AllRepos.
	Repository string
	AllRepos   bool
	// MaxAge removes a pod that has been running longer (since it last started); 0 for no limit.
	MaxAge time.Duration
	// KeepStopped removes a stopped pod that has been stopped longer; 0 for no limit.
	KeepStopped time.Duration
	DryRun      bool
	Now         time.Time
}

// Kinds of item.
const (
	KindPod    = "pod"
	KindRunner = "runner"
)

// Item is one pod or runner registration a sweep removes (or would, on a dry run).
type Item struct {
	Kind        string
	ID          string
	Name        string
	Repository  string
	Status      string
	Reason      string
	CostPerHour float64
	Removed     bool
	Err         error
	runnerID    int64
}

// reRunnerName is the name of a runner (and pod) the action makes: gha-<run>-<attempt>-….
var reRunnerName = regexp.MustCompile(`^gha-[0-9]+-[0-9]+-`)

// ours reports whether the pod carries the action's run markers (not a scale set's: the
// autoscaler keeps its warm pool itself).
func ours(p runpod.Pod) bool {
	return p.Env[marker.Repo] != "" && p.Env[marker.Run] != "" && p.Env[marker.ScaleSet] == ""
}

// runID is the pod's workflow run id, 0 when its marker is not a number.
func runID(p runpod.Pod) int64 {
	id, err := strconv.ParseInt(p.Env[marker.Run], 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// since is when the pod entered its present state, as far as RunPod says: the last start of a
// running pod; for a stopped pod its last status change, else its last start, else its
// creation (REST v2 reports no stop time, so a stopped pod counts from its last start).
func since(p runpod.Pod) time.Time {
	switch {
	case p.Status == runpod.StatusExited && !p.StoppedAt.IsZero():
		return p.StoppedAt
	case !p.LastStartedAt.IsZero():
		return p.LastStartedAt
	}
	return p.CreatedAt
}
