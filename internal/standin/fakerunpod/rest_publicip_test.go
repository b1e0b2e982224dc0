package fakerunpod

import (
	"testing"
)

// TestRESTCommunityPodPublicIP: REST v2 cannot ask for a public IP, so a community pod has one
// only on hosts that have one; a secure pod always has one
// (https://github.com/runpod/docs/blob/main/api-reference/openapi.json, supportPublicIp).
func TestRESTCommunityPodPublicIP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		cloud      string
		dataCenter string
		wantDirect bool
	}{
		{name: "secure", cloud: "SECURE", dataCenter: "EU-RO-1", wantDirect: true},
		{name: "community without public IP", cloud: "COMMUNITY", dataCenter: "EU-RO-1"},
		{name: "community on a host with one", cloud: "COMMUNITY", dataCenter: "US-TX-3", wantDirect: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, ts := newRESTServer(t, Options{})
			srv.SetCommunityPublicIP("US-TX-3", true)
			id := createREST(t, srv, ts, with(createBody(), map[string]any{"cloud": tc.cloud, "dataCenterIds": []any{tc.dataCenter}}))
			pod := waitForREST(t, srv, ts, id, "RUNNING")
			ssh, _ := pod["ssh"].(map[string]any)
			if got := ssh["direct"] != nil; got != tc.wantDirect {
				t.Errorf("ssh.direct present = %t, want %t: %v", got, tc.wantDirect, ssh)
			}
			if ssh["proxy"] == nil {
				t.Errorf("ssh.proxy is null: RunPod's proxy needs no public IP")
			}
			rt, _ := pod["runtime"].(map[string]any)
			if ports, _ := rt["ports"].([]any); len(ports) == 0 {
				t.Errorf("runtime.ports is empty, want 22/tcp on some address: %v", rt)
			}
		})
	}
}
