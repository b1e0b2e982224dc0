package remote

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestHostKeyExpectations: a Pin from Expect lets in only the pod whose host key has that
// fingerprint; a Pin from RefuseNew refuses at once and names the key it saw, without retrying.
func TestHostKeyExpectations(t *testing.T) {
	t.Parallel()
	h, key := newHost(t), mustKey(t)
	addr := startPod(t, h, "podhk1", key)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	first := &Pin{}
	conn, err := (&Dialer{User: "root", Key: key, Pin: first}).Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.Close()
	fp := first.Fingerprint()

	refusing := &Dialer{User: "root", Key: key, Pin: RefuseNew()}
	_, err = refusing.Dial(ctx, addr)
	var unknown *UnknownHostKeyError
	if !errors.As(err, &unknown) || unknown.Fingerprint != fp || !Refused(err) {
		t.Fatalf("RefuseNew dial = %v, want an UnknownHostKeyError naming %s", err, fp)
	}
	if attempts, _ := refusing.Stats(); attempts != 1 {
		t.Errorf("a refused host key was tried %d times, want 1", attempts)
	}

	wrong := &Dialer{User: "root", Key: key, Pin: Expect("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")}
	if _, err := wrong.Dial(ctx, addr); !errors.Is(err, ErrHostKeyMismatch) || !strings.Contains(err.Error(), fp) {
		t.Fatalf("dial expecting another key = %v, want ErrHostKeyMismatch naming %s", err, fp)
	}

	conn, err = (&Dialer{User: "root", Key: key, Pin: Expect(fp)}).Dial(ctx, addr)
	if err != nil {
		t.Fatalf("dial expecting the pod's own key: %v", err)
	}
	defer conn.Close()
	var out, errOut bytes.Buffer // one each: the session copies stdout and stderr at once
	if err := conn.Run(ctx, "echo ok", nil, &out, &errOut); err != nil || strings.TrimSpace(out.String()) != "ok" {
		t.Fatalf("run = %v, stdout %q, stderr %q", err, out.String(), errOut.String())
	}
}

// TestShellWithPTY: the interactive shell gets a terminal and passes its exit status through.
func TestShellWithPTY(t *testing.T) {
	t.Parallel()
	h, key := newHost(t), mustKey(t)
	addr := startPod(t, h, "podpty1", key)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := (&Dialer{User: "root", Key: key, Pin: &Pin{}}).Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	out := &syncBuffer{}
	in, typing := io.Pipe()
	go func() {
		_, _ = io.WriteString(typing, "tty; stty size\n")
		for !strings.Contains(out.String(), "30 100") && ctx.Err() == nil { // a person reads before typing on
			time.Sleep(20 * time.Millisecond)
		}
		_, _ = io.WriteString(typing, "exit 7\n")
	}()
	err = conn.Shell(ctx, Terminal{Cols: 100, Rows: 30}, in, out, out)
	if ExitStatus(err) != 7 {
		t.Fatalf("shell = %v, want exit status 7\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "/dev/pts/") {
		t.Errorf("shell output lacks a PTY:\n%s", out.String())
	}
}
