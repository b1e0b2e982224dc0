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
