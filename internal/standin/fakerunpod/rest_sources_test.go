package fakerunpod

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sourcesServer is a REST server whose account has a network volume in US-TX-3 and a template.
func sourcesServer(t *testing.T) (*Server, string, func(method, path string, body any) restResponse) {
	t.Helper()
	srv, ts := newRESTServer(t, Options{})
	srv.AddNetworkVolume(NetworkVolume{ID: "vol2q9m7x4c", Name: "datasets", Size: 100, DataCenterID: "US-TX-3"})
	srv.AddTemplate(Template{ID: "tpl9x4m2p7v", Name: "torch", Image: "runpod/pytorch:2.4.0", Disk: 40, Ports: []string{"8888/http", "6006/http"}})
	return srv, ts.URL, func(method, path string, body any) restResponse {
		return call(t, srv, ts, testKey, method, path, body)
	}
}

// TestRESTNetworkVolumesAndTemplates: GET /v2/network-volumes/{id} and GET /v2/templates/{id}
// answer as RunPod's OpenAPI describes them, 404 for one the account does not have
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, getNetworkVolume, getTemplate).
func TestRESTNetworkVolumesAndTemplates(t *testing.T) {
	t.Parallel()
	_, _, do := sourcesServer(t)
	vol := do(http.MethodGet, "/v2/network-volumes/vol2q9m7x4c", nil)
	if vol.status != http.StatusOK || str(vol.json(t), "dataCenter") != "US-TX-3" {
		t.Errorf("network volume: %d %s", vol.status, vol.body)
	}
	tpl := do(http.MethodGet, "/v2/templates/tpl9x4m2p7v", nil)
	if diff := cmp.Diff([]any{"8888/http", "6006/http"}, tpl.json(t)["ports"]); tpl.status != http.StatusOK || diff != "" {
		t.Errorf("template: status %d; ports mismatch (-want +got):\n%s", tpl.status, diff)
	}
	for _, path := range []string{"/v2/network-volumes/nosuch", "/v2/templates/nosuch"} {
		if got := do(http.MethodGet, path, nil).status; got != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, got)
		}
	}
}

// TestRESTNetworkVolumePinsThePod: a pod mounts a network volume in the volume's data center
// only (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json,
// NetworkMount.volumeId): without dataCenterIds it lands there; with ones that leave it out it
// is refused.
func TestRESTNetworkVolumePinsThePod(t *testing.T) {
	t.Parallel()
	mount := map[string]any{"network": []any{map[string]any{"volumeId": "vol2q9m7x4c", "path": "/workspace"}}}
	for _, tc := range []struct {
		name   string
		body   map[string]any
		want   int
		wantDC string
	}{
		{name: "any data center", body: map[string]any{"mounts": mount}, want: http.StatusCreated, wantDC: "US-TX-3"},
		{name: "among the data centers", body: map[string]any{"mounts": mount, "dataCenterIds": []any{"EU-RO-1", "US-TX-3"}},
			want: http.StatusCreated, wantDC: "US-TX-3"},
		{name: "left out", body: map[string]any{"mounts": mount, "dataCenterIds": []any{"EU-RO-1"}}, want: http.StatusBadRequest},
		{name: "no such volume", body: map[string]any{"mounts": map[string]any{"network": []any{
			map[string]any{"volumeId": "nosuch", "path": "/workspace"}}}}, want: http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, _, do := sourcesServer(t)
			resp := do(http.MethodPost, "/v2/pods", with(createBody(), tc.body))
			if resp.status != tc.want || tc.wantDC != "" && str(resp.json(t), "dataCenterId") != tc.wantDC {
				t.Errorf("create: %d %s; want %d in %q", resp.status, resp.body, tc.want, tc.wantDC)
			}
		})
	}
}

// TestRESTTemplateFillsWhatTheCreateLeavesOut: explicit fields override the template's
// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, CreatePodRequest.templateId).
func TestRESTTemplateFillsWhatTheCreateLeavesOut(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		ports any
		want  []any
	}{
		{name: "ports left out", ports: nil, want: []any{"8888/http", "6006/http"}},
		{name: "ports given", ports: []any{"22/tcp"}, want: []any{"22/tcp"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, _, do := sourcesServer(t)
			pod := do(http.MethodPost, "/v2/pods", with(createBody(), map[string]any{"image": nil, "templateId": "tpl9x4m2p7v",
				"ports": tc.ports})).json(t)
			if diff := cmp.Diff(tc.want, pod["ports"]); diff != "" || str(pod, "image") != "runpod/pytorch:2.4.0" {
				t.Errorf("pod %v: ports mismatch (-want +got):\n%s", pod, diff)
			}
		})
	}
}

// TestGraphQLNetworkVolumes: myself.networkVolumes lists the account's volumes, and a create
// in another data center than its volume's fails.
func TestGraphQLNetworkVolumes(t *testing.T) {
	t.Parallel()
	_, url, _ := sourcesServer(t)
	got := post(t, url, testKey, `query { myself { networkVolumes { id dataCenterId } } }`, nil).body
	if want := `{"data":{"myself":{"networkVolumes":[{"id":"vol2q9m7x4c","dataCenterId":"US-TX-3"}]}}}`; got != want {
		t.Errorf("networkVolumes = %s, want %s", got, want)
	}
	create := `mutation($in: PodFindAndDeployOnDemandInput) { podFindAndDeployOnDemand(input: $in) { id } }`
	in := map[string]any{"name": "p", "imageName": "runpod/base:0.6.2", "gpuTypeId": "NVIDIA GeForce RTX 4090", "gpuCount": 1,
		"cloudType": "SECURE", "networkVolumeId": "vol2q9m7x4c", "dataCenterId": "EU-RO-1"}
	if body := post(t, url, testKey, create, map[string]any{"in": in}).body; at(decode(t, body), "errors") == nil {
		t.Errorf("create in EU-RO-1 with a volume in US-TX-3 = %s, want an error", body)
	}
}
