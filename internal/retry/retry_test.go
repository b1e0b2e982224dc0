package retry

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

var errAgain, errStop = errors.New("again"), errors.New("stop")

func decide(err error) (bool, time.Duration) { return errors.Is(err, errAgain), 0 }

func TestDo(t *testing.T) {
	t.Parallel()
	fast := Policy{Initial: time.Millisecond, Max: 2 * time.Millisecond}
	for _, tc := range []struct {
		name      string
		policy    Policy
		errs      []error // what op returns on each call; nil ends
		wantCalls int
		wantErr   error
	}{
		{name: "succeeds_after_retries", policy: fast, errs: []error{errAgain, errAgain, nil}, wantCalls: 3},
		{name: "stops_on_permanent_error", policy: fast, errs: []error{errAgain, errStop, nil}, wantCalls: 2, wantErr: errStop},
		{name: "attempts_run_out", policy: Policy{Initial: time.Millisecond, MaxAttempts: 2}, errs: []error{errAgain, errAgain, nil}, wantCalls: 2, wantErr: errAgain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			calls := 0
			err := Do(context.Background(), tc.policy, func(context.Context) error {
				calls++
				return tc.errs[calls-1]
			}, decide, nil)
			if calls != tc.wantCalls || !errors.Is(err, tc.wantErr) {
				t.Errorf("Do() = %v after %d calls; want %v after %d", err, calls, tc.wantErr, tc.wantCalls)
			}
		})
	}
}

func TestDoHonoursRetryAfterAndDeadline(t *testing.T) {
	t.Parallel()
	var waits []time.Duration
	calls := 0
	err := Do(context.Background(), Policy{Initial: time.Millisecond}, func(context.Context) error {
		if calls++; calls == 1 {
			return errAgain
		}
		return nil
	}, func(error) (bool, time.Duration) { return true, 120 * time.Millisecond },
		func(_ error, wait time.Duration) { waits = append(waits, wait) })
	if err != nil || len(waits) != 1 || waits[0] < 120*time.Millisecond {
		t.Errorf("Do() = %v with waits %v; want one wait of at least the server's 120ms", err, waits)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	err = Do(ctx, Policy{Initial: time.Second}, func(context.Context) error { return errAgain }, decide, nil)
	if !errors.Is(err, errAgain) || !strings.Contains(err.Error(), "no time left") || time.Since(t0) > 40*time.Millisecond {
		t.Errorf("Do() = %v after %s; want it to give up at once when the wait passes the deadline", err, time.Since(t0))
	}
}

func TestPoll(t *testing.T) {
	t.Parallel()
	var at []time.Time
	err := Poll(context.Background(), Interval{Initial: 40 * time.Millisecond, Max: 80 * time.Millisecond, Near: time.Millisecond},
		func(context.Context) (State, error) {
			at = append(at, time.Now())
			switch len(at) {
			case 1, 2:
				return Waiting, nil
			case 6:
				return Done, nil
			}
			return Close, nil
		})
	if err != nil || len(at) != 6 {
		t.Fatalf("Poll() = %v after %d checks, want done after 6", err, len(at))
	}
	if far, near := at[1].Sub(at[0]), at[4].Sub(at[3]); far < 30*time.Millisecond || near > 20*time.Millisecond {
		t.Errorf("gaps: %s while waiting, %s while close; want long then short", far, near)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err = Poll(ctx, Interval{Initial: time.Millisecond}, func(context.Context) (State, error) { return Waiting, nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Poll() past its deadline = %v", err)
	}
	err = Poll(context.Background(), Interval{}, func(context.Context) (State, error) { return Waiting, errStop })
	if !errors.Is(err, errStop) {
		t.Errorf("Poll() with a failing check = %v", err)
	}
}
