package action

import (
	"context"
	"errors"
	"time"
)

// cancelGrace is how long a call that makes something (a pod, a runner registration) may go on
// after its step is cancelled, so that what it made is known and can be removed rather than
// left behind unrecorded.
const cancelGrace = 3 * time.Second

// settle runs f, which makes something, so that a cancel does not abandon it mid-flight: when
// ctx ends first, f goes on for up to cancelGrace. Its result is returned with ctx's error
// joined when ctx ended.
func finishPastCancel[T any](ctx context.Context, f func(context.Context) (T, error)) (T, error) {
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f(fctx)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
	}
	t := time.NewTimer(cancelGrace)
	defer t.Stop()
	select {
	case r := <-done:
		return r.v, errors.Join(ctx.Err(), r.err)
	case <-t.C:
		var zero T
		return zero, ctx.Err()
	}
}
