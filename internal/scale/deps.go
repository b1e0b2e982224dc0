package scale

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/actions/scaleset"

	"github.com/runpod-runner/runpod-runner/internal/registration"
)

// Provisioner is the pod and runner life cycle as the autoscaler uses it: the action's
// provisioning, GPU fallback, SSH registration, watchdog and cleanup.
type Provisioner interface {
	// Create makes a pod for req and starts its runner; it returns once the runner is online.
	Create(ctx context.Context, req Request) (Pod, error)
	// Resume starts a stopped pod of the scale set again and starts a runner on it, as Create.
	Resume(ctx context.Context, req Request, podID string) (Pod, error)
	// Stop stops a pod: its compute billing ends, its volume stays. Terminate removes it.
	Stop(ctx context.Context, podID string) error
	Terminate(ctx context.Context, podID string) error
	// List returns the pods that carry the scale set's marker.
	List(ctx context.Context, scaleSet string) ([]Pod, error)
}

// Request is one runner to start.
type Request struct {
	Set      *ScaleSet
	Name     string   // the pod's and the runner's name
	GPUTypes []string // the scale set's GPU types less those the breaker skips, in order
	// DataCenterIDs are the scale set's data-center-ids less those the breaker skips; nil for
	// the scale set's own (none: anywhere).
	DataCenterIDs []string
	// JIT registers the runner with the scale set; the provisioner calls it once the pod exists,
	// so that no runner is registered without a pod that bears its name.
	JIT func(ctx context.Context) (JIT, error)
}

// JIT is a runner registered with the scale set: its id and its encoded just-in-time
// configuration, a secret.
type JIT struct {
	RunnerID int64
	Encoded  string
}

// Pod is a pod of a scale set.
type Pod struct {
	ID          string
	Name        string
	Running     bool // false: stopped (a warm pod)
	GPUType     string
	DataCenter  string // where a pod was created, when data-center-ids named it
	CostPerHour float64
	Since       time.Time // when it last started or stopped, as far as known
	// NoCapacity lists the GPU types that answered "no capacity" on the way to this pod, and
	// NoCapacityDataCenters the data centers.
	NoCapacity, NoCapacityDataCenters []string
}

// CapacityError is a create that found no capacity on any GPU type it tried.
type CapacityError struct {
	GPUTypes    []string
	DataCenters []string // the data centers tried, when data-center-ids named them
	Err         error
}

func (e *CapacityError) Error() string {
	return fmt.Sprintf("no capacity on %s: %v", strings.Join(e.GPUTypes, ", "), e.Err)
}
func (e *CapacityError) Unwrap() error { return e.Err }

// ScaleSetAPI is the part of GitHub's scale-set client the autoscaler calls beside the
// listener (*scaleset.Client).
type ScaleSetAPI interface {
	GenerateJitRunnerConfig(ctx context.Context, setting *scaleset.RunnerScaleSetJitRunnerSetting, scaleSetID int) (*scaleset.RunnerScaleSetJitRunnerConfig, error)
	GetRunner(ctx context.Context, runnerID int) (*scaleset.RunnerReference, error)
	GetRunnerByName(ctx context.Context, name string) (*scaleset.RunnerReference, error)
	RemoveRunner(ctx context.Context, runnerID int64) error
}

var _ ScaleSetAPI = (*scaleset.Client)(nil)

// Deps is what the autoscaler needs from outside.
type Deps struct {
	Pods    Provisioner
	Log     *slog.Logger
	Now     func() time.Time
	Metrics *Metrics
	// Random names runners; it fills b with random bytes.
	Random func(b []byte) (int, error)
	// Runners lists the self-hosted runners of github.url's repository or organization
	// (GitHubREST.Runners), where the scale sets' runners are looked for at start; nil: not looked for.
	Runners func(ctx context.Context) ([]registration.Runner, error)
}

// busy reports a runner that GitHub will not remove because it runs a job.
func busy(err error) bool { return errors.Is(err, scaleset.JobStillRunningError) }

// gone reports a runner GitHub does not know.
func gone(err error) bool { return errors.Is(err, scaleset.RunnerNotFoundError) }
