package fakerunpod

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRESTUpdateEnvReachesTheNextStart(t *testing.T) {
	t.Parallel()
	host := &restHost{}
	srv, ts := newRESTServer(t, Options{Host: host})
	id := createREST(t, srv, ts, with(createBody(), map[string]any{"env": map[string]any{"A": "1", "PUBLIC_KEY": "k"}}))
	waitForREST(t, srv, ts, id, "RUNNING")
	resp := call(t, srv, ts, testKey, http.MethodPatch, "/v2/pods/"+id, map[string]any{"env": map[string]any{"B": "2"}})
	if diff := cmp.Diff(map[string]any{"B": "2"}, resp.json(t)["env"]); resp.status != http.StatusOK || diff != "" {
		t.Errorf("PATCH: status %d; env mismatch (-want +got):\n%s", resp.status, diff)
	}
	if diff := cmp.Diff([]any{"B=2"}, at(getPod(t, ts.URL, id), "env")); diff != "" {
		t.Errorf("GraphQL env mismatch (-want +got):\n%s", diff)
	}
	call(t, srv, ts, testKey, http.MethodPost, "/v2/pods/"+id+"/action", map[string]any{"action": "stop"})
	call(t, srv, ts, testKey, http.MethodPost, "/v2/pods/"+id+"/action", map[string]any{"action": "start"})
	waitForREST(t, srv, ts, id, "RUNNING")
	key := podKey(t, srv, id)
	want := []map[string]string{
		{"A": "1", "PUBLIC_KEY": "k", "RUNPOD_POD_ID": id, "RUNPOD_GPU_COUNT": "1", "RUNPOD_API_KEY": key},
		{"B": "2", "RUNPOD_POD_ID": id, "RUNPOD_GPU_COUNT": "1", "RUNPOD_API_KEY": key},
	}
	if diff := cmp.Diff(want, host.Starts()); diff != "" {
		t.Errorf("container env per start mismatch (-want +got):\n%s", diff)
	}
}

func TestRESTUpdate(t *testing.T) {
	t.Parallel()
	persistent := map[string]any{"persistent": map[string]any{"size": 20, "path": "/workspace"}}
	tests := []struct {
		name       string
		create     map[string]any // changes to createBody()
		patch      any
		wantStatus int
		want       map[string]any // fields of the pod, answered and read back
		wantDetail string
	}{
		{name: "rename", patch: map[string]any{"name": "renamed"}, wantStatus: 200, want: map[string]any{"name": "renamed", "image": "runpod/base:0.6.2"}},
		{name: "image, args, disk, ports", patch: map[string]any{"image": "img:2", "args": "sleep 1", "disk": 30, "ports": []any{"22/tcp", "8888/http"}},
			wantStatus: 200, want: map[string]any{"image": "img:2", "args": "sleep 1", "disk": 30.0, "ports": []any{"22/tcp", "8888/http"}}},
		{name: "registry set and cleared", patch: map[string]any{"registry": nil}, create: map[string]any{"registry": "reg_1"},
			wantStatus: 200, want: map[string]any{"registry": nil}},
		{name: "lock", patch: map[string]any{"locked": true}, wantStatus: 200, want: map[string]any{"locked": true, "actions": []any{"terminate"}}},
		{name: "global networking", patch: map[string]any{"globalNetworking": true}, wantStatus: 200,
			want: map[string]any{"globalNetworking": nil}}, // filled in below
		{name: "persistent mount path", create: map[string]any{"mounts": persistent},
			patch:      map[string]any{"mounts": map[string]any{"persistent": map[string]any{"size": 40, "path": "/data"}}},
			wantStatus: 200, want: map[string]any{"mounts": map[string]any{"persistent": map[string]any{"size": 40.0, "path": "/data"}}}},
		{name: "empty mounts leave them", create: map[string]any{"mounts": persistent}, patch: map[string]any{"mounts": map[string]any{}},
			wantStatus: 200, want: map[string]any{"mounts": map[string]any{"persistent": map[string]any{"size": 20.0, "path": "/workspace"}}}},
		{name: "a mount the pod was made without", patch: map[string]any{"mounts": persistent},
			wantStatus: 400, wantDetail: "The pod has no persistent mount: the kind of mount is fixed at create."},
		{name: "clear network mounts", create: map[string]any{"mounts": persistent}, patch: map[string]any{"mounts": map[string]any{"network": []any{}}},
			wantStatus: 400, wantDetail: "mounts.network cannot be cleared."},
		{name: "bad port", patch: map[string]any{"ports": []any{"ssh"}}, wantStatus: 400, wantDetail: `Invalid port "ssh": expected <port>/tcp or <port>/http.`},
		{name: "create-only field", patch: map[string]any{"startSsh": true}, wantStatus: 422, wantDetail: "Request validation failed."},
		{name: "env as a list", patch: map[string]any{"env": []any{"A=B"}}, wantStatus: 422, wantDetail: "Request validation failed."},
		{name: "no body", patch: "", wantStatus: 422, wantDetail: "Request validation failed."},
	}
	srv, ts := newRESTServer(t, Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			id := createREST(t, srv, ts, with(createBody(), tc.create))
			resp := call(t, srv, ts, testKey, http.MethodPatch, "/v2/pods/"+id, tc.patch)
			if resp.status != tc.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", resp.status, tc.wantStatus, resp.body)
			}
			if tc.wantDetail != "" {
				if got := readProblem(t, resp).Detail; got != tc.wantDetail {
					t.Errorf("detail = %q, want %q", got, tc.wantDetail)
				}
				return
			}
			want := map[string]any{}
			for k, v := range tc.want {
				want[k] = v
			}
			if _, ok := want["globalNetworking"]; ok {
				ip, _ := at(resp.json(t), "globalNetworking", "ip").(string)
				if !strings.HasPrefix(ip, "10.65.") {
					t.Errorf("globalNetworking.ip = %q, want 10.65.x.x", ip)
				}
				want["globalNetworking"] = map[string]any{"enabled": true, "ip": ip, "internalDns": id + ".runpod.internal"}
			}
			read := call(t, srv, ts, testKey, http.MethodGet, "/v2/pods/"+id, nil)
			for _, r := range []restResponse{resp, read} {
				got := map[string]any{}
				for k := range want {
					got[k] = r.json(t)[k]
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("pod mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}
