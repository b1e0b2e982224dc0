package fakerunpod

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCreatePlacement(t *testing.T) {
	t.Parallel()
	noInstances := `{"errors":[{"message":"` + MsgNoInstances + `","path":["podFindAndDeployOnDemand"]}],"data":{"podFindAndDeployOnDemand":null}}`
	tests := []struct {
		name      string
		setup     func(srv *Server)
		in        map[string]any // changes to createInput()
		wantError string         // the whole body when the create fails
		want      *PodSnapshot   // the fields placement decides
	}{
		{name: "default placement", want: &PodSnapshot{CloudType: Secure, DataCenterID: "EU-RO-1"}},
		{name: "GPU type out", setup: func(s *Server) { s.SetCapacity("NVIDIA GeForce RTX 4090", false) }, wantError: noInstances},
		{name: "GPU type back", setup: func(s *Server) {
			s.SetCapacity("NVIDIA GeForce RTX 4090", false)
			s.SetCapacity("NVIDIA GeForce RTX 4090", true)
		}, want: &PodSnapshot{CloudType: Secure, DataCenterID: "EU-RO-1"}},
		{name: "other GPU types unaffected", setup: func(s *Server) { s.SetCapacity("NVIDIA L4", false) },
			want: &PodSnapshot{CloudType: Secure, DataCenterID: "EU-RO-1"}},
		{name: "data center out, any data center", setup: func(s *Server) { s.SetDataCenterCapacity("EU-RO-1", false) },
			want: &PodSnapshot{CloudType: Secure, DataCenterID: "US-TX-3"}},
		{name: "data center out, that data center", setup: func(s *Server) { s.SetDataCenterCapacity("EU-RO-1", false) },
			in: map[string]any{"dataCenterId": "EU-RO-1"}, wantError: noInstances},
		{name: "unknown data center", in: map[string]any{"dataCenterId": "XX-NO-1"}, wantError: noInstances},
		{name: "secure cloud out", setup: func(s *Server) { s.SetCloudCapacity(Secure, false) }, wantError: noInstances},
		{name: "secure cloud out, any cloud", setup: func(s *Server) { s.SetCloudCapacity(Secure, false) },
			in: map[string]any{"cloudType": "ALL"}, want: &PodSnapshot{CloudType: Community, DataCenterID: "EU-RO-1"}},
		{name: "secure-only type in community", in: map[string]any{"gpuTypeId": "NVIDIA A40", "cloudType": "COMMUNITY"}, wantError: noInstances},
		{name: "unknown GPU type", in: map[string]any{"gpuTypeId": "NVIDIA RTX 9999"}, wantError: noInstances},
		{name: "too many GPUs", in: map[string]any{"gpuCount": 9}, wantError: noInstances},
		{name: "no image", in: map[string]any{"imageName": nil},
			wantError: `{"errors":[{"message":"Either imageName or templateId must be provided.","path":["podFindAndDeployOnDemand"]}],"data":{"podFindAndDeployOnDemand":null}}`},
		{name: "template instead of image", in: map[string]any{"imageName": nil, "templateId": "runpod-torch-v21"},
			want: &PodSnapshot{CloudType: Secure, DataCenterID: "EU-RO-1"}},
		{name: "zero GPUs", in: map[string]any{"gpuCount": 0},
			wantError: `{"errors":[{"message":"gpuCount must be at least 1.","path":["podFindAndDeployOnDemand"]}],"data":{"podFindAndDeployOnDemand":null}}`},
		{name: "ports with a space", in: map[string]any{"ports": "22/tcp, 8888/http"},
			wantError: `{"errors":[{"message":"Invalid port \" 8888/http\": expected <port>/tcp or <port>/http.","path":["podFindAndDeployOnDemand"]}],"data":{"podFindAndDeployOnDemand":null}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, ts := newServer(t, Options{})
			if tc.setup != nil {
				tc.setup(srv)
			}
			in := createInput()
			for k, v := range tc.in {
				if v == nil {
					delete(in, k)
					continue
				}
				in[k] = v
			}
			resp := post(t, ts.URL, testKey, createDoc, input(in))
			if resp.status != http.StatusOK {
				t.Errorf("status = %d, want 200", resp.status)
			}
			if tc.wantError != "" {
				if diff := cmp.Diff(tc.wantError, resp.body); diff != "" {
					t.Errorf("body mismatch (-want +got):\n%s", diff)
				}
				if n := len(srv.Pods()); n != 0 {
					t.Errorf("%d pods, want 0", n)
				}
				return
			}
			pods := srv.Pods()
			if len(pods) != 1 {
				t.Fatalf("%d pods, want 1; body %s", len(pods), resp.body)
			}
			got := &PodSnapshot{CloudType: pods[0].CloudType, DataCenterID: pods[0].DataCenterID}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("placement mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPodsAndRequestsAreRecorded(t *testing.T) {
	t.Parallel()
	srv, ts := newServer(t, Options{})
	in := createInput()
	in["terminateAfter"] = "2099-01-02T03:04:05Z"
	id := createPod(t, ts.URL, in)
	post(t, ts.URL, testKey, getPodDoc, podInput(id))
	post(t, ts.URL, testKey, `query Both { myself { id } gpuTypes { id } }`, nil)

	pods := srv.Pods()
	if len(pods) != 1 {
		t.Fatalf("%d pods, want 1", len(pods))
	}
	p := pods[0]
	want := PodSnapshot{
		ID: id, Name: "gha-repo-1-1", Status: "RUNNING", GPUTypeID: "NVIDIA GeForce RTX 4090", GPUCount: 1,
		CloudType: Secure, DataCenterID: "EU-RO-1", Ports: "22/tcp", Env: map[string]string{"PUBLIC_KEY": "ssh-ed25519 AAAA test"},
		SSHIP: p.SSHIP, SSHPort: p.SSHPort, Booted: p.Booted, APIKey: p.APIKey, CreatedAt: p.CreatedAt, TerminateAfter: p.TerminateAfter,
	}
	if prefix := "rpa_pod_" + id + "_"; !strings.HasPrefix(p.APIKey, prefix) || len(p.APIKey) < len(prefix)+16 {
		t.Errorf("APIKey = %q, want %s<random>", p.APIKey, prefix)
	}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("pod snapshot mismatch (-want +got):\n%s", diff)
	}
	if got := p.TerminateAfter.UTC().Format("2006-01-02T15:04:05Z"); got != "2099-01-02T03:04:05Z" {
		t.Errorf("TerminateAfter = %s, want 2099-01-02T03:04:05Z", got)
	}

	type summary struct {
		Op     string
		Fields []string
		Auth   AuthMethod
		Status int
	}
	var got []summary
	for _, r := range srv.Requests() {
		got = append(got, summary{Op: r.OperationName, Fields: r.RootFields, Auth: r.Auth, Status: r.Status})
	}
	wantReqs := []summary{
		{Op: "CreatePod", Fields: []string{"podFindAndDeployOnDemand"}, Auth: AuthHeader, Status: 200},
		{Op: "GetPod", Fields: []string{"pod"}, Auth: AuthHeader, Status: 200},
		{Op: "Both", Fields: []string{"myself", "gpuTypes"}, Auth: AuthHeader, Status: 200},
	}
	if diff := cmp.Diff(wantReqs, got); diff != "" {
		t.Errorf("requests mismatch (-want +got):\n%s", diff)
	}
	if got := srv.Requests()[1].Variables; got != `{"input":{"podId":"`+id+`"}}` {
		t.Errorf("recorded variables = %s", got)
	}
	wantCounts := map[string]int{"podFindAndDeployOnDemand": 1, "pod": 1, "myself": 1, "gpuTypes": 1}
	if diff := cmp.Diff(wantCounts, srv.Counts()); diff != "" {
		t.Errorf("counts mismatch (-want +got):\n%s", diff)
	}
}
