package fakescaleset

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"github.com/actions/scaleset"
	"github.com/google/go-cmp/cmp"
)

// TestRequeueWhenNobodyAcquires: a job available to a scale set whose listener does not acquire
// it is cancelled (JobCompleted, canceled) and offered again, three times in all, then given up;
// the statistics count it as assigned while it waits.
func TestRequeueWhenNobodyAcquires(t *testing.T) {
	t.Parallel()
	w := newWorld(t, Options{LongPoll: 200 * time.Millisecond, AcquireTimeout: 100 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := w.client(t)
	set := scaleSetOf(t, ctx, c, "gpu")
	session, err := c.MessageSessionClient(ctx, set.ID, "owner")
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close(context.Background())
	w.fake.Queue([]string{"gpu"}, "true")
	var kinds []string
	last, sawAssigned := 0, false
	for len(kinds) < 6 && ctx.Err() == nil {
		msg, err := session.GetMessage(ctx, last, 1)
		if err != nil {
			t.Fatal(err)
		}
		if msg == nil {
			continue
		}
		last = msg.MessageID
		sawAssigned = sawAssigned || msg.Statistics.TotalAssignedJobs == 1
		for range msg.JobAvailableMessages {
			kinds = append(kinds, "available")
		}
		for _, m := range msg.JobCompletedMessages {
			kinds = append(kinds, "completed:"+m.Result)
		}
		if err := session.DeleteMessage(ctx, msg.MessageID); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"available", "completed:canceled", "available", "completed:canceled", "available", "completed:canceled"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("job messages (-want +got):\n%s", diff)
	}
	if !sawAssigned {
		t.Error("no message counted the waiting job in TotalAssignedJobs")
	}
	if j := w.fake.Jobs()[0]; j.State != StateCompleted || j.Result != "canceled" {
		t.Errorf("job after three unacquired assignments: %+v, want completed canceled", j)
	}
}

// TestGitHubAppAuth: the client exchanges a GitHub App's JWT for an installation token, and
// that for the registration token; a key the App does not have is refused.
func TestGitHubAppAuth(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	w := newWorld(t, Options{App: &App{ClientID: "Iv1.test", InstallationID: 77, PublicKey: &key.PublicKey}})
	pemOf := func(k *rsa.PrivateKey) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, tc := range []struct {
		name string
		key  *rsa.PrivateKey
		ok   bool
	}{{name: "right_key", key: key, ok: true}, {name: "wrong_key", key: other}} {
		c, err := scaleset.NewClientWithGitHubApp(scaleset.ClientWithGitHubAppConfig{GitHubConfigURL: w.url,
			GitHubAppAuth: scaleset.GitHubAppAuth{ClientID: "Iv1.test", InstallationID: 77, PrivateKey: pemOf(tc.key)}},
			scaleset.WithRetryMax(0))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetRunnerGroupByName(ctx, "default")
		if (err == nil) != tc.ok {
			t.Errorf("%s: GetRunnerGroupByName err %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}
