// Package action holds the action's flows: start (provision or resume a pod, register a
// just-in-time runner on it and wait until it is online), post (clean up after a start that did
// not finish), and stop (remove the runner and stop or terminate the pod). The flows talk to
// RunPod, GitHub and the pod through the small interfaces below.
package action

import (
	"context"
	"io"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/metrics"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
	"github.com/runpod-runner/runpod-runner/internal/workflow"
)

// Pods is RunPod as the flows use it.
type Pods interface {
	Create(ctx context.Context, r runpod.CreateRequest) (*runpod.Pod, error)
	Get(ctx context.Context, id string) (*runpod.Pod, error)
	List(ctx context.Context) ([]runpod.Pod, error)
	Resume(ctx context.Context, id string, gpuCount int) (*runpod.Pod, error)
	Stop(ctx context.Context, id string) error
	Terminate(ctx context.Context, id string) error
	GPUTypes(ctx context.Context, ids []string, gpuCount int, secure bool) ([]runpod.GPUType, error)
	// Logs reads the last lines of a pod's logs. GraphQL has no logs: errors.ErrUnsupported.
	Logs(ctx context.Context, id string, lines int) ([]string, error)
	// UpdateEnv replaces a stopped pod's environment. GraphQL cannot: errors.ErrUnsupported.
	UpdateEnv(ctx context.Context, id string, env map[string]string) error
	// NetworkVolume reads a network volume; Template a template. Either missing: NotFound.
	NetworkVolume(ctx context.Context, id string) (*runpod.NetworkVolume, error)
	Template(ctx context.Context, id string) (*runpod.Template, error)
}

// Runners is GitHub's runner registration as the flows use it.
type Runners interface {
	GroupID(ctx context.Context, group string) (int64, error)
	GenerateJIT(ctx context.Context, name string, groupID int64, labels []string) (*registration.JITConfig, error)
	Runner(ctx context.Context, id int64) (*registration.Runner, error)
	Delete(ctx context.Context, id int64) error
	List(ctx context.Context, name string) ([]registration.Runner, error)
	Downloads(ctx context.Context) ([]registration.Download, error)
}

// Shell runs commands on a pod over one connection.
type Shell interface {
	Run(ctx context.Context, cmd string, stdin io.Reader, stdout, stderr io.Writer) error
	Close() error
}

// Dialer connects to a pod's SSH address with a key, checking the host key against pin.
type Dialer interface {
	Dial(ctx context.Context, addr string, key *remote.Key, pin *remote.Pin) (Shell, error)
}

// Deps is what the flows need from outside.
type Deps struct {
	Pods    Pods
	Runners Runners
	SSH     Dialer
	WF      *workflow.Commands
	Now     func() time.Time
	// Random fills b with random bytes, for generated labels and keys.
	Random func(b []byte) (int, error)
	// Timing paces retries and polls; zero fields take DefaultTiming's.
	Timing Timing
	// CleanupTimeout bounds cleanup after a failure or a cancel; the runner kills a cancelled
	// step about 10 seconds after asking it to stop.
	CleanupTimeout time.Duration
	// Observe, when set, receives the metrics of each start (each runner of a fan-out) as it
	// ends; it must not fail the step.
	Observe func(ctx context.Context, r metrics.Report)
}
