package fakerunpod

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// restGpuType is REST v2's GpuType.
type restGpuType struct {
	ID           string                `json:"id"`
	Name         string                `json:"name"`
	Pool         *string               `json:"pool"`
	Manufacturer string                `json:"manufacturer"`
	Memory       int                   `json:"memory"`
	Secure       bool                  `json:"secure"`
	Community    bool                  `json:"community"`
	Price        restPerCloud[float64] `json:"price"`
	MaxCount     restPerCloud[int]     `json:"maxCount"`
	Availability string                `json:"availability,omitempty"`
	DataCenters  []restAvailability    `json:"dataCenters,omitempty"`
	CUDAVersions []restCUDAVersion     `json:"cudaVersions,omitempty"`
}

// restPerCloud is a figure quoted per cloud; 0 where the type is not offered.
type restPerCloud[T int | float64] struct {
	Secure    T `json:"secure"`
	Community T `json:"community"`
}

type restAvailability struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Availability string `json:"availability"`
}

type restCUDAVersion struct {
	Version   string `json:"version"`
	Available bool   `json:"available"`
}

// gpuTypesREST answers listGpuTypes from the same catalog and capacity as
// GraphQL's gpuTypes. With include=AVAILABILITY, each type's availability
// is its stock status where a pod of count GPUs in cloud could be placed
// now, in the data centers of countryCodes if given, on a machine whose
// CUDA version the CUDA filters accept; NONE where none could.
func (s *Server) gpuTypesREST(q url.Values) restReply {
	f, refusal := parseCatalogQuery(q)
	if refusal != nil {
		return *refusal
	}
	gpus := []restGpuType{}
	for _, g := range s.world.gpus {
		t := restGpuTypeOf(g)
		if f.availability && !s.addAvailability(&t, g, f) {
			continue
		}
		gpus = append(gpus, t)
	}
	return jsonReply(http.StatusOK, struct {
		GPUs []restGpuType `json:"gpus"`
	}{gpus})
}

// restGpuTypeOf is the catalog entry of g, without availability.
func restGpuTypeOf(g GPUType) restGpuType {
	t := restGpuType{
		ID: g.ID, Name: g.DisplayName, Manufacturer: "NVIDIA", Memory: g.MemoryInGb,
		Secure: g.SecureCloud, Community: g.CommunityCloud,
	}
	if g.SecureCloud {
		t.Price.Secure, t.MaxCount.Secure = g.Price, g.maxCount()
	}
	if g.CommunityCloud {
		t.Price.Community, t.MaxCount.Community = g.Price, g.maxCount()
	}
	return t
}

// addAvailability fills in t's availability under filter f. It reports
// false if t drops out: no data center of f's countries exists.
func (s *Server) addAvailability(t *restGpuType, g GPUType, f catalogQuery) bool {
	var inCountries []DataCenter
	for _, dc := range s.world.dcs {
		if len(f.countries) == 0 || slices.Contains(f.countries, dc.Location) {
			inCountries = append(inCountries, dc)
		}
	}
	if len(inCountries) == 0 {
		return false
	}
	level := stockLevel(g.StockStatus)
	cudaFits := hostCUDAFits(f.cuda, f.minCUDA)
	open := s.world.placeable(g, f.count, f.cloud, inCountries)
	if len(open) == 0 || !cudaFits {
		level = "NONE"
	}
	t.Availability = level
	if level != "NONE" {
		for _, dc := range open {
			t.DataCenters = append(t.DataCenters, restAvailability{ID: dc.ID, Name: dc.Name, Availability: level})
		}
	}
	if cudaFits {
		t.CUDAVersions = []restCUDAVersion{{Version: hostCUDA, Available: level != "NONE"}}
	}
	return true
}

// stockLevel is REST v2's AvailabilityLevel for a GraphQL stock status.
func stockLevel(stock string) string {
	if stock == "" {
		return "NONE"
	}
	return strings.ToUpper(stock)
}

// placeable returns the data centers of dcs where a pod of count GPUs of
// type g could be placed in cloud now.
func (w *world) placeable(g GPUType, count int, cloud CloudType, dcs []DataCenter) []DataCenter {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []DataCenter
	for _, dc := range dcs {
		if _, _, ok := w.capacity.place(g, count, []CloudType{cloud}, []string{dc.ID}, dcs); ok {
			out = append(out, dc)
		}
	}
	return out
}
