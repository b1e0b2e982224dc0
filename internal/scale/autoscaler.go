package scale

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actions/scaleset"
	"github.com/actions/scaleset/listener"
)

// Client is GitHub's scale-set client as the autoscaler uses it (*scaleset.Client).
type Client interface {
	ScaleSetAPI
	GetRunnerGroupByName(ctx context.Context, name string) (*scaleset.RunnerGroup, error)
	GetRunnerScaleSet(ctx context.Context, groupID int, name string) (*scaleset.RunnerScaleSet, error)
	CreateRunnerScaleSet(ctx context.Context, set *scaleset.RunnerScaleSet) (*scaleset.RunnerScaleSet, error)
	UpdateRunnerScaleSet(ctx context.Context, id int, set *scaleset.RunnerScaleSet) (*scaleset.RunnerScaleSet, error)
	MessageSessionClient(ctx context.Context, id int, owner string, options ...scaleset.HTTPOption) (*scaleset.MessageSessionClient, error)
}

var _ Client = (*scaleset.Client)(nil)

// Autoscaler runs every scale set of a config.
type Autoscaler struct {
	cfg      *Config
	c        Client
	d        Deps
	opts     Options
	breakers breakers
	budget   *budget
	sets     []*setScaler
	live     sync.Map // scale set name → *atomic.Bool: its listener runs
	ready    atomic.Bool
}

// Options tune the autoscaler's timing; the zero value is the production one.
type Options struct {
	// SessionWait bounds how long a refused (409) message session is retried: GitHub keeps the
	// session of a listener killed with -9 until it expires.
	SessionWait time.Duration
	// Tick is how often idle runners and warm pods are reviewed between messages.
	Tick time.Duration
	// Owner names this instance in its message sessions.
	Owner string
}

// New returns an autoscaler for cfg.
func New(cfg *Config, c Client, d Deps, o Options) *Autoscaler {
	if o.SessionWait == 0 {
		o.SessionWait = 3 * time.Minute
	}
	if o.Tick == 0 {
		o.Tick = 5 * time.Second
	}
	if o.Owner == "" {
		o.Owner = "runpod-runner"
	}
	return &Autoscaler{cfg: cfg, c: c, d: d, opts: o, breakers: breakers{gpus: newBreaker(d.Now), dcs: newBreaker(d.Now)}, budget: newBudget(cfg.MaxHourlySpend)}
}

// Run listens on the config's address and runs until ctx ends (SIGTERM), then drains.
func (a *Autoscaler) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", a.cfg.Listen, err)
	}
	return a.Serve(ctx, ln)
}

// Serve is Run on a listener already open.
func (a *Autoscaler) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	a.d.Log.Info("serving metrics and health", "addr", ln.Addr().String())
	sessions, err := a.start(ctx)
	if err != nil {
		a.closeSessions(sessions)
		a.drain()
		return err
	}
	a.ready.Store(true)
	err = a.listen(ctx, sessions)
	a.ready.Store(false)
	a.closeSessions(sessions)
	a.drain()
	return err
}

// start sets up every scale set: gets or creates it, adopts what a previous instance left and
// opens its message session.
func (a *Autoscaler) start(ctx context.Context) ([]*scaleset.MessageSessionClient, error) {
	var sessions []*scaleset.MessageSessionClient
	for i := range a.cfg.ScaleSets {
		set := &a.cfg.ScaleSets[i]
		id, err := a.scaleSet(ctx, set)
		if err != nil {
			return sessions, err
		}
		s := newSetScaler(set, id, a.c, a.d, a.breakers, a.budget)
		a.sets = append(a.sets, s)
		if err := s.adopt(ctx); err != nil {
			return sessions, err
		}
		sess, err := a.session(ctx, set.Name, id)
		if err != nil {
			return sessions, err
		}
		sessions = append(sessions, sess)
	}
	return sessions, nil
}

// listen runs each scale set's listener until ctx ends or one fails.
func (a *Autoscaler) listen(ctx context.Context, sessions []*scaleset.MessageSessionClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(sessions))
	for i, sess := range sessions {
		s := a.sets[i]
		l, err := listener.New(sess, listener.Config{ScaleSetID: s.id, MaxRunners: s.set.MaxRunners, Logger: slog.New(quiet{a.d.Log.Handler()}).With("scale_set", s.set.Name)})
		if err != nil {
			return fmt.Errorf("scale set %s: %w", s.set.Name, err)
		}
		live := a.liveFlag(s.set.Name)
		live.Store(true)
		a.d.Metrics.session.WithLabelValues(s.set.Name).Set(1)
		go func() {
			err := l.Run(ctx, s)
			live.Store(false)
			a.d.Metrics.session.WithLabelValues(s.set.Name).Set(0)
			if err != nil && ctx.Err() == nil {
				err = fmt.Errorf("scale set %s: listener: %w", s.set.Name, err)
			} else {
				err = nil
			}
			errc <- err
		}()
		go a.tick(ctx, s)
	}
	for range sessions {
		if err := <-errc; err != nil {
			cancel()
			return errors.Join(err, drainRest(errc, len(sessions)-1))
		}
	}
	return nil
}

func drainRest(errc chan error, n int) error {
	var errs []error
	for range n {
		errs = append(errs, <-errc)
	}
	return errors.Join(errs...)
}

// tick reviews idle runners and warm pods between messages.
func (a *Autoscaler) tick(ctx context.Context, s *setScaler) {
	t := time.NewTicker(a.opts.Tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.reconcile()
		}
	}
}

func (a *Autoscaler) liveFlag(name string) *atomic.Bool {
	v, _ := a.live.LoadOrStore(name, &atomic.Bool{})
	return v.(*atomic.Bool)
}

func (a *Autoscaler) closeSessions(sessions []*scaleset.MessageSessionClient) {
	for i, sess := range sessions {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := sess.Close(ctx); err != nil {
			a.d.Log.Warn("could not close the message session", "scale_set", a.sets[i].set.Name, "error", err.Error())
		} else {
			a.d.Log.Info("message session closed", "scale_set", a.sets[i].set.Name, "reason", "shutting down: no new jobs")
		}
		cancel()
	}
}

// quiet demotes the library listener's info lines (one per poll) to debug.
type quiet struct{ slog.Handler }

func (q quiet) Enabled(ctx context.Context, l slog.Level) bool {
	return q.Handler.Enabled(ctx, demote(l))
}
func (q quiet) Handle(ctx context.Context, r slog.Record) error {
	r.Level = demote(r.Level)
	return q.Handler.Handle(ctx, r)
}
func (q quiet) WithAttrs(as []slog.Attr) slog.Handler { return quiet{q.Handler.WithAttrs(as)} }
func (q quiet) WithGroup(n string) slog.Handler       { return quiet{q.Handler.WithGroup(n)} }

func demote(l slog.Level) slog.Level {
	if l == slog.LevelInfo {
		return slog.LevelDebug
	}
	return l
}
