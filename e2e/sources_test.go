package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunpod"
	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// TestNetworkVolumeAndTemplateShapeTheCreate: a pod mounts a network volume only in the volume's
// data center, and a create's ports replace its template's
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, NetworkMount.volumeId,
// CreatePodRequest.templateId). The pod lands in the volume's data center with the template's
// ports and 22/tcp; data-center-ids that leave that data center out fail before any pod,
// naming both inputs.
func TestNetworkVolumeAndTemplateShapeTheCreate(t *testing.T) {
	t.Parallel()
	forEachAPI(t, func(t *testing.T, api string) {
		w := newWorld(t, api, sandbox.Options{})
		w.RunPod.AddNetworkVolume(fakerunpod.NetworkVolume{ID: "vol2q9m7x4c", Name: "datasets", Size: 50, DataCenterID: "US-TX-3"})
		w.RunPod.AddTemplate(fakerunpod.Template{ID: "tpl9x4m2p7v", Name: "torch", Ports: []string{"8888/http", "6006/http"}})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		in := map[string]string{"network-volume-id": "vol2q9m7x4c", "template-id": "tpl9x4m2p7v",
			"volume-mount-path": filepath.Join(w.Dir, "netvol"), "data-center-ids": "EU-RO-1"}
		refused, _, err := w.job("refused").Start(ctx, in)
		if err != nil || refused.ExitCode != 1 || !strings.Contains(refused.Stdout, "data-center-ids") ||
			!strings.Contains(refused.Stdout, "network-volume-id") || len(w.RunPod.Pods()) != 0 {
			t.Fatalf("start with the volume's data center left out: %v (exit %d), want a failure naming both inputs and no pod\n%s",
				err, refused.ExitCode, refused.Stdout)
		}
		in["data-center-ids"] = "EU-RO-1, US-TX-3"
		main, post, err := w.job("start").Start(ctx, in)
		if err != nil || main.ExitCode != 0 {
			t.Fatalf("start: %v (exit %d)\n%s", err, main.ExitCode, main.Stdout)
		}
		pods := w.RunPod.Pods()
		if len(pods) != 1 || pods[0].DataCenterID != "US-TX-3" || pods[0].Ports != "22/tcp,8888/http,6006/http" {
			t.Errorf("pods = %+v, want one in US-TX-3 with ports 22/tcp,8888/http,6006/http", pods)
		}
		if stop, err := w.job("stop").Stop(ctx, map[string]string{"pod-id": main.Outputs["pod-id"]}); err != nil || stop.ExitCode != 0 {
			t.Fatalf("stop: %v\n%s", err, stop.Stdout)
		}
		if post.ExitCode != 0 {
			t.Errorf("post step: exit %d\n%s", post.ExitCode, post.Stdout)
		}
		w.checkEmpty(t)
	})
}
