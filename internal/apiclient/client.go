// Package apiclient provides the one HTTP client every front door sends an API token with, and
// the rule for the URLs it may send that token to.
package apiclient

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/retry"
)

// New is an HTTP client for a token-bearing API: each request may take timeout, and a redirect
// that changes scheme, host or port is refused.
func New(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, CheckRedirect: SameOrigin}
}

// SameOrigin refuses a redirect to another scheme, host or port. The RunPod key and the GitHub
// token are added by the clients' transports, below http.Client, so Go's rule of dropping
// Authorization on a redirect to another host does not protect them: they would follow.
func SameOrigin(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if from := via[0].URL; req.URL.Scheme != from.Scheme || req.URL.Host != from.Host {
		return fmt.Errorf("%w from %s://%s to %s://%s: the API token is sent only to the API's own host",
			retry.ErrRedirectRefused, from.Scheme, from.Host, req.URL.Scheme, req.URL.Host)
	}
	return nil
}

// ErrPlainHTTP is an API URL over plain http to a host other than this machine.
var ErrPlainHTTP = errors.New("must be https: http is allowed only for a loopback host (localhost, 127.0.0.1, ::1)")

// CheckURL refuses an http:// URL whose host is not loopback: a token sent over plain http
// anywhere else can be read on the way. Other schemes and malformed URLs are the caller's to judge.
func CheckURL(raw string) error {
	if u, err := url.Parse(raw); err == nil && u.Scheme == "http" && !Loopback(u.Hostname()) {
		return fmt.Errorf("%w, got %q", ErrPlainHTTP, raw)
	}
	return nil
}

// Loopback reports whether host names this machine.
func Loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
