package main

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"time"
)

// Behaviours the server may ask for.
const (
	behaviourCrash       = "crash"
	behaviourNeverOnline = "never-online"
)

const registrationDeleted = "The runner registration has been deleted from the server, please re-configure. " +
	"Runner registrations are automatically deleted for runners that have not connected to the service recently."

// serverSettings is the broker's answer to GET config.
type serverSettings struct {
	Behaviour       string `json:"behaviour"`
	PollMillis      int64  `json:"pollMillis"`
	HeartbeatMillis int64  `json:"heartbeatMillis"`
	GiveUpMillis    int64  `json:"giveUpMillis"`
	StartMillis     int64  `json:"startMillis"`
}

// jobMessage is a job delivered by a long poll.
type jobMessage struct {
	JobID  int64  `json:"jobId"`
	Script string `json:"script"`
}

// listener is one run of the runner: connect, take one job, exit.
type listener struct {
	out       *console
	b         *brokerClient
	cfg       config
	root      string
	version   string
	poll      time.Duration
	heartbeat time.Duration
}

// newListener returns a listener for the loaded configuration.
func newListener(out *console, cfg config, root, version string) *listener {
	return &listener{
		out: out, cfg: cfg, root: root, version: version,
		b:    newBrokerClient(cfg.settings.ServerURLV2, cfg.token),
		poll: 30 * time.Second, heartbeat: 5 * time.Second,
	}
}

// run goes online, waits for one job and runs it. A signal before the job
// arrives ends the session and returns nil.
func (l *listener) run(ctx context.Context) error {
	st, err := l.settings(ctx)
	for err == nil && st.Behaviour == behaviourNeverOnline {
		l.out.info("The server asks this listener not to go online; waiting")
		if sleep(ctx, l.heartbeat) != nil {
			return nil
		}
		st, err = l.settings(ctx)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return nil
	case err != nil:
		return err
	case st.Behaviour == behaviourCrash:
		return exitf(1, "Unhandled exception. System.InvalidOperationException: listener crash requested by the server")
	}
	if sleep(ctx, time.Duration(st.StartMillis)*time.Millisecond) != nil { // the real runner's own start-up
		return nil
	}
	sid, err := l.connect(ctx)
	if errors.Is(err, context.Canceled) {
		return nil
	} else if err != nil {
		return err
	}
	l.out.say("\n√ Connected to GitHub\n")
	l.out.say("Current runner version: '%s'", l.version)
	l.out.stamp("Listening for Jobs")
	job, err := l.nextJob(ctx, sid)
	if errors.Is(err, context.Canceled) {
		l.disconnect(sid)
		return nil
	} else if err != nil {
		return err
	}
	return l.work(ctx, job)
}

// settings fetches the behaviour and timings from the broker.
func (l *listener) settings(ctx context.Context) (serverSettings, error) {
	var st serverSettings
	status, err := l.b.call(ctx, http.MethodGet, "config", nil, &st, callTimeout)
	if err := l.check(status, err, http.StatusOK); err != nil {
		return st, err
	}
	ms := func(n int64, def time.Duration) time.Duration {
		if n <= 0 {
			return def
		}
		return time.Duration(n) * time.Millisecond
	}
	l.poll = ms(st.PollMillis, l.poll)
	l.heartbeat = ms(st.HeartbeatMillis, l.heartbeat)
	l.b.giveUp = ms(st.GiveUpMillis, l.b.giveUp)
	return st, nil
}

// connect creates the broker session, which brings the runner online. A
// conflicting session is retried until the give-up time has passed.
func (l *listener) connect(ctx context.Context) (string, error) {
	began := time.Now()
	for {
		var s struct {
			SessionID string `json:"sessionId"`
		}
		in := map[string]string{"os": osName(), "version": l.version}
		status, err := l.b.call(ctx, http.MethodPost, "sessions", in, &s, callTimeout)
		if status != http.StatusConflict || err != nil {
			return s.SessionID, l.check(status, err, http.StatusCreated)
		}
		l.out.info("A session for this runner already exists.")
		if time.Since(began) > l.b.giveUp {
			return "", exitf(1, "A session for this runner already exists.")
		}
		if err := sleep(ctx, l.heartbeat); err != nil {
			return "", err
		}
	}
}

// nextJob long-polls until a job arrives.
func (l *listener) nextJob(ctx context.Context, sid string) (jobMessage, error) {
	for {
		var m jobMessage
		status, err := l.b.call(ctx, http.MethodGet, "sessions/"+sid+"/message", nil, &m, l.poll+callTimeout)
		if status == http.StatusNoContent && err == nil {
			continue
		}
		return m, l.check(status, err, http.StatusOK)
	}
}

// disconnect deletes the broker session so that the runner goes offline.
func (l *listener) disconnect(sid string) {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	status, err := l.b.once(ctx, http.MethodDelete, "sessions/"+sid, nil, nil, callTimeout)
	l.out.info("Deleted session %s: status %d, error %v", sid, status, err)
	l.out.say("Exiting...")
}

// check turns an unexpected broker answer into an exit error.
func (l *listener) check(status int, err error, want int) error {
	switch {
	case err != nil && errors.Is(err, context.Canceled):
		return err
	case err != nil:
		return exitf(1, "Failed to connect to the server: %v", err)
	case status == want:
		return nil
	case status == http.StatusUnauthorized:
		return exitf(1, "%s", registrationDeleted)
	case status == http.StatusNotFound:
		return exitf(1, "The runner session has expired or was deleted on the server.")
	}
	return exitf(1, "Unexpected answer from the server: HTTP %d", status)
}

// osName is the OS name the runner reports.
func osName() string {
	switch runtime.GOOS {
	case "linux":
		return "Linux"
	case "darwin":
		return "macOS"
	case "windows":
		return "Windows"
	}
	return runtime.GOOS
}
