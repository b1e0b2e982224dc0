package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakescaleset"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// TestScaleDataCenterBreaker: the first data center of data-center-ids has no capacity: the
// pod is created in the second, and the breaker skips the first for its cool-down (the next
// runner is created in the second alone), which the log and /metrics show.
func TestScaleDataCenterBreaker(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "rest", sandbox.Options{})
	w.RunPod.SetDataCenterCapacity("EU-RO-1", false)
	fs, url := w.StartScaleSets(fakescaleset.Options{LongPoll: 500 * time.Millisecond, SessionIdle: 5 * time.Second})
	listen := freeAddr(t)
	set := sandbox.ScaleSet{Name: "gpu-dc", MaxRunners: 1, Extra: "    data-center-ids: [EU-RO-1, US-TX-3]\n"}
	s := startScaler(t, w.ScaleConfig(url, listen, "30s", set), listen)
	waitUntil(t, 30*time.Second, "/readyz", func() bool { return httpStatus(s.base+"/readyz") == http.StatusOK })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for range 2 {
		fs.Queue([]string{"gpu-dc"}, "echo in the second data center")
		if err := fs.WaitDone(ctx); err != nil {
			t.Fatalf("%v: %+v", err, fs.Jobs())
		}
	}
	for _, p := range w.RunPod.Pods() {
		if p.DataCenterID != "US-TX-3" {
			t.Errorf("pod %s in %q, want every pod in the second data center", p.ID, p.DataCenterID)
		}
	}
	first := 0
	for _, r := range w.RunPod.Requests() {
		if r.Operation == "createPod" && strings.Contains(r.Body, `"EU-RO-1"`) {
			first++
		}
	}
	if first != 1 {
		t.Errorf("%d creates asked for the first data center, want 1: the breaker skips it afterwards", first)
	}
	if m := scrape(t, s.base); m["runpod_runner_scale_data_center_breaker_open{data_center=EU-RO-1}"] != 1 {
		t.Errorf("data_center_breaker_open for the first data center %v, want 1", m["runpod_runner_scale_data_center_breaker_open{data_center=EU-RO-1}"])
	}
	if !strings.Contains(s.out.String(), `msg="skipping data center" scale_set=gpu-dc data_center=EU-RO-1 reason="no capacity"`) {
		t.Errorf("the log does not say the breaker skips the first data center:\n%s", s.out.String())
	}
}
