package fakerunpod

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// gpuAvailability is what a listed GPU type says of its availability.
type gpuAvailability struct {
	Availability string
	DataCenters  []string
	CUDA         string // "12.8:true", or "" when absent
}

// availabilityOf reads a listed GPU type's availability.
func availabilityOf(g any) gpuAvailability {
	out := gpuAvailability{Availability: str(asObject(g), "availability")}
	for _, dc := range asList(at(g, "dataCenters")) {
		if at(dc, "availability") == out.Availability {
			out.DataCenters = append(out.DataCenters, str(asObject(dc), "id"))
		}
	}
	for _, c := range asList(at(g, "cudaVersions")) {
		out.CUDA = fmt.Sprintf("%v:%v", at(c, "version"), at(c, "available"))
	}
	return out
}

func TestRESTCatalog(t *testing.T) {
	t.Parallel()
	avail := "/v2/catalog/gpus?include=AVAILABILITY&product=POD"
	all := []string{"EU-RO-1", "US-TX-3", "CA-MTL-1"}
	type gpu = gpuAvailability
	tests := []struct {
		name      string
		setup     func(srv *Server)
		path      string
		want      map[string]gpu // by id; only the types listed are compared
		wantCount int            // how many types are listed
		problem   *problemOf
	}{
		{name: "no availability", path: "/v2/catalog/gpus", wantCount: 6,
			want: map[string]gpu{"NVIDIA GeForce RTX 4090": {}, "NVIDIA A40": {}}},
		{name: "availability", path: avail, wantCount: 6, want: map[string]gpu{
			"NVIDIA GeForce RTX 4090": {"HIGH", all, "12.8:true"}, "NVIDIA A40": {"MEDIUM", all, "12.8:true"},
			"NVIDIA L4": {"LOW", all, "12.8:true"}}},
		{name: "GPU type out", setup: func(s *Server) { s.SetCapacity("NVIDIA GeForce RTX 4090", false) }, path: avail, wantCount: 6,
			want: map[string]gpu{"NVIDIA GeForce RTX 4090": {Availability: "NONE", CUDA: "12.8:false"}, "NVIDIA L4": {"LOW", all, "12.8:true"}}},
		{name: "data center out", setup: func(s *Server) { s.SetDataCenterCapacity("US-TX-3", false) }, path: avail, wantCount: 6,
			want: map[string]gpu{"NVIDIA L4": {"LOW", []string{"EU-RO-1", "CA-MTL-1"}, "12.8:true"}}},
		{name: "community cloud", path: avail + "&cloud=COMMUNITY", wantCount: 6,
			want: map[string]gpu{"NVIDIA A40": {Availability: "NONE", CUDA: "12.8:false"}, "NVIDIA L4": {"LOW", all, "12.8:true"}}},
		{name: "more GPUs than a machine has", path: avail + "&count=9", wantCount: 6,
			want: map[string]gpu{"NVIDIA L4": {Availability: "NONE", CUDA: "12.8:false"}}},
		{name: "country", path: avail + "&countryCodes=RO,CA", wantCount: 6,
			want: map[string]gpu{"NVIDIA L4": {"LOW", []string{"EU-RO-1", "CA-MTL-1"}, "12.8:true"}}},
		{name: "country without a data center", path: avail + "&countryCodes=DE", wantCount: 0},
		{name: "CUDA version no machine has", path: avail + "&cudaVersions=12.4", wantCount: 6,
			want: map[string]gpu{"NVIDIA L4": {Availability: "NONE"}}},
		{name: "CUDA floor met", path: avail + "&minCudaVersion=12", wantCount: 6,
			want: map[string]gpu{"NVIDIA L4": {"LOW", all, "12.8:true"}}},
		{name: "availability without product", path: "/v2/catalog/gpus?include=AVAILABILITY",
			problem: &problemOf{Status: 400, Detail: "product is required with include=AVAILABILITY, and valid only with it."}},
		{name: "product without availability", path: "/v2/catalog/gpus?product=POD",
			problem: &problemOf{Status: 400, Detail: "product is required with include=AVAILABILITY, and valid only with it."}},
		{name: "count without availability", path: "/v2/catalog/gpus?count=2",
			problem: &problemOf{Status: 400, Detail: "count is valid only with include=AVAILABILITY."}},
		{name: "both CUDA filters", path: avail + "&cudaVersions=12.8&minCudaVersion=12",
			problem: &problemOf{Status: 400, Detail: "cudaVersions and minCudaVersion are mutually exclusive."}},
		{name: "malformed country", path: avail + "&countryCodes=ro",
			problem: &problemOf{Status: 422, Detail: "Request validation failed.",
				Errors: []string{"query parameter 'countryCodes': 'ro' does not match pattern '^[A-Z]{2}$'"}}},
		{name: "unknown include", path: "/v2/catalog/gpus?include=PRICES", problem: &problemOf{Status: 422, Detail: "Request validation failed.",
			Errors: []string{"Query array parameter 'include' does not match allowed values: Array item 'PRICES' does not match any enum values: [AVAILABILITY]"}}},
	}
	shared, sharedTS := newRESTServer(t, Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, ts := shared, sharedTS
			if tc.setup != nil {
				srv, ts = newRESTServer(t, Options{})
				tc.setup(srv)
			}
			resp := call(t, srv, ts, testKey, http.MethodGet, tc.path, nil)
			if tc.problem != nil {
				tc.problem.ContentType = "application/problem+json"
				if diff := cmp.Diff(*tc.problem, readProblem(t, resp)); diff != "" {
					t.Errorf("problem mismatch (-want +got):\n%s", diff)
				}
				return
			}
			list, _ := resp.json(t)["gpus"].([]any)
			if len(list) != tc.wantCount {
				t.Errorf("%d GPU types, want %d", len(list), tc.wantCount)
			}
			got := map[string]gpu{}
			for _, g := range list {
				id := str(asObject(g), "id")
				if _, ok := tc.want[id]; ok {
					got[id] = availabilityOf(g)
				}
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("availability mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRESTCatalogPrices(t *testing.T) {
	t.Parallel()
	srv, ts := newRESTServer(t, Options{})
	list, _ := call(t, srv, ts, testKey, http.MethodGet, "/v2/catalog/gpus", nil).json(t)["gpus"].([]any)
	var got any
	for _, g := range list {
		if at(g, "id") == "NVIDIA A40" {
			got = g
		}
	}
	want := map[string]any{
		"id": "NVIDIA A40", "name": "A40", "pool": nil, "manufacturer": "NVIDIA", "memory": 48.0,
		"secure": true, "community": false,
		"price":    map[string]any{"secure": 0.4, "community": 0.0},
		"maxCount": map[string]any{"secure": 8.0, "community": 0.0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("A40 mismatch (-want +got):\n%s", diff)
	}
}
