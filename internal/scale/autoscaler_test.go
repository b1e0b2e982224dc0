package scale

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actions/scaleset"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakescaleset"
)

const pat = "ghp_autoscaler_test"

var runnerBin struct {
	once sync.Once
	path string
	err  error
}

func standinRunner(t *testing.T) string {
	t.Helper()
	runnerBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "scale-runner-")
		if err != nil {
			runnerBin.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		runnerBin.path, runnerBin.err = fakescaleset.BuildRunner(ctx, dir)
	})
	if runnerBin.err != nil {
		t.Fatal(runnerBin.err)
	}
	return runnerBin.path
}

// localPods is a Provisioner whose pods are stand-in runner processes on this machine: it shows
// the loop against the scale-set stand-in without RunPod or SSH.
type localPods struct {
	t       *testing.T
	bin     string
	mu      sync.Mutex
	procs   map[string]*exec.Cmd // running pods
	stopped map[string]bool
	peak    int
	next    int
	calls   []string
}

func (l *localPods) start(ctx context.Context, req Request, id string) (Pod, error) {
	jit, err := req.JIT(ctx)
	if err != nil {
		return Pod{}, err
	}
	cmd, err := fakescaleset.StartRunner(l.bin, l.t.TempDir(), jit.Encoded)
	if err != nil {
		return Pod{}, err
	}
	go func() { _ = cmd.Wait() }()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.procs[id] = cmd
	delete(l.stopped, id)
	l.peak = max(l.peak, len(l.procs))
	return Pod{ID: id, Name: req.Name, Running: true, GPUType: req.GPUTypes[0], CostPerHour: 0.4}, nil
}

func (l *localPods) Create(ctx context.Context, req Request) (Pod, error) {
	l.mu.Lock()
	l.next++
	id := fmt.Sprintf("pod%d", l.next)
	l.calls = append(l.calls, "create")
	l.mu.Unlock()
	return l.start(ctx, req, id)
}

func (l *localPods) Resume(ctx context.Context, req Request, id string) (Pod, error) {
	l.mu.Lock()
	l.calls = append(l.calls, "resume")
	l.mu.Unlock()
	return l.start(ctx, req, id)
}

func (l *localPods) halt(id string, stop bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cmd := l.procs[id]; cmd != nil {
		_ = cmd.Process.Kill()
	}
	delete(l.procs, id)
	if stop {
		l.stopped[id] = true
		l.calls = append(l.calls, "stop")
	} else {
		delete(l.stopped, id)
		l.calls = append(l.calls, "terminate")
	}
}

func (l *localPods) Stop(_ context.Context, id string) error      { l.halt(id, true); return nil }
func (l *localPods) Terminate(_ context.Context, id string) error { l.halt(id, false); return nil }
func (l *localPods) List(context.Context, string) ([]Pod, error)  { return nil, nil }

func (l *localPods) running() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.procs)
}

// mostAtOnce is the most pods that ran at the same time.
func (l *localPods) mostAtOnce() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.peak
}

type world struct {
	fake *fakescaleset.Server
	url  string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	gh := fakegithub.New(fakegithub.Options{Repos: []string{"octo/repo"}})
	ghSrv := httptest.NewServer(gh)
	t.Cleanup(ghSrv.Close)
	fake := fakescaleset.New(fakescaleset.Options{GitHub: gh, GitHubURL: ghSrv.URL, Token: pat, Repos: []string{"octo/repo"},
		LongPoll: 300 * time.Millisecond, SessionIdle: 3 * time.Second})
	srv := httptest.NewServer(fake)
	t.Cleanup(func() { srv.Close(); fake.Close() })
	return &world{fake: fake, url: srv.URL + "/octo/repo"}
}

func (w *world) autoscaler(t *testing.T, pods Provisioner, set ScaleSet, o Options) (*Autoscaler, *Metrics) {
	t.Helper()
	c, err := scaleset.NewClientWithPersonalAccessToken(scaleset.NewClientWithPersonalAccessTokenConfig{GitHubConfigURL: w.url, PersonalAccessToken: pat})
	if err != nil {
		t.Fatal(err)
	}
	set.Pod = &config.Config{GPUTypes: []string{"A40"}, RunnerVersion: "latest"}
	cfg := &Config{GitHubURL: w.url, RunnerGroup: "default", DrainTimeout: 20 * time.Second, ScaleSets: []ScaleSet{set}}
	m := NewMetrics(cfg.ScaleSets)
	o.Tick = 100 * time.Millisecond
	return New(cfg, c, Deps{Pods: pods, Log: quietLog(), Now: time.Now, Metrics: m, Random: func(b []byte) (int, error) { return cryptoRand(b) }}, o), m
}

// TestAutoscalerAgainstScaleSetStandIn: three jobs on the label with max-runners 2 all run,
// never on more than two pods at once; /healthz answers while the session lives and /metrics
// parses and counts what happened; a second instance is refused with a clear error; SIGTERM
// (the context ending) with a busy job lets it finish, parks the pods and returns nil.
func TestAutoscalerAgainstScaleSetStandIn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	pods := &localPods{t: t, bin: standinRunner(t), procs: map[string]*exec.Cmd{}, stopped: map[string]bool{}}
	a, _ := w.autoscaler(t, pods, ScaleSet{Name: "gpu", MaxRunners: 2, WarmPool: 1, IdleTimeout: time.Minute, WarmMaxAge: time.Hour}, Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()

	for range 3 {
		w.fake.Queue([]string{"gpu"}, "echo hi")
	}
	wait, stopWait := context.WithTimeout(ctx, 60*time.Second)
	defer stopWait()
	if err := w.fake.WaitDone(wait); err != nil {
		t.Fatalf("%v: %+v", err, w.fake.Jobs())
	}
	if peak := pods.mostAtOnce(); peak > 2 {
		t.Errorf("%d pods at once, more than max-runners 2", peak)
	}
	if code := get(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz %d while the session lives, want 200", code)
	}
	eventually(t, "three completed jobs in the metrics", func() bool {
		return metric(t, base, "runpod_runner_scale_jobs_completed_total", "result", "succeeded") == 3
	})
	if got := metric(t, base, "runpod_runner_scale_pods_created_total", "", "") + metric(t, base, "runpod_runner_scale_pods_resumed_total", "", ""); got != 3 {
		t.Errorf("pods created + resumed = %v, want 3 (one per job)", got)
	}

	second, _ := w.autoscaler(t, newFakePods(), ScaleSet{Name: "gpu", MaxRunners: 1}, Options{SessionWait: 1500 * time.Millisecond})
	ln2, _ := net.Listen("tcp", "127.0.0.1:0")
	if err := second.Serve(ctx, ln2); err == nil || !strings.Contains(err.Error(), "409 Conflict") || !strings.Contains(err.Error(), "another runpod-runner scale") {
		t.Errorf("second instance: %v, want a 409 error naming another instance", err)
	}

	id := w.fake.Queue([]string{"gpu"}, "sleep 1; echo late")
	eventually(t, "the last job running", func() bool { return w.fake.Jobs()[id-1].State == fakescaleset.StateStarted })
	cancel() // SIGTERM
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after SIGTERM: %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not return after SIGTERM")
	}
	if j := w.fake.Jobs()[id-1]; j.Result != "succeeded" {
		t.Errorf("the busy job after SIGTERM: %+v, want it finished", j)
	}
	if n := pods.running(); n != 0 {
		t.Errorf("%d pods still running after the drain, want 0", n)
	}
	if live := w.fake.ScaleSets()["gpu"]; live {
		t.Error("the message session is still open after the drain")
	}
}

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// metric reads one series from /metrics, parsed with expfmt; label "" sums every series.
func metric(t *testing.T, base, name, label, value string) float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	sum := 0.0
	for _, m := range fams[name].GetMetric() {
		if label == "" || labelIs(m, label, value) {
			sum += m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	return sum
}

func labelIs(m *dto.Metric, name, value string) bool {
	for _, l := range m.GetLabel() {
		if l.GetName() == name && l.GetValue() == value {
			return true
		}
	}
	return false
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}
