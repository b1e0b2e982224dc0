package action

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

func (f *fakePods) NetworkVolume(_ context.Context, id string) (*runpod.NetworkVolume, error) {
	f.record("network-volume %s", id)
	v, ok := f.volumes[id]
	if !ok {
		return nil, &runpod.Error{Op: "get network volume", Class: runpod.NotFound, Message: "not found"}
	}
	return &v, nil
}

func (f *fakePods) Template(_ context.Context, id string) (*runpod.Template, error) {
	f.record("template %s", id)
	t, ok := f.templates[id]
	if !ok {
		return nil, &runpod.Error{Op: "get template", Class: runpod.NotFound, Message: "not found"}
	}
	return &t, nil
}

// TestNetworkVolumePinsTheDataCenter: RunPod mounts a network volume only in its own data center
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, NetworkMount.volumeId),
// so the pod is created there; data-center-ids that leave it out fail before any pod, naming both.
func TestNetworkVolumePinsTheDataCenter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		inputs  map[string]string
		wantDCs []string // of the creates
		wantErr []string // what the error names
	}{
		{name: "any_data_center", inputs: map[string]string{}, wantDCs: []string{"US-KS-2"}},
		{name: "among_data_center_ids", inputs: map[string]string{"data-center-ids": "EU-RO-1, US-KS-2"}, wantDCs: []string{"US-KS-2"}},
		{name: "left_out", inputs: map[string]string{"data-center-ids": "EU-RO-1"},
			wantErr: []string{"data-center-ids", "network-volume-id", "EU-RO-1", "US-KS-2"}},
		{name: "no_such_volume", inputs: map[string]string{"network-volume-id": "nosuch1"}, wantErr: []string{"network-volume-id", "nosuch1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inputs := map[string]string{"network-volume-id": "vol2q9m7x4c"}
			for k, v := range tc.inputs {
				inputs[k] = v
			}
			h := newHarness(t, inputs)
			h.pods.volumes = map[string]runpod.NetworkVolume{"vol2q9m7x4c": {ID: "vol2q9m7x4c", DataCenterID: "US-KS-2"}}
			err := Start(context.Background(), h.config(t, false), h.deps())
			for _, want := range tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("Start() = %v, want an error naming %q", err, want)
				}
			}
			if tc.wantErr == nil && err != nil {
				t.Fatalf("Start() = %v\n%s", err, h.out.String())
			}
			var dcs []string
			if h.pods.created > 0 {
				dcs = append(dcs, h.pods.lastCreate.DataCenterID)
			}
			if diff := cmp.Diff(tc.wantDCs, dcs); diff != "" {
				t.Errorf("data center of the create mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTemplateKeepsItsPorts: a create's ports replace the template's (explicit fields override
// it, https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json,
// CreatePodRequest.templateId), so the create sends the template's ports with 22/tcp and the
// ports input.
func TestTemplateKeepsItsPorts(t *testing.T) {
	t.Parallel()
	h := newHarness(t, map[string]string{"template-id": "tpl9x4m2p7v", "ports": "9000/tcp, 8888/http"})
	h.pods.templates = map[string]runpod.Template{"tpl9x4m2p7v": {ID: "tpl9x4m2p7v", Ports: []string{"8888/http", "6006/http"}}}
	if err := Start(context.Background(), h.config(t, false), h.deps()); err != nil {
		t.Fatalf("Start() = %v\n%s", err, h.out.String())
	}
	if diff := cmp.Diff([]string{"8888/http", "6006/http", "9000/tcp"}, h.pods.lastCreate.Ports); diff != "" {
		t.Errorf("ports of the create mismatch (-want +got):\n%s", diff)
	}
}
