package fakerunpod

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRESTCreatePlacement(t *testing.T) {
	t.Parallel()
	notPlaced := &problemOf{ContentType: "application/problem+json", Status: 400, Detail: MsgNotPlaced}
	gpu := func(extra map[string]any) map[string]any {
		return with(map[string]any{"id": "NVIDIA GeForce RTX 4090"}, extra)
	}
	type placement struct {
		Cloud, DataCenter string
	}
	tests := []struct {
		name  string
		setup func(srv *Server)
		body  map[string]any // changes to createBody()
		want  *placement     // where the pod lands, if it does
		fail  *problemOf     // why it does not
	}{
		{name: "default placement", want: &placement{"SECURE", "EU-RO-1"}},
		{name: "GPU type out", setup: func(s *Server) { s.SetCapacity("NVIDIA GeForce RTX 4090", false) }, fail: notPlaced},
		{name: "other GPU types unaffected", setup: func(s *Server) { s.SetCapacity("NVIDIA L4", false) }, want: &placement{"SECURE", "EU-RO-1"}},
		{name: "data center out, any data center", setup: func(s *Server) { s.SetDataCenterCapacity("EU-RO-1", false) },
			want: &placement{"SECURE", "US-TX-3"}},
		{name: "data center out, that data center", setup: func(s *Server) { s.SetDataCenterCapacity("EU-RO-1", false) },
			body: map[string]any{"dataCenterIds": []any{"EU-RO-1"}}, fail: notPlaced},
		{name: "data centers in order of preference", body: map[string]any{"dataCenterIds": []any{"CA-MTL-1", "EU-RO-1"}},
			want: &placement{"SECURE", "CA-MTL-1"}},
		{name: "first preference out", setup: func(s *Server) { s.SetDataCenterCapacity("CA-MTL-1", false) },
			body: map[string]any{"dataCenterIds": []any{"CA-MTL-1", "EU-RO-1"}}, want: &placement{"SECURE", "EU-RO-1"}},
		{name: "unknown data center", body: map[string]any{"dataCenterIds": []any{"XX-NO-1"}}, fail: notPlaced},
		{name: "secure cloud out", setup: func(s *Server) { s.SetCloudCapacity(Secure, false) }, fail: notPlaced},
		{name: "community cloud", body: map[string]any{"cloud": "COMMUNITY"}, want: &placement{"COMMUNITY", "EU-RO-1"}},
		{name: "cloud defaults to secure", body: map[string]any{"cloud": nil}, want: &placement{"SECURE", "EU-RO-1"}},
		{name: "secure-only type in community", body: map[string]any{"cloud": "COMMUNITY", "gpu": gpu(map[string]any{"id": "NVIDIA A40"})}, fail: notPlaced},
		// A count above the type's maxCount is a rule the upstream rejects, not a placement
		// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, GpuConfig.count).
		{name: "too many GPUs", body: map[string]any{"gpu": gpu(map[string]any{"count": 9})},
			fail: &problemOf{ContentType: "application/problem+json", Status: 400, Detail: "gpu.count 9 is above the maximum of 8 for NVIDIA GeForce RTX 4090."}},
		{name: "CUDA version no machine has", body: map[string]any{"gpu": gpu(map[string]any{"allowedCudaVersions": []any{"12.4", "12.6"}})}, fail: notPlaced},
		{name: "CUDA version a machine has", body: map[string]any{"gpu": gpu(map[string]any{"allowedCudaVersions": []any{"12.8"}})},
			want: &placement{"SECURE", "EU-RO-1"}},
		{name: "CUDA floor above every machine", body: map[string]any{"gpu": gpu(map[string]any{"minCudaVersion": "12.10"})}, fail: notPlaced},
		{name: "empty CUDA set with a floor", body: map[string]any{"gpu": gpu(map[string]any{"allowedCudaVersions": []any{}, "minCudaVersion": "12.2"})},
			want: &placement{"SECURE", "EU-RO-1"}},
		{name: "unknown GPU type", body: map[string]any{"gpu": gpu(map[string]any{"id": "NVIDIA RTX 9999"})},
			fail: &problemOf{ContentType: "application/problem+json", Status: 400, Detail: `Unknown GPU type "NVIDIA RTX 9999": see GET /v2/catalog/gpus.`}},
		{name: "CPU pod", body: map[string]any{"gpu": nil, "cpu": map[string]any{"id": "cpu5c", "vcpuCount": 4}},
			fail: &problemOf{ContentType: "application/problem+json", Status: 400,
				Detail: "This CPU flavor and data center combination could not be placed: there are no longer any instances available with the requested specifications."}},
		{name: "template instead of image", body: map[string]any{"image": nil, "templateId": "runpod-torch-v21"}, want: &placement{"SECURE", "EU-RO-1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, ts := newRESTServer(t, Options{})
			if tc.setup != nil {
				tc.setup(srv)
			}
			resp := call(t, srv, ts, testKey, http.MethodPost, "/v2/pods", with(createBody(), tc.body))
			if tc.fail != nil {
				if diff := cmp.Diff(*tc.fail, readProblem(t, resp)); diff != "" {
					t.Errorf("problem mismatch (-want +got):\n%s", diff)
				}
				if n := len(srv.Pods()); n != 0 {
					t.Errorf("%d pods, want 0", n)
				}
				return
			}
			pod := resp.json(t)
			got := &placement{Cloud: str(pod, "cloud"), DataCenter: str(pod, "dataCenterId")}
			if diff := cmp.Diff(tc.want, got); resp.status != http.StatusCreated || diff != "" {
				t.Errorf("status %d; placement mismatch (-want +got):\n%s", resp.status, diff)
			}
		})
	}
}

func TestRESTStartWithoutGPUs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		block func(srv *Server, podID string)
	}{
		{name: "pod lost its GPUs", block: func(srv *Server, id string) { srv.SetResumeCapacity(id, false) }},
		{name: "next action fails", block: func(srv *Server, _ string) {
			srv.FailNext("podAction", Fault{GraphQLError: MsgNotEnoughGPUs})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, ts := newRESTServer(t, Options{})
			id := createREST(t, srv, ts, createBody())
			act := func(action string) restResponse {
				return call(t, srv, ts, testKey, http.MethodPost, "/v2/pods/"+id+"/action", map[string]any{"action": action})
			}
			act("stop")
			tc.block(srv, id)
			want := problemOf{ContentType: "application/problem+json", Status: 400, Detail: MsgNotEnoughGPUs}
			if diff := cmp.Diff(want, readProblem(t, act("start"))); diff != "" {
				t.Errorf("problem mismatch (-want +got):\n%s", diff)
			}
			if got := str(call(t, srv, ts, testKey, http.MethodGet, "/v2/pods/"+id, nil).json(t), "status"); got != "EXITED" {
				t.Errorf("status after the failed start = %q, want EXITED", got)
			}
		})
	}
}
