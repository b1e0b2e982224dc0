package fakerunpod

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestOnlySelectedFieldsAreReturned(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		query string // PODID stands for the pod's id
		vars  map[string]any
		want  string // PODID stands for the pod's id
	}{
		{name: "fields in selection order",
			query: `{ pod(input: {podId: "PODID"}) { name gpuCount id } }`,
			want:  `{"data":{"pod":{"name":"gha-repo-1-1","gpuCount":1,"id":"PODID"}}}`},
		{name: "aliases and typename",
			query: `{ p: pod(input: {podId: "PODID"}) { status: desiredStatus __typename gpus: gpuCount } kind: __typename }`,
			want:  `{"data":{"p":{"status":"RUNNING","__typename":"Pod","gpus":1},"kind":"Query"}}`},
		{name: "fragments",
			query: `query { pod(input: {podId: "PODID"}) { ...F ... on Pod { imageName } machine { ... { location } } } } fragment F on Pod { costPerHr }`,
			want:  `{"data":{"pod":{"costPerHr":0.69,"imageName":"runpod/base:0.6.2","machine":{"location":"RO"}}}}`},
		{name: "merged fields",
			query: `{ pod(input: {podId: "PODID"}) { machine { location } machine { gpuDisplayName } } }`,
			want:  `{"data":{"pod":{"machine":{"location":"RO","gpuDisplayName":"RTX 4090"}}}}`},
		{name: "skip and include",
			query: `query Q($yes: Boolean!) { pod(input: {podId: "PODID"}) { id @skip(if: $yes) name @include(if: $yes) gpuCount @include(if: false) } }`,
			vars:  map[string]any{"yes": true},
			want:  `{"data":{"pod":{"name":"gha-repo-1-1"}}}`},
		{name: "variables inside literals",
			query: `query Q($id: String!) { pod(input: {podId: $id}) { desiredStatus } }`,
			vars:  map[string]any{"id": "PODID"},
			want:  `{"data":{"pod":{"desiredStatus":"RUNNING"}}}`},
		{name: "nested arguments as literals",
			query: `{ gpuTypes(input: {id: "NVIDIA A40"}) { id lowestPrice(input: {gpuCount: 2, secureCloud: true}) { uninterruptablePrice stockStatus availableGpuCounts } } }`,
			want:  `{"data":{"gpuTypes":[{"id":"NVIDIA A40","lowestPrice":{"uninterruptablePrice":0.4,"stockStatus":"Medium","availableGpuCounts":[1,2,4,8]}}]}}`},
		{name: "nested arguments as variables",
			query: gpuDoc,
			vars:  map[string]any{"input": map[string]any{"ids": []any{"NVIDIA A40", "NVIDIA L4"}}, "lp": map[string]any{"gpuCount": 1, "secureCloud": false}},
			want: `{"data":{"gpuTypes":[` +
				`{"id":"NVIDIA A40","displayName":"A40","memoryInGb":48,"secureCloud":true,"communityCloud":false,"lowestPrice":{"stockStatus":null,"uninterruptablePrice":null,"availableGpuCounts":[]}},` +
				`{"id":"NVIDIA L4","displayName":"L4","memoryInGb":24,"secureCloud":true,"communityCloud":true,"lowestPrice":{"stockStatus":"Low","uninterruptablePrice":0.43,"availableGpuCounts":[1,2,4,8]}}]}}`},
		{name: "two lowest prices under aliases",
			query: `{ gpuTypes(input: {id: "NVIDIA H100 80GB HBM3"}) { one: lowestPrice(input: {gpuCount: 1}) { stockStatus } nine: lowestPrice(input: {gpuCount: 9}) { stockStatus } } }`,
			want:  `{"data":{"gpuTypes":[{"one":{"stockStatus":"Medium"},"nine":{"stockStatus":null}}]}}`},
		{name: "account",
			query: `{ myself { pubKey pods { name } } }`,
			want:  `{"data":{"myself":{"pubKey":"","pods":[{"name":"gha-repo-1-1"}]}}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, ts := newServer(t, Options{})
			id := createPod(t, ts.URL, createInput())
			vars := map[string]any{}
			for k, v := range tc.vars {
				if v == "PODID" {
					v = id
				}
				vars[k] = v
			}
			resp := post(t, ts.URL, testKey, strings.ReplaceAll(tc.query, "PODID", id), vars)
			if resp.status != http.StatusOK {
				t.Errorf("status = %d, want 200", resp.status)
			}
			if diff := cmp.Diff(strings.ReplaceAll(tc.want, "PODID", id), resp.body); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTimestampsAreRunPodShaped(t *testing.T) {
	t.Parallel()
	_, ts := newServer(t, Options{})
	id := createPod(t, ts.URL, createInput())
	resp := post(t, ts.URL, testKey, `query Q($input: PodFilter!) { pod(input: $input) { createdAt lastStatusChange } }`, podInput(id))
	pod := at(decode(t, resp.body), "data", "pod")
	created, _ := at(pod, "createdAt").(string)
	if _, err := time.Parse("2006-01-02 15:04:05.999 -0700 MST", created); err != nil || !strings.HasSuffix(created, " +0000 UTC") {
		t.Errorf("createdAt = %q, want the form 2025-12-16 17:44:56.726 +0000 UTC", created)
	}
	status, _ := at(pod, "lastStatusChange").(string)
	if !strings.HasPrefix(status, "Rented by User: ") || !strings.HasSuffix(status, "GMT+0000 (Coordinated Universal Time)") {
		t.Errorf("lastStatusChange = %q, want Rented by User: <date>", status)
	}
}
