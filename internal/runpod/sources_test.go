package runpod

import (
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunpod"
)

// sourceReader is what both clients read for a create.
type sourceReader interface {
	NetworkVolume(ctx context.Context, id string) (*NetworkVolume, error)
	Template(ctx context.Context, id string) (*Template, error)
}

// TestNetworkVolumeAndTemplate reads a network volume and a template through each API: REST's
// GET /v2/network-volumes/{id} and /v2/templates/{id}; GraphQL's myself.networkVolumes, and the
// REST template with the same key (the schema has no template query). Missing ones are NotFound.
func TestNetworkVolumeAndTemplate(t *testing.T) {
	t.Parallel()
	spec, err := os.ReadFile("../../testdata/runpod/rest-v2-openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	srv, url := standIn(t, fakerunpod.Options{OpenAPI: spec})
	srv.AddNetworkVolume(fakerunpod.NetworkVolume{ID: "vol2q9m7x4c", Name: "datasets", Size: 100, DataCenterID: "US-TX-3"})
	srv.AddTemplate(fakerunpod.Template{ID: "tpl9x4m2p7v", Image: "runpod/pytorch:2.4.0", Ports: []string{"8888/http"}})
	for name, c := range map[string]sourceReader{"rest": restClient(url), "graphql": client(url, "rpa_good")} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			v, err := c.NetworkVolume(ctx, "vol2q9m7x4c")
			if diff := cmp.Diff(&NetworkVolume{ID: "vol2q9m7x4c", Name: "datasets", DataCenterID: "US-TX-3"}, v); err != nil || diff != "" {
				t.Errorf("NetworkVolume() error %v; mismatch (-want +got):\n%s", err, diff)
			}
			tpl, err := c.Template(ctx, "tpl9x4m2p7v")
			if diff := cmp.Diff(&Template{ID: "tpl9x4m2p7v", Ports: []string{"8888/http"}}, tpl); err != nil || diff != "" {
				t.Errorf("Template() error %v; mismatch (-want +got):\n%s", err, diff)
			}
			if _, err := c.NetworkVolume(ctx, "nosuch"); ClassOf(err) != NotFound {
				t.Errorf("NetworkVolume(nosuch) = %v, want NotFound", err)
			}
			if _, err := c.Template(ctx, "nosuch"); ClassOf(err) != NotFound {
				t.Errorf("Template(nosuch) = %v, want NotFound", err)
			}
		})
	}
}

// restClient is a REST client of the stand-in at url (its GraphQL endpoint).
func restClient(url string) *REST {
	return NewREST(Options{URL: restBesideGraphQL(url), APIKey: "rpa_good", Retry: client(url, "").policy})
}
