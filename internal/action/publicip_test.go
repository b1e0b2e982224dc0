package action

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCommunityPodWithoutPublicIPGivesWay: REST v2 cannot ask for a public IP, and a community
// pod may run without one (https://github.com/runpod/docs/blob/main/api-reference/openapi.json,
// supportPublicIp); after a short wait such a pod is terminated and the next candidate tried. A
// secure pod, which always has one, is waited for.
func TestCommunityPodWithoutPublicIPGivesWay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		cloud     string
		noIP      []string // GPU types whose pods get no public port 22
		timeout   time.Duration
		wantCalls []string // creates and terminates, in order
		wantErr   string
	}{
		{name: "next_candidate", cloud: "COMMUNITY", noIP: []string{"NVIDIA A40"},
			wantCalls: []string{"create NVIDIA A40", "terminate podid1", "create NVIDIA L4"}},
		{name: "none_left", cloud: "COMMUNITY", noIP: []string{"NVIDIA A40", "NVIDIA L4"},
			wantCalls: []string{"create NVIDIA A40", "terminate podid1", "create NVIDIA L4", "terminate podid2"},
			wantErr:   "no candidate is left"},
		{name: "secure_waits", cloud: "SECURE", noIP: []string{"NVIDIA A40"}, timeout: 300 * time.Millisecond,
			wantCalls: []string{"create NVIDIA A40", "terminate podid1"}, wantErr: "never published SSH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, map[string]string{"gpu-types": "NVIDIA A40, NVIDIA L4", "cloud-type": tc.cloud})
			h.pods.noPublicIP = map[string]bool{}
			for _, g := range tc.noIP {
				h.pods.noPublicIP[g] = true
			}
			d := h.deps()
			d.Timing.PublicIPWait = 20 * time.Millisecond
			timeout := 5 * time.Second
			if tc.timeout > 0 {
				timeout = tc.timeout
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			err := Start(ctx, h.config(t, false), d)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("Start() = %v, want error %q\n%s", err, tc.wantErr, h.out.String())
			}
			var got []string
			for _, c := range h.pods.Calls() {
				if strings.HasPrefix(c, "create") || strings.HasPrefix(c, "terminate") {
					got = append(got, c)
				}
			}
			if diff := cmp.Diff(tc.wantCalls, got); diff != "" {
				t.Errorf("RunPod calls mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
