package fakerunpod

// servedPaths are the REST v2 paths the server serves, of those RunPod's
// OpenAPI description has.
func servedPaths() []string {
	return []string{"/v2/pods", "/v2/pods/{id}", "/v2/pods/{id}/action", "/v2/pods/{id}/logs", "/v2/catalog/gpus",
		"/v2/network-volumes/{id}", "/v2/templates/{id}"}
}

// restOperations are the operationIds the server serves.
func restOperations() []string {
	return []string{opListPods, opCreatePod, opGetPod, opUpdatePod, opDeletePod, opPodAction, opGetPodLogs, opListGpuTypes,
		opGetNetworkVolume, opGetTemplate}
}
