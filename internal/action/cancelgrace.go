package action

import (
	"context"
	"errors"
	"time"
)

// settle runs f, which makes something, so that a cancel does not abandon it mid-flight: when
// ctx ends first, f goes on for up to grace (Timing.CancelGrace). Its result is returned with ctx's error
// joined when ctx ended.
func finishPastCancel[T any](ctx context.Context, grace time.Duration, f func(context.Context) (T, error)) (T, error) {
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
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case r := <-done:
		return r.v, errors.Join(ctx.Err(), r.err)
	case <-t.C:
		var zero T
		return zero, ctx.Err()
	}
}
