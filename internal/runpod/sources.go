package runpod

import (
	"context"
	"net/url"
	"strings"
)

// NetworkVolume is a RunPod network volume, as far as a create needs it: a pod can mount it only
// in its data center ("ID of an existing NetworkVolume in the same data center as the pod",
// https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, NetworkMount.volumeId).
type NetworkVolume struct {
	ID, Name, DataCenterID string
}

// Template is a RunPod template, as far as a create needs it: the ports its pods expose.
type Template struct {
	ID    string
	Ports []string
}

// NetworkVolume reads a network volume (GET /v2/network-volumes/{id}); one that does not exist
// is an error of class NotFound.
func (r *REST) NetworkVolume(ctx context.Context, id string) (*NetworkVolume, error) {
	var v struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		DataCenter string `json:"dataCenter"`
	}
	err := r.do(ctx, call{op: "get network volume " + id, method: "GET", path: "/v2/network-volumes/" + url.PathEscape(id),
		out: &v, idempotent: true})
	if err != nil {
		return nil, err
	}
	return &NetworkVolume{ID: v.ID, Name: v.Name, DataCenterID: v.DataCenter}, nil
}

// Template reads a template (GET /v2/templates/{id}); one that does not exist is an error of
// class NotFound.
func (r *REST) Template(ctx context.Context, id string) (*Template, error) {
	var t struct {
		ID    string   `json:"id"`
		Ports []string `json:"ports"`
	}
	err := r.do(ctx, call{op: "get template " + id, method: "GET", path: "/v2/templates/" + url.PathEscape(id),
		out: &t, idempotent: true})
	if err != nil {
		return nil, err
	}
	return &Template{ID: t.ID, Ports: t.Ports}, nil
}

// NetworkVolume finds a network volume among the account's (myself.networkVolumes); one that is
// not there is an error of class NotFound.
func (g *GraphQL) NetworkVolume(ctx context.Context, id string) (*NetworkVolume, error) {
	var q networkVolumesQuery
	if err := g.exec(ctx, "list network volumes", "NetworkVolumes", false, true, &q, nil); err != nil {
		return nil, err
	}
	if q.Myself != nil {
		for _, v := range q.Myself.NetworkVolumes {
			if v != nil && deref(v.ID) == id {
				return &NetworkVolume{ID: id, Name: deref(v.Name), DataCenterID: deref(v.DataCenterID)}, nil
			}
		}
	}
	return nil, &Error{Op: "get network volume " + id, Class: NotFound, Message: "the account has no network volume " + id}
}

// Template reads a template through REST v2 with the same key: RunPod's GraphQL schema has no
// query for one.
func (g *GraphQL) Template(ctx context.Context, id string) (*Template, error) {
	return g.rest.Template(ctx, id)
}

// restBesideGraphQL is the REST v2 root beside a GraphQL endpoint: https://api.runpod.io for
// https://api.runpod.io/graphql.
func restBesideGraphQL(graphqlURL string) string {
	return strings.TrimSuffix(strings.TrimSuffix(graphqlURL, "/"), "/graphql")
}

type networkVolumesQuery struct {
	Myself *struct {
		NetworkVolumes []*struct {
			ID           *string `graphql:"id"`
			Name         *string `graphql:"name"`
			DataCenterID *string `graphql:"dataCenterId"`
		} `graphql:"networkVolumes"`
	} `graphql:"myself"`
}
