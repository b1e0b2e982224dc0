package action

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// A create got no answer and the lookup that would settle it fails: the post step asks again,
// and when RunPod still cannot say, it fails naming the pod; when RunPod can, it removes it.
func TestPostSettlesACreateWithoutAnswer(t *testing.T) {
	t.Parallel()
	state := map[string]string{"phase": "create", "pending": "create", "label": "a", "pod-name": "gha-77-1-a"}
	for _, tc := range []struct {
		name    string
		listErr error
		want    []string
		wantErr string
	}{
		{name: "lookup_fails", listErr: &runpod.Error{Op: "list pods", Class: runpod.Transient, Status: 503, Message: "upstream unavailable"},
			wantErr: "could not settle pod gha-77-1-a"},
		{name: "lookup_answers", want: []string{"terminate ours001"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			seed(h)
			h.pods.listErr = tc.listErr
			for k, v := range state {
				h.env["STATE_"+k] = v
			}
			err := Post(context.Background(), h.config(t, true), h.deps())
			if (err == nil) != (tc.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("Post() = %v, want error %q", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, removals(h)); diff != "" {
				t.Errorf("removals mismatch (-want +got):\n%s", diff)
			}
			if tc.listErr != nil && strings.Count(strings.Join(h.pods.Calls(), ","), "list") != lostAttempts {
				t.Errorf("the post step asked %v, want %d lookups", h.pods.Calls(), lostAttempts)
			}
		})
	}
}

// A start whose cleanup could not settle a create is not recorded as cleaned, so its post step
// runs.
func TestFailedLookupIsNotCleaned(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.pods.listErr = errors.New("HTTP 503")
	s := newStart(h.config(t, false), h.deps(), h.deps().WF, "")
	if err := s.identify(); err != nil {
		t.Fatal(err)
	}
	if err := s.setPending(pendingCreate); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s.fail(ctx, context.Canceled)
	st := fileCommands(t, h.files["GITHUB_STATE"])
	if st["cleaned"] == "true" || st["pending"] != "create" {
		t.Errorf("state %v: a create nobody could settle was recorded as cleaned", st)
	}
	if !strings.Contains(h.out.String(), "could not settle pod") {
		t.Errorf("the failed start did not say what it could not settle:\n%s", h.out.String())
	}
}

// A resume is recorded (pod id, resumed, pending) before it is sent; a cancel that comes while
// it is in flight leaves the post step the pod to stop again.
func TestResumeIsRecordedBeforeTheCall(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"pod-id": "ours001"})
	seed(h)
	h.pods.pods["ours001"].Status = runpod.StatusExited
	h.pods.resumeErr = &runpod.Error{Op: "resume pod", Class: runpod.Canceled, Message: "context canceled"}
	s := newStart(h.config(t, false), h.deps(), h.deps().WF, "")
	if err := s.identify(); err != nil {
		t.Fatal(err)
	}
	_ = s.resume(context.Background(), h.pods.pods["ours001"])
	st := fileCommands(t, h.files["GITHUB_STATE"])
	want := map[string]string{"pod-id": "ours001", "provision-mode": "resumed", "pending": "resume"}
	for k, v := range want {
		if st[k] != v {
			t.Errorf("state %s = %q, want %q (state %v)", k, st[k], v, st)
		}
	}
}
