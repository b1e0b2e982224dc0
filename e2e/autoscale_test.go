package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakescaleset"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// scaler is a running `runpod-runner scale` process.
type scaler struct {
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
	base string // http://listen
	err  error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startScaler runs the compiled binary as `runpod-runner scale --config FILE`.
func startScaler(t *testing.T, config, listen string) *scaler {
	t.Helper()
	path := filepath.Join(t.TempDir(), "scale.yaml")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &scaler{cmd: exec.Command(built.Action, "scale", "--config", path), out: &lockedBuffer{}, done: make(chan struct{}), base: "http://" + listen}
	s.cmd.Env = append(os.Environ(), sandbox.ScaleEnv()...)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.err = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		<-s.done
		if t.Failed() {
			t.Logf("runpod-runner scale output:\n%s", s.out.String())
		}
	})
	return s
}

func (s *scaler) exit(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-s.done:
	case <-time.After(within):
		t.Fatalf("runpod-runner scale did not exit within %s", within)
	}
	var ee *exec.ExitError
	if errors.As(s.err, &ee) {
		return ee.ExitCode()
	}
	return 0
}

func waitUntil(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(within); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
	}
}

func httpStatus(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// scrape reads /metrics with expfmt: each series as name{label=value,...} → value.
func scrape(t *testing.T, base string) map[string]float64 {
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
	out := map[string]float64{}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			out[series(name, m)] = m.GetCounter().GetValue() + m.GetGauge().GetValue() + float64(m.GetHistogram().GetSampleCount())
		}
	}
	return out
}

func series(name string, m *dto.Metric) string {
	var ls []string
	for _, l := range m.GetLabel() {
		if l.GetName() != "scale_set" {
			ls = append(ls, l.GetName()+"="+l.GetValue())
		}
	}
	if len(ls) == 0 {
		return name
	}
	return name + "{" + strings.Join(ls, ",") + "}"
}

// scalePods counts the scale set's pods in the RunPod stand-in by status.
func scalePods(w *world, set string) map[string]int {
	out := map[string]int{}
	for _, p := range w.RunPod.Pods() {
		if p.Env[marker.ScaleSet] == set {
			out[p.Status]++
		}
	}
	return out
}

// TestScaleWaves: 3 jobs on the label with max-runners 2 never have more than 2 pods and all
// finish; a second wave resumes the warm pods without downloading the runner again; /metrics
// parses and counts what happened and /healthz answers; SIGTERM with a busy job lets it finish,
// stops the pods into the warm pool and exits 0.
func TestScaleWaves(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "rest", sandbox.Options{})
	fs, url := w.StartScaleSets(fakescaleset.Options{LongPoll: 500 * time.Millisecond, SessionIdle: 5 * time.Second, AcquireTimeout: time.Minute})
	listen := freeAddr(t)
	s := startScaler(t, w.ScaleConfig(url, listen, "60s", sandbox.ScaleSet{Name: "gpu-e2e", MaxRunners: 2, Warm: 2, IdleTimeout: "10m"}), listen)
	waitUntil(t, 30*time.Second, "/readyz", func() bool { return httpStatus(s.base+"/readyz") == http.StatusOK })

	var mu sync.Mutex
	peak := 0
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			n := scalePods(w, "gpu-e2e")["RUNNING"]
			mu.Lock()
			peak = max(peak, n)
			mu.Unlock()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	for i := range 3 {
		fs.Queue([]string{"gpu-e2e"}, fmt.Sprintf("echo wave one job %d", i))
	}
	if err := fs.WaitDone(ctx); err != nil {
		t.Fatalf("wave one: %v: %+v", err, fs.Jobs())
	}
	waitUntil(t, time.Minute, "two warm pods after wave one", func() bool {
		p := scalePods(w, "gpu-e2e")
		return p["EXITED"] == 2 && p["RUNNING"] == 0
	})
	downloads := w.TarballDownloads()
	if downloads == 0 {
		t.Error("wave one on new pods never downloaded the runner")
	}
	var warmBefore map[string]runnerOnVolume
	if perPodVolumes(t) {
		warmBefore = volumeRunners(t, w, stoppedPods(w, "gpu-e2e"))
	}
	for i := range 2 {
		fs.Queue([]string{"gpu-e2e"}, fmt.Sprintf("echo wave two job %d", i))
	}
	if err := fs.WaitDone(ctx); err != nil {
		t.Fatalf("wave two: %v: %+v", err, fs.Jobs())
	}
	for _, j := range fs.Jobs() {
		if j.Result != "succeeded" {
			t.Errorf("job %d: %+v, want succeeded", j.ID, j)
		}
	}
	mu.Lock()
	if peak > 2 {
		t.Errorf("%d pods running at once, more than max-runners 2", peak)
	}
	mu.Unlock()
	if got := w.TarballDownloads(); got != downloads {
		t.Errorf("wave two downloaded the runner %d more times, want 0 (warm pods keep it on their volume)", got-downloads)
	}
	if warmBefore != nil {
		checkWarmPodsKeptTheirRunner(t, w, warmBefore)
	}
	if code := httpStatus(s.base + "/healthz"); code != http.StatusOK {
		t.Errorf("/healthz %d while the session lives, want 200", code)
	}
	waitUntil(t, 20*time.Second, "five completed jobs and five pods started in /metrics", func() bool {
		m := scrape(t, s.base)
		return m["runpod_runner_scale_jobs_completed_total{result=succeeded}"] == 5 &&
			m["runpod_runner_scale_pods_created_total"]+m["runpod_runner_scale_pods_resumed_total"]+
				m["runpod_runner_scale_provision_failures_total{class=error}"] >= 5
	})
	m := scrape(t, s.base)
	created, resumed, failed := m["runpod_runner_scale_pods_created_total"], m["runpod_runner_scale_pods_resumed_total"],
		m["runpod_runner_scale_provision_failures_total{class=error}"]
	if created+resumed+failed != 5 || resumed < 2 || created > 3 {
		t.Errorf("pods created %v, resumed %v, starts failed %v: want one start per job (5), wave two all resumed", created, resumed, failed)
	}
	if m["runpod_runner_scale_jobs_started_total"] != 5 {
		t.Errorf("jobs_started_total %v, want 5", m["runpod_runner_scale_jobs_started_total"])
	}
	if m["runpod_runner_scale_job_to_runner_online_seconds{start=warm}"] < 2 {
		t.Errorf("warm job → online observations %v, want at least 2", m["runpod_runner_scale_job_to_runner_online_seconds{start=warm}"])
	}

	id := fs.Queue([]string{"gpu-e2e"}, "sleep 3; echo busy at shutdown")
	waitUntil(t, time.Minute, "the last job running", func() bool { return fs.Jobs()[id-1].State == fakescaleset.StateStarted })
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := s.exit(t, 90*time.Second); code != 0 {
		t.Errorf("exit status %d after SIGTERM, want 0", code)
	}
	if j := fs.Jobs()[id-1]; j.Result != "succeeded" {
		t.Errorf("the job busy at SIGTERM: %+v, want it finished", j)
	}
	if p := scalePods(w, "gpu-e2e"); p["RUNNING"] != 0 || p["EXITED"] > 2 {
		t.Errorf("pods after the drain %v: want none running, at most warm-pool (2) stopped", p)
	}
	if rs := w.GitHub.Runners(); len(rs) != 0 {
		t.Errorf("runner registrations after the drain: %+v, want none", rs)
	}
}

// TestScaleBadConfig: a config file with several mistakes gets every one listed, exit status 2,
// and no request to RunPod or GitHub, so nothing is created.
func TestScaleBadConfig(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "rest", sandbox.Options{})
	fs, url := w.StartScaleSets(fakescaleset.Options{})
	cfg := w.ScaleConfig(url, "127.0.0.1:0", "forever", sandbox.ScaleSet{Name: "gpu/bad", MaxRunners: 0, Warm: -1})
	s := startScaler(t, cfg, "127.0.0.1:0")
	if code := s.exit(t, 30*time.Second); code != 2 {
		t.Errorf("exit status %d, want 2", code)
	}
	out := s.out.String()
	for _, want := range []string{"drain-timeout: must be a duration", "scale-sets[0].name:", "scale-sets[0].max-runners:", "scale-sets[0].warm-pool:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := len(w.RunPod.Requests()) + len(w.GitHub.Requests()) + len(fs.Requests()); n != 0 {
		t.Errorf("%d requests to the stand-ins, want none", n)
	}
	if strings.Contains(out, sandbox.GitHubToken) || strings.Contains(out, sandbox.RunPodKey) {
		t.Error("a secret reached the output")
	}
}

// TestScaleKill9Converges: kill -9 while a pod is being provisioned, start again: the new
// instance waits out the dead session (409), adopts what was left, runs the job, and after
// SIGTERM nothing is orphaned: no running pod, stopped pods only within warm-pool, no runner
// registration.
func TestScaleKill9Converges(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "rest", sandbox.Options{})
	fs, url := w.StartScaleSets(fakescaleset.Options{LongPoll: 500 * time.Millisecond, SessionIdle: 4 * time.Second, AcquireTimeout: 5 * time.Second})
	listen := freeAddr(t)
	cfg := w.ScaleConfig(url, listen, "60s", sandbox.ScaleSet{Name: "gpu-k9", MaxRunners: 1, Warm: 1})
	first := startScaler(t, cfg, listen)
	waitUntil(t, 30*time.Second, "/readyz", func() bool { return httpStatus(first.base+"/readyz") == http.StatusOK })
	id := fs.Queue([]string{"gpu-k9"}, "echo after a kill")
	waitUntil(t, time.Minute, "a pod being provisioned", func() bool { return len(scalePods(w, "gpu-k9")) > 0 })
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.exit(t, 10*time.Second)

	second := startScaler(t, cfg, listen)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := fs.WaitDone(ctx); err != nil {
		t.Fatalf("%v: %+v\n%s", err, fs.Jobs(), second.out.String())
	}
	if j := fs.Jobs()[id-1]; j.Result != "succeeded" {
		t.Errorf("job %+v, want succeeded", j)
	}
	// The job may finish on the runner the killed instance launched before the restart has
	// logged its first session attempt: wait for the 409 rather than read the log at once.
	waitUntil(t, time.Minute, "the second instance meets the dead session (409)", func() bool { return strings.Contains(second.out.String(), "409") })
	if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := second.exit(t, 90*time.Second); code != 0 {
		t.Errorf("exit status %d after SIGTERM, want 0", code)
	}
	if p := scalePods(w, "gpu-k9"); p["RUNNING"] != 0 || p["EXITED"] > 1 {
		t.Errorf("pods left %v: want none running, at most warm-pool (1) stopped", p)
	}
	if rs := w.GitHub.Runners(); len(rs) != 0 {
		t.Errorf("orphaned runner registrations: %+v", rs)
	}
}

// TestScaleBreaker: the first GPU type has no capacity: the second is used, and the breaker
// skips the first for its cool-down (the next runner is created on the second alone), which
// the log and /metrics show.
func TestScaleBreaker(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "rest", sandbox.Options{})
	w.RunPod.SetCapacity("NVIDIA GeForce RTX 4090", false)
	fs, url := w.StartScaleSets(fakescaleset.Options{LongPoll: 500 * time.Millisecond, SessionIdle: 5 * time.Second})
	listen := freeAddr(t)
	set := sandbox.ScaleSet{Name: "gpu-cb", MaxRunners: 1, GPUTypes: []string{"NVIDIA GeForce RTX 4090", "NVIDIA RTX A6000"}}
	s := startScaler(t, w.ScaleConfig(url, listen, "30s", set), listen)
	waitUntil(t, 30*time.Second, "/readyz", func() bool { return httpStatus(s.base+"/readyz") == http.StatusOK })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for range 2 {
		fs.Queue([]string{"gpu-cb"}, "echo on the second GPU type")
		if err := fs.WaitDone(ctx); err != nil {
			t.Fatalf("%v: %+v", err, fs.Jobs())
		}
	}
	var types []string
	for _, p := range w.RunPod.Pods() {
		types = append(types, p.GPUTypeID)
	}
	for _, g := range types {
		if g != "NVIDIA RTX A6000" {
			t.Errorf("a pod on %s, want every pod on the second GPU type: %v", g, types)
		}
	}
	creates := 0
	for _, r := range w.RunPod.Requests() {
		if r.Operation == "createPod" && strings.Contains(r.Body, "NVIDIA GeForce RTX 4090") {
			creates++
		}
	}
	if creates != 1 {
		t.Errorf("%d creates asked for the first GPU type, want 1: the breaker skips it afterwards", creates)
	}
	if m := scrape(t, s.base); m["runpod_runner_scale_breaker_open{gpu_type=NVIDIA GeForce RTX 4090}"] != 1 {
		t.Errorf("breaker_open for the first GPU type %v, want 1", m["runpod_runner_scale_breaker_open{gpu_type=NVIDIA GeForce RTX 4090}"])
	}
	if !strings.Contains(s.out.String(), `msg="skipping GPU type" scale_set=gpu-cb gpu_type="NVIDIA GeForce RTX 4090" reason="no capacity"`) {
		t.Errorf("the log does not say the breaker skips the first GPU type:\n%s", s.out.String())
	}
}
