// Package retry runs an operation again after errors its caller calls retryable, with
// exponential backoff and jitter (cenkalti/backoff), honouring a server's Retry-After, and never
// past the context's deadline.
package retry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// Policy shapes the waits between attempts.
type Policy struct {
	Initial time.Duration // first wait; 0 means 500ms
	Max     time.Duration // longest wait; 0 means 10s
	// MaxAttempts bounds the attempts that failed without the server saying when to come back;
	// 0 means until the context ends. A rate limit's Retry-After does not use up attempts: the
	// server is well and said when it will answer.
	MaxAttempts int
}

// Decide says whether err is worth another attempt, and how long the server asked to wait.
type Decide func(err error) (retry bool, after time.Duration)

// Retrier is an error that knows whether it is worth another attempt.
type Retrier interface {
	error
	Retry() (retry bool, after time.Duration)
}

// Retryable is the Decide for errors that carry a Retrier: retry what it says to, nothing else.
func Retryable(err error) (bool, time.Duration) {
	var r Retrier
	if errors.As(err, &r) {
		return r.Retry()
	}
	return false, 0
}

// Notify hears about each retry before its wait.
type Notify func(err error, wait time.Duration)

// Do calls op until it succeeds, decide refuses a retry, the attempts run out, or the next wait
// would pass ctx's deadline. It returns op's last error.
func Do(ctx context.Context, p Policy, op func(context.Context) error, decide Decide, notify Notify) error {
	b := p.backoff()
	failures := 0
	for {
		err := op(ctx)
		if err == nil {
			return nil
		}
		retry, after := decide(err)
		if after == 0 {
			failures++
		}
		if !retry || ctx.Err() != nil || (p.MaxAttempts > 0 && failures >= p.MaxAttempts) {
			return err
		}
		wait := b.NextBackOff()
		if after > wait {
			wait = after
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return fmt.Errorf("%w (no time left to retry)", err)
		}
		if notify != nil {
			notify(err, wait)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

func (p Policy) backoff() *backoff.ExponentialBackOff {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = 500 * time.Millisecond
	if p.Initial > 0 {
		b.InitialInterval = p.Initial
	}
	b.MaxInterval = 10 * time.Second
	if p.Max > 0 {
		b.MaxInterval = p.Max
	}
	b.RandomizationFactor = 0.5
	b.Multiplier = 2
	b.MaxElapsedTime = 0
	b.Reset()
	return b
}

// ErrRedirectRefused is a request redirected where its token must not go (another host or
// scheme): no retry can mend it.
var ErrRedirectRefused = errors.New("redirect refused")

// Unmendable reports whether a request that got no answer failed in a way a retry cannot mend:
// an untrusted certificate, or a refused redirect.
func Unmendable(err error) bool {
	return UntrustedCertificate(err) || errors.Is(err, ErrRedirectRefused)
}

// UntrustedCertificate reports whether a request failed in a way a retry cannot mend: the server's
// certificate is not trusted, or does not name it.
func UntrustedCertificate(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &host)
}
