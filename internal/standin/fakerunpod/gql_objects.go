package fakerunpod

import (
	"slices"
	"time"
)

// podObject is the GraphQL Pod for p as of now.
func podObject(p pod, now time.Time) object {
	env := []any{}
	for _, e := range p.Env {
		env = append(env, e.key+"="+e.value)
	}
	uptime := 0
	if p.run != nil {
		uptime = int(now.Sub(p.run.startedAt).Seconds())
	}
	return object{
		"id": p.id, "name": p.Name, "desiredStatus": p.status, "imageName": p.image(),
		"costPerHr": p.costPerHr(), "adjustedCostPerHr": p.costPerHr(), "gpuCount": p.GPUCount,
		"vcpuCount":         float64(max(p.MinVcpuCount, 8*p.GPUCount)),
		"memoryInGb":        float64(max(p.MinMemoryInGb, 31*p.GPUCount)),
		"containerDiskInGb": p.ContainerDiskInGb, "volumeInGb": float64(p.VolumeInGb),
		"volumeMountPath": p.VolumeMountPath, "ports": p.Ports, "env": env, "dockerArgs": p.DockerArgs,
		"machineId": p.machineID, "podType": "RESERVED", "templateId": nonEmpty(p.TemplateID),
		"uptimeSeconds": uptime, "lastStatusChange": p.lastStatusChange,
		"lastStartedAt": runpodTime(p.lastStartedAt), "createdAt": runpodTime(p.createdAt),
		"locked": false, "networkVolumeId": nonEmpty(p.NetworkVolumeID),
		"runtime": runtimeObject(p.run, now), "machine": machineObject(p),
	}
}

// runtimeObject is the GraphQL PodRuntime for rt as of now, or nil.
func runtimeObject(rt *podRuntime, now time.Time) any {
	if rt == nil {
		return nil
	}
	ports := []any{}
	if !now.Before(rt.portsAt) {
		for _, m := range rt.ports {
			ports = append(ports, object{
				"ip": m.ip, "isIpPublic": m.public, "privatePort": m.privatePort,
				"publicPort": m.publicPort, "type": m.typ,
			})
		}
	}
	gpus := []any{}
	for _, id := range rt.gpuIDs {
		gpus = append(gpus, object{"id": id, "gpuUtilPercent": 0, "memoryUtilPercent": 0})
	}
	return object{
		"uptimeInSeconds": int(now.Sub(rt.startedAt).Seconds()), "ports": ports, "gpus": gpus,
		"container": object{"cpuPercent": 0, "memoryPercent": 0},
	}
}

// machineObject is the GraphQL PodMachineInfo for p.
func machineObject(p pod) object {
	return object{
		"id": p.machineID, "podHostId": p.podHostID, "gpuDisplayName": p.gpu.DisplayName,
		"gpuTypeId": p.gpu.ID, "location": p.dc.Location, "dataCenterId": p.dc.ID,
		"secureCloud": p.cloud == Secure, "supportPublicIp": p.cloud == Secure || p.SupportPublicIP,
		"costPerHr": p.costPerHr(),
	}
}

// myselfObject is the GraphQL User: the account and its pods.
func (s *Server) myselfObject(now time.Time) object {
	pods := []any{}
	for _, p := range s.world.list() {
		pods = append(pods, podObject(p, now))
	}
	volumes := []any{}
	for _, v := range s.world.networkVolumes() {
		volumes = append(volumes, object{"id": v.ID, "name": v.Name, "size": max(v.Size, 10), "dataCenterId": v.DataCenterID})
	}
	return object{
		"id": "user_fakerunpod", "email": "ci@example.com", "pubKey": "",
		"pods": pods, "networkVolumes": volumes,
	}
}

// gpuTypeList answers gpuTypes(input: GpuTypeFilter).
func (s *Server) gpuTypeList(filter map[string]any) []any {
	id := str(filter, "id")
	var ids []string
	for _, v := range asList(filter["ids"]) {
		if s, ok := v.(string); ok {
			ids = append(ids, s)
		}
	}
	out := []any{}
	for _, g := range s.world.gpus {
		if (id == "" || g.ID == id) && (filter["ids"] == nil || slices.Contains(ids, g.ID)) {
			out = append(out, gpuTypeObject(g))
		}
	}
	return out
}

// gpuTypeObject is the GraphQL GpuType for g.
func gpuTypeObject(g GPUType) object {
	price := func(cloud CloudType) any {
		if g.offers(cloud) {
			return g.Price
		}
		return nil
	}
	maxIn := func(cloud CloudType) int {
		if g.offers(cloud) {
			return g.maxCount()
		}
		return 0
	}
	return object{
		"id": g.ID, "displayName": g.DisplayName, "memoryInGb": g.MemoryInGb, "manufacturer": "Nvidia",
		"secureCloud": g.SecureCloud, "communityCloud": g.CommunityCloud,
		"securePrice": price(Secure), "communityPrice": price(Community), "maxGpuCount": g.maxCount(),
		"maxGpuCountSecureCloud": maxIn(Secure), "maxGpuCountCommunityCloud": maxIn(Community),
		"minPodGpuCount": 1, "nodeGroupDatacenters": []any{},
		"lowestPrice": lazy(func(args map[string]any) any { return lowestPriceObject(g, asObject(args["input"])) }),
	}
}

// lowestPriceObject is the GraphQL LowestPrice of g for a GpuLowestPriceInput.
func lowestPriceObject(g GPUType, in map[string]any) object {
	count, ok := num(in, "gpuCount")
	if !ok {
		count = 1
	}
	offered := g.SecureCloud || g.CommunityCloud
	if secure, ok := in["secureCloud"].(bool); ok {
		offered = secure && g.SecureCloud || !secure && g.CommunityCloud
	}
	out := object{
		"gpuName": g.DisplayName, "gpuTypeId": g.ID, "minMemory": 31, "minVcpu": 8,
		"compliance": []any{}, "availableGpuCounts": []any{}, "maxUnreservedGpuCount": 0,
	}
	if !offered {
		return out
	}
	out["uninterruptablePrice"] = g.Price
	if g.StockStatus == "" || count > g.maxCount() {
		return out
	}
	out["stockStatus"] = g.StockStatus
	out["maxUnreservedGpuCount"] = g.maxCount()
	counts := []any{}
	for n := 1; n <= g.maxCount(); n *= 2 {
		counts = append(counts, n)
	}
	out["availableGpuCounts"] = counts
	return out
}

// nonEmpty returns s, or nil for "".
func nonEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// dataCenterList answers dataCenters.
func (s *Server) dataCenterList() []any {
	out := []any{}
	for _, dc := range s.world.dcs {
		out = append(out, object{
			"id": dc.ID, "name": dc.Name, "location": dc.Location, "listed": true, "storageSupport": true,
			"gpuAvailability": lazy(func(map[string]any) any { return s.gpuAvailability() }),
		})
	}
	return out
}

// gpuAvailability lists the catalog's stock, as a data center reports it.
func (s *Server) gpuAvailability() []any {
	out := []any{}
	for _, g := range s.world.gpus {
		out = append(out, object{
			"gpuTypeId": g.ID, "displayName": g.DisplayName,
			"stockStatus": nonEmpty(g.StockStatus), "available": g.StockStatus != "",
		})
	}
	return out
}

// countryCodes answers countryCodes: the data centers' locations.
func (s *Server) countryCodes() []any {
	out := []any{}
	for _, dc := range s.world.dcs {
		if !slices.Contains(out, any(dc.Location)) {
			out = append(out, dc.Location)
		}
	}
	return out
}
