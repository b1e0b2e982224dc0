package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/actions/scaleset"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakescaleset"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// TestScaleDeletesRunnersWithoutAPod: a runner of the scale set, named as the autoscaler names
// its runners, whose pod is gone (here: never existed) is deleted when the autoscaler starts.
func TestScaleDeletesRunnersWithoutAPod(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "rest", sandbox.Options{})
	_, url := w.StartScaleSets(fakescaleset.Options{LongPoll: 500 * time.Millisecond, SessionIdle: 5 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := scaleset.NewClientWithPersonalAccessToken(scaleset.NewClientWithPersonalAccessTokenConfig{GitHubConfigURL: url, PersonalAccessToken: sandbox.GitHubToken})
	if err != nil {
		t.Fatal(err)
	}
	group, err := c.GetRunnerGroupByName(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	set, err := c.CreateRunnerScaleSet(ctx, &scaleset.RunnerScaleSet{Name: "gpu-st", RunnerGroupID: group.ID,
		Labels: []scaleset.Label{{Name: "gpu-st", Type: "System"}}, RunnerSetting: scaleset.RunnerSetting{}})
	if err != nil {
		t.Fatal(err)
	}
	stray, err := c.GenerateJitRunnerConfig(ctx, &scaleset.RunnerScaleSetJitRunnerSetting{Name: "gpu-st-0badf00d"}, set.ID)
	if err != nil {
		t.Fatal(err)
	}
	listen := freeAddr(t)
	s := startScaler(t, w.ScaleConfig(url, listen, "30s", sandbox.ScaleSet{Name: "gpu-st", MaxRunners: 1}), listen)
	waitUntil(t, 30*time.Second, "/readyz", func() bool { return httpStatus(s.base+"/readyz") == http.StatusOK })
	if ref, err := c.GetRunner(ctx, stray.Runner.ID); err == nil && ref != nil {
		t.Errorf("the runner without a pod is still registered: %+v", ref)
	}
}
