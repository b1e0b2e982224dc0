package fakescaleset

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actions/scaleset"
	"github.com/actions/scaleset/listener"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
)

const pat = "ghp_scaleset_test"

// world is a GitHub stand-in with its broker, and the scale-set stand-in beside it.
type world struct {
	gh   *fakegithub.Server
	fake *Server
	url  string // the config URL of the repository
}

func newWorld(t *testing.T, opts Options) *world {
	t.Helper()
	gh := fakegithub.New(fakegithub.Options{Repos: []string{"octo/repo"}, Tokens: map[string]fakegithub.Grant{
		pat: {Administration: map[string]fakegithub.Access{"octo/repo": fakegithub.WriteAccess}}}})
	ghSrv := httptest.NewServer(gh)
	t.Cleanup(ghSrv.Close)
	opts.GitHub, opts.GitHubURL, opts.Repos = gh, ghSrv.URL, []string{"octo/repo"}
	if opts.Token == "" && opts.App == nil {
		opts.Token = pat
	}
	fake := New(opts)
	srv := httptest.NewServer(fake)
	t.Cleanup(func() { srv.Close(); fake.Close() })
	return &world{gh: gh, fake: fake, url: srv.URL + "/octo/repo"}
}

func (w *world) client(t *testing.T) *scaleset.Client {
	t.Helper()
	c, err := scaleset.NewClientWithPersonalAccessToken(scaleset.NewClientWithPersonalAccessTokenConfig{
		GitHubConfigURL: w.url, PersonalAccessToken: pat, SystemInfo: scaleset.SystemInfo{System: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// scaleSet gets the default group and creates a scale set named name through the client.
func scaleSetOf(t *testing.T, ctx context.Context, c *scaleset.Client, name string) *scaleset.RunnerScaleSet {
	t.Helper()
	g, err := c.GetRunnerGroupByName(ctx, scaleset.DefaultRunnerGroup)
	if err != nil {
		t.Fatalf("runner group: %v", err)
	}
	set, err := c.CreateRunnerScaleSet(ctx, &scaleset.RunnerScaleSet{Name: name, RunnerGroupID: g.ID})
	if err != nil {
		t.Fatalf("create scale set: %v", err)
	}
	return set
}

var listenerBin struct {
	once sync.Once
	path string
	err  error
}

// runnerBinary builds the stand-in runner's listener once.
func runnerBinary(t *testing.T) string {
	t.Helper()
	listenerBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "fakescaleset-runner-")
		if err != nil {
			listenerBin.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		listenerBin.path, listenerBin.err = BuildRunner(ctx, dir)
	})
	if listenerBin.err != nil {
		t.Fatal(listenerBin.err)
	}
	return listenerBin.path
}

// scaler starts one stand-in runner process per runner the listener asks for.
type scaler struct {
	t       *testing.T
	c       *scaleset.Client
	setID   int
	bin     string
	mu      sync.Mutex
	live    int
	n       int
	desired []int
	peak    int
	done    []string
}

func (s *scaler) HandleJobStarted(context.Context, *scaleset.JobStarted) error { return nil }

func (s *scaler) HandleJobCompleted(_ context.Context, j *scaleset.JobCompleted) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done = append(s.done, j.Result)
	if j.RunnerID != 0 {
		s.live--
	}
	return nil
}

func (s *scaler) HandleDesiredRunnerCount(ctx context.Context, count int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.desired = append(s.desired, count)
	for s.live < count {
		s.n++
		jit, err := s.c.GenerateJitRunnerConfig(ctx, &scaleset.RunnerScaleSetJitRunnerSetting{Name: "runner-" + string(rune('a'+s.n))}, s.setID)
		if err != nil {
			return 0, err
		}
		cmd, err := StartRunner(s.bin, s.t.TempDir(), jit.EncodedJITConfig)
		if err != nil {
			return 0, err
		}
		s.t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		s.live++
		s.peak = max(s.peak, s.live)
	}
	return count, nil
}

// TestLibraryListener runs actions/scaleset's own listener against the stand-in: three jobs,
// capacity two; every job is acquired, run by a stand-in runner and completed, no more than
// two runners exist at once, and a second session is refused with 409 while the first lives.
func TestLibraryListener(t *testing.T) {
	t.Parallel()
	w := newWorld(t, Options{LongPoll: 300 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := w.client(t)
	set := scaleSetOf(t, ctx, c, "gpu")
	session, err := c.MessageSessionClient(ctx, set.ID, "test-owner")
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	if _, err := c.MessageSessionClient(ctx, set.ID, "second-owner"); err == nil || !strings.Contains(err.Error(), "409") {
		t.Errorf("second session: err %v, want a 409 while the first lives", err)
	}
	l, err := listener.New(session, listener.Config{ScaleSetID: set.ID, MaxRunners: 2})
	if err != nil {
		t.Fatal(err)
	}
	sc := &scaler{t: t, c: c, setID: set.ID, bin: runnerBinary(t)}
	for range 3 {
		w.fake.Queue([]string{"gpu"}, "echo hello")
	}
	runCtx, stop := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { errc <- l.Run(runCtx, sc) }()
	if err := w.fake.WaitDone(ctx); err != nil {
		t.Fatalf("%v; jobs %+v", err, w.fake.Jobs())
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		sc.mu.Lock()
		n := len(sc.done)
		sc.mu.Unlock()
		if n >= 3 || time.Now().After(deadline) {
			break
		}
	}
	stop()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("listener: %v", err)
	}
	for _, j := range w.fake.Jobs() {
		if j.Result != "succeeded" || j.RunnerName == "" || j.Assignments != 1 {
			t.Errorf("job %+v: want succeeded once, on a runner", j)
		}
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.peak > 2 {
		t.Errorf("%d runners at once, more than the capacity of 2", sc.peak)
	}
	if strings.Count(strings.Join(sc.done, ","), "succeeded") != 3 {
		t.Errorf("JobCompleted results %v, want three succeeded", sc.done)
	}
	if err := session.Close(context.Background()); err != nil {
		t.Errorf("close session: %v", err)
	}
	if s2, err := c.MessageSessionClient(ctx, set.ID, "after"); err != nil {
		t.Errorf("a session after the first closed: %v", err)
	} else {
		_ = s2.Close(ctx)
	}
}
