package fakerunpod

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResumeWithoutGPUs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		block func(srv *Server, podID string)
	}{
		{name: "pod lost its GPUs", block: func(srv *Server, id string) { srv.SetResumeCapacity(id, false) }},
		{name: "next resume fails", block: func(srv *Server, _ string) {
			srv.FailNext("podResume", Fault{GraphQLError: MsgNotEnoughGPUs})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, ts := newServer(t, Options{})
			id := createPod(t, ts.URL, createInput())
			post(t, ts.URL, testKey, stopDoc, podInput(id))
			tc.block(srv, id)
			resp := post(t, ts.URL, testKey, resumeDoc, podInput(id))
			want := `{"errors":[{"message":"There are not enough free GPUs on the host machine to start this pod.","path":["podResume"]}],"data":{"podResume":null}}`
			if resp.status != http.StatusOK {
				t.Errorf("status = %d, want 200", resp.status)
			}
			if diff := cmp.Diff(want, resp.body); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
			if got := srv.Pods()[0].Status; got != "EXITED" {
				t.Errorf("status after failed resume = %q, want EXITED", got)
			}
		})
	}
}

func TestStopAndResumeEdgeCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		before  []string // documents run on the pod first
		query   string
		unknown bool   // ask about a pod that does not exist
		want    string // PODID stands for the pod's id
	}{
		{name: "stop an unknown pod", query: stopDoc, unknown: true,
			want: `{"errors":[{"message":"pod not found to stop","path":["podStop"]}],"data":null}`},
		{name: "resume an unknown pod", query: resumeDoc, unknown: true,
			want: `{"errors":[{"message":"pod not found to resume","path":["podResume"]}],"data":{"podResume":null}}`},
		{name: "stop a stopped pod", before: []string{stopDoc}, query: `mutation ($input: PodStopInput!) { podStop(input: $input) { id desiredStatus } }`,
			want: `{"data":{"podStop":{"id":"PODID","desiredStatus":"EXITED"}}}`},
		{name: "resume a running pod", query: `mutation ($input: PodResumeInput!) { podResume(input: $input) { id desiredStatus } }`,
			want: `{"data":{"podResume":{"id":"PODID","desiredStatus":"RUNNING"}}}`},
		{name: "resume with more GPUs", before: []string{stopDoc},
			query: `mutation { podResume(input: {podId: "PODID", gpuCount: 2}) { gpuCount costPerHr } }`,
			want:  `{"data":{"podResume":{"gpuCount":2,"costPerHr":1.38}}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, ts := newServer(t, Options{})
			id := createPod(t, ts.URL, createInput())
			for _, doc := range tc.before {
				post(t, ts.URL, testKey, doc, podInput(id))
			}
			target := id
			if tc.unknown {
				target = "nosuchpod00000"
			}
			resp := post(t, ts.URL, testKey, strings.ReplaceAll(tc.query, "PODID", target), podInput(target))
			if diff := cmp.Diff(strings.ReplaceAll(tc.want, "PODID", id), resp.body); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
