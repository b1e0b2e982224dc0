package fakerunpod

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// GPUType is one entry of the simulated GPU catalog.
type GPUType struct {
	// ID is the gpuTypeId clients pass, such as "NVIDIA GeForce RTX 4090".
	ID string
	// DisplayName is the short name, such as "RTX 4090".
	DisplayName string
	// MemoryInGb is the memory of one GPU.
	MemoryInGb int
	// Price is the on-demand price of one GPU in dollars per hour, in
	// either cloud.
	Price float64
	// SecureCloud and CommunityCloud say in which clouds the type is offered.
	SecureCloud, CommunityCloud bool
	// MaxGPUCount is the most GPUs of this type one pod may have; 0 means 8.
	MaxGPUCount int
	// StockStatus is what lowestPrice reports: "High", "Medium", "Low", or
	// "" for none. Like RunPod's, it is advisory: creation follows the
	// capacity the Server is given, not this.
	StockStatus string
}

// maxCount is the most GPUs of this type one pod may have.
func (g GPUType) maxCount() int {
	if g.MaxGPUCount > 0 {
		return g.MaxGPUCount
	}
	return 8
}

// offers reports whether the type is offered in cloud.
func (g GPUType) offers(cloud CloudType) bool {
	return cloud == Secure && g.SecureCloud || cloud == Community && g.CommunityCloud
}

// DataCenter is one simulated data center.
type DataCenter struct {
	// ID is the dataCenterId clients pass, such as "EU-RO-1".
	ID string
	// Name is its display name.
	Name string
	// Location is what a pod's machine.location shows, such as "RO".
	Location string
}

// CloudType is where a pod runs: RunPod's own data centers or community
// hosts.
type CloudType string

// The two clouds a pod can land in.
const (
	Secure    CloudType = "SECURE"
	Community CloudType = "COMMUNITY"
)

// DefaultGPUTypes returns the catalog a Server gets when Options.GPUTypes
// is empty. IDs and display names are RunPod's.
func DefaultGPUTypes() []GPUType {
	return []GPUType{
		{ID: "NVIDIA GeForce RTX 4090", DisplayName: "RTX 4090", MemoryInGb: 24, Price: 0.69,
			SecureCloud: true, CommunityCloud: true, StockStatus: "High"},
		{ID: "NVIDIA RTX A6000", DisplayName: "RTX A6000", MemoryInGb: 48, Price: 0.49,
			SecureCloud: true, CommunityCloud: true, StockStatus: "High"},
		{ID: "NVIDIA A40", DisplayName: "A40", MemoryInGb: 48, Price: 0.40,
			SecureCloud: true, CommunityCloud: false, StockStatus: "Medium"},
		{ID: "NVIDIA L4", DisplayName: "L4", MemoryInGb: 24, Price: 0.43,
			SecureCloud: true, CommunityCloud: true, StockStatus: "Low"},
		{ID: "NVIDIA H100 80GB HBM3", DisplayName: "H100 SXM", MemoryInGb: 80, Price: 2.99,
			SecureCloud: true, CommunityCloud: false, StockStatus: "Medium"},
		{ID: "NVIDIA A100 80GB PCIe", DisplayName: "A100 PCIe", MemoryInGb: 80, Price: 1.64,
			SecureCloud: true, CommunityCloud: true, StockStatus: "Low"},
	}
}

// DefaultDataCenters returns the data centers a Server gets when
// Options.DataCenters is empty. IDs are RunPod's.
func DefaultDataCenters() []DataCenter {
	return []DataCenter{
		{ID: "EU-RO-1", Name: "EU-RO-1", Location: "RO"},
		{ID: "US-TX-3", Name: "US-TX-3", Location: "US"},
		{ID: "CA-MTL-1", Name: "CA-MTL-1", Location: "CA"},
	}
}

// capacity is what the simulated clouds can place. The zero value has
// room for everything; each map lists what is out.
type capacity struct {
	noGPU   map[string]bool
	noDC    map[string]bool
	noCloud map[CloudType]bool
}

func newCapacity() capacity {
	return capacity{noGPU: map[string]bool{}, noDC: map[string]bool{}, noCloud: map[CloudType]bool{}}
}

// place picks the cloud and data center for count GPUs of type g, trying
// the clouds in order and, in each, the data centers dcIDs in order, or
// every data center when dcIDs is empty.
func (c capacity) place(g GPUType, count int, clouds []CloudType, dcIDs []string, dcs []DataCenter) (CloudType, DataCenter, bool) {
	if c.noGPU[g.ID] || count > g.maxCount() {
		return "", DataCenter{}, false
	}
	for _, cloud := range clouds {
		if !g.offers(cloud) || c.noCloud[cloud] {
			continue
		}
		if dc, ok := c.pickDC(dcIDs, dcs); ok {
			return cloud, dc, true
		}
	}
	return "", DataCenter{}, false
}

// pickDC returns the first data center of dcIDs (or of dcs, when dcIDs is
// empty) that has room.
func (c capacity) pickDC(dcIDs []string, dcs []DataCenter) (DataCenter, bool) {
	if len(dcIDs) == 0 {
		for _, dc := range dcs {
			dcIDs = append(dcIDs, dc.ID)
		}
	}
	for _, id := range dcIDs {
		for _, dc := range dcs {
			if dc.ID == id && !c.noDC[id] {
				return dc, true
			}
		}
	}
	return DataCenter{}, false
}

// hostCUDA is the CUDA version every simulated machine reports.
const hostCUDA = "12.8"

// hostCUDAFits reports whether a machine on hostCUDA satisfies a create's
// CUDA constraints: one of allowed (if any), and at least minimum (if set).
func hostCUDAFits(allowed []string, minimum string) bool {
	if len(allowed) > 0 && !slices.Contains(allowed, hostCUDA) {
		return false
	}
	return minimum == "" || compareVersions(hostCUDA, minimum) >= 0
}

// compareVersions compares "major.minor" versions numerically, so that
// 12.11 is above 12.2. A missing minor counts as 0.
func compareVersions(a, b string) int {
	aMaj, aMin, _ := strings.Cut(a, ".")
	bMaj, bMin, _ := strings.Cut(b, ".")
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	if c := cmp.Compare(num(aMaj), num(bMaj)); c != 0 {
		return c
	}
	return cmp.Compare(num(aMin), num(bMin))
}
