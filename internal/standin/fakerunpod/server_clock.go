package fakerunpod

import "time"

// Clock is the stand-in's time: when requests arrive, the rate limiter's
// windows, and the pod life cycle (boot delay, ports delay, stopAfter and
// terminateAfter). A test that moves it on crosses those at once.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine once d has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc call.
type Timer interface {
	// Stop cancels the call; it reports false if the call has already
	// been made or cancelled.
	Stop() bool
}

// realClock is the wall clock, used by e2e and the sandbox.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }
