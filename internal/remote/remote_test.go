package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakepod"
)

// startPod boots a real sshd that trusts key, and returns its address.
func startPod(t *testing.T, h *fakepod.Host, id string, key *Key) string {
	t.Helper()
	ip, port, err := h.Start(id, map[string]string{"PUBLIC_KEY": key.AuthorizedKey})
	if err != nil {
		t.Fatal(err)
	}
	return net.JoinHostPort(ip, fmt.Sprint(port))
}

func newHost(t *testing.T) *fakepod.Host {
	t.Helper()
	h, err := fakepod.NewHost(t.TempDir())
	if err != nil {
		t.Fatal(err) // sshd is required: make test installs openssh-server
	}
	t.Cleanup(func() { _ = h.Close() })
	return h
}

func mustKey(t *testing.T) *Key {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestRunOverOneConnection(t *testing.T) {
	t.Parallel()
	h, key := newHost(t), mustKey(t)
	addr := startPod(t, h, "podrun1", key)
	d := &Dialer{User: "root", Key: key, Pin: &Pin{}}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := d.Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i := 0; i < 3; i++ {
		var out, errOut bytes.Buffer
		if err := conn.Run(ctx, "read -r secret; echo \"got ${#secret} bytes\"", strings.NewReader("hunter2\n"), &out, &errOut); err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(out.String()); got != "got 7 bytes" {
			t.Errorf("run %d: output %q", i, got)
		}
	}
	err = conn.Run(ctx, "exit 3", strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if got := ExitStatus(err); got != 3 {
		t.Errorf("ExitStatus = %d, want 3 (%v)", got, err)
	}
	if attempts, conns := d.Stats(); conns != 1 || attempts != 1 {
		t.Errorf("Stats() = %d attempts, %d connections; want 1, 1", attempts, conns)
	}
}

func TestChangedHostKeyIsRefused(t *testing.T) {
	t.Parallel()
	h, key := newHost(t), mustKey(t)
	pin := &Pin{}
	d := &Dialer{User: "root", Key: key, Pin: pin}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := d.Dial(ctx, startPod(t, h, "podpin1", key))
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	first := pin.Key()
	// The same pod comes back with a new container disk, so a new host key.
	if err := h.Stop("podpin1"); err != nil {
		t.Fatal(err)
	}
	addr := startPod(t, h, "podpin1", key)
	t0 := time.Now()
	_, err = d.Dial(ctx, addr)
	if !errors.Is(err, ErrHostKeyChanged) {
		t.Fatalf("Dial() = %v, want ErrHostKeyChanged", err)
	}
	if time.Since(t0) > 5*time.Second {
		t.Errorf("a changed host key was retried for %s", time.Since(t0))
	}
	if pin.Key() != first {
		t.Error("the pin changed")
	}
	// A pin carried over from state is enforced too.
	carried, err := PinFrom(first)
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&Dialer{User: "root", Key: key, Pin: carried}).Dial(ctx, addr)
	if !errors.Is(err, ErrHostKeyChanged) {
		t.Errorf("Dial() with a carried pin = %v, want ErrHostKeyChanged", err)
	}
}

func TestDialRetriesUntilDeadline(t *testing.T) {
	t.Parallel()
	silent, err := net.Listen("tcp", "127.0.0.1:0") // accepts TCP, never speaks SSH
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = silent.Close() })
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	h, key := newHost(t), mustKey(t)
	untrusted := startPod(t, h, "podother", mustKey(t))
	for _, tc := range []struct {
		name, addr, want string
	}{
		{name: "nothing_listening", addr: "127.0.0.1:1", want: "connection refused"},
		{name: "tcp_before_sshd", addr: silent.Addr().String(), want: "handshake failed"},
		{name: "key_not_yet_trusted", addr: untrusted, want: "unable to authenticate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := &Dialer{User: "root", Key: key, Pin: &Pin{}, HandshakeTimeout: 500 * time.Millisecond}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			t0 := time.Now()
			_, err := d.Dial(ctx, tc.addr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Dial() = %v, want an error with %q", err, tc.want)
			}
			if elapsed := time.Since(t0); elapsed > 3*time.Second {
				t.Errorf("Dial() took %s past its 2s deadline", elapsed)
			}
			if attempts, _ := d.Stats(); attempts < 2 {
				t.Errorf("Dial() made %d attempts, want retries", attempts)
			}
		})
	}
}

func TestParseKey(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	parsed, err := ParseKey(k.PEM)
	if err != nil {
		t.Fatal(err)
	}
	if parsed.AuthorizedKey != k.AuthorizedKey {
		t.Errorf("ParseKey() public key %q, want %q", parsed.AuthorizedKey, k.AuthorizedKey)
	}
	_, err = ParseKey("-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-key\n-----END OPENSSH PRIVATE KEY-----")
	if err == nil || strings.Contains(err.Error(), "not-a-key") {
		t.Errorf("ParseKey(garbage) = %v; want an error that does not echo the key", err)
	}
}

func TestRunReturnsSoonAfterCancel(t *testing.T) {
	t.Parallel()
	h, key := newHost(t), mustKey(t)
	addr := startPod(t, h, "podcancel", key)
	conn, err := (&Dialer{User: "root", Key: key, Pin: &Pin{}}).Dial(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	err = conn.Run(ctx, "while true; do sleep 0.1; done", strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) > 3*time.Second {
		t.Errorf("Run() = %v after %s; want the deadline within a few seconds", err, time.Since(t0))
	}
	var out, errOut bytes.Buffer
	if err := conn.Run(context.Background(), "echo still here", strings.NewReader(""), &out, &errOut); err != nil || out.String() != "still here\n" {
		t.Errorf("the connection is not usable after a cancelled command: %v %q", err, out.String())
	}
}
