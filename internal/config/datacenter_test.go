package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEveryRunPodDataCenterIsAccepted: RunPod's own enum of data center ids
// (https://github.com/runpod/docs/blob/main/api-reference/openapi.json,
// PodCreateInput.dataCenterIds) includes ids with a three-letter region, which must pass.
func TestEveryRunPodDataCenterIsAccepted(t *testing.T) {
	t.Parallel()
	for _, dc := range append([]string{"EUR-IS-1", "EUR-IS-2", "EUR-IS-3", "EUR-NO-1"}, KnownDataCenters...) {
		c, err := Load(env(map[string]string{"data-center-ids": dc}), false)
		if err != nil {
			t.Errorf("data-center-ids %s: %v", dc, err)
			continue
		}
		if diff := cmp.Diff([]string{dc}, c.DataCenterIDs); diff != "" {
			t.Errorf("data-center-ids %s (-want +got):\n%s", dc, diff)
		}
	}
}

// TestRunPodURLFromTheDocsWorks: RunPod's docs give REST v2's base as https://api.runpod.io/v2
// (https://docs.runpod.io/api-reference-v2/overview); the client adds /v2 itself.
func TestRunPodURLFromTheDocsWorks(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"https://api.runpod.io/v2", "https://api.runpod.io/v2/", "https://api.runpod.io"} {
		c, err := Load(env(map[string]string{"runpod-api-url": in}), false)
		if err != nil || c.RunPodAPIURL != "https://api.runpod.io" {
			t.Errorf("runpod-api-url %s: got %q, %v; want https://api.runpod.io", in, c.RunPodAPIURL, err)
		}
	}
}
