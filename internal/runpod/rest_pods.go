package runpod

import (
	"context"
	"errors"
	"fmt"

	"net/url"
	"strconv"
)

// Create asks RunPod for a pod on one GPU type (and data center). Not retried: a failed create
// may still have made the pod, which the caller reconciles by name. REST v2 has no
// terminateAfter; r.TerminateAfter is not sent.
func (r *REST) Create(ctx context.Context, req CreateRequest) (*Pod, error) {
	body := restCreate{
		Name: req.Name, Image: req.Image, TemplateID: req.TemplateID, Cloud: req.CloudType,
		GPU:  restGPU{ID: req.GPUTypeID, Count: req.GPUCount, MinCudaVersion: req.MinCUDAVersion},
		Disk: req.ContainerDiskGB, Ports: restPorts(req.Ports), Env: map[string]string{}, StartSSH: true,
	}
	if req.DataCenterID != "" {
		body.DataCenterIDs = []string{req.DataCenterID}
	}
	for _, e := range req.Env {
		body.Env[e.Key] = e.Value
	}
	switch {
	case req.NetworkVolumeID != "":
		body.Mounts = &restMounts{Network: []restNetwork{{VolumeID: req.NetworkVolumeID, Path: req.VolumeMountPath}}}
	case req.VolumeGB > 0:
		body.Mounts = &restMounts{Persistent: &restPersistent{Size: req.VolumeGB, Path: req.VolumeMountPath}}
	}
	var pod restPod
	err := r.do(ctx, call{op: "create pod on " + req.GPUTypeID, method: "POST", path: "/v2/pods", body: body, out: &pod, places: placesNew})
	if err != nil {
		return nil, err
	}
	return pod.toPod(), nil
}

// Get returns the pod, or an error of class NotFound when it does not exist.
func (r *REST) Get(ctx context.Context, id string) (*Pod, error) {
	var pod restPod
	if err := r.do(ctx, call{op: "get pod " + id, method: "GET", path: "/v2/pods/" + url.PathEscape(id), out: &pod, idempotent: true}); err != nil {
		return nil, err
	}
	return pod.toPod(), nil
}

// List returns every pod of the account.
func (r *REST) List(ctx context.Context) ([]Pod, error) {
	var list struct {
		Pods []restPod `json:"pods"`
	}
	if err := r.do(ctx, call{op: "list pods", method: "GET", path: "/v2/pods", out: &list, idempotent: true}); err != nil {
		return nil, err
	}
	out := make([]Pod, 0, len(list.Pods))
	for i := range list.Pods {
		out = append(out, *list.Pods[i].toPod())
	}
	return out, nil
}

// Resume starts a stopped pod again. A pod that runs already is returned as it is. Which
// status RunPod gives a start whose host has no free GPUs is not documented: a 400 is read as
// capacity, and so is a 409 after which the pod is still stopped.
func (r *REST) Resume(ctx context.Context, id string, _ int) (*Pod, error) {
	var pod restPod
	err := r.action(ctx, id, "start", &pod)
	if ClassOf(err) == Conflict {
		got, gerr := r.Get(ctx, id)
		if gerr != nil {
			return nil, gerr
		}
		if Stopped(got.Status) {
			var e *Error
			errors.As(err, &e)
			return nil, &Error{Op: "start pod " + id, Class: Capacity, Status: 409, Message: fmt.Sprintf(
				"RunPod would not start the pod (%s) and it is still %s: its host likely has no free GPUs", e.Message, got.Status)}
		}
		return got, nil
	}
	if err != nil {
		return nil, err
	}
	return pod.toPod(), nil
}

// Stop halts a pod, keeping its volume. A pod that is stopped already counts as stopped.
func (r *REST) Stop(ctx context.Context, id string) error {
	err := r.action(ctx, id, "stop", nil)
	if ClassOf(err) == Conflict {
		if pod, gerr := r.Get(ctx, id); gerr == nil && Stopped(pod.Status) {
			return nil
		}
	}
	return err
}

// Terminate deletes a pod. A pod that is already gone counts as terminated.
func (r *REST) Terminate(ctx context.Context, id string) error {
	err := r.do(ctx, call{op: "terminate pod " + id, method: "DELETE", path: "/v2/pods/" + url.PathEscape(id), idempotent: true})
	if ClassOf(err) == NotFound {
		return nil
	}
	return err
}

// UpdateEnv replaces the pod's environment (RunPod's PATCH replaces it whole, so pass every
// entry to keep). A stopped pod starts with it when it is resumed.
func (r *REST) UpdateEnv(ctx context.Context, id string, env map[string]string) error {
	return r.do(ctx, call{op: "update env of pod " + id, method: "PATCH", path: "/v2/pods/" + url.PathEscape(id),
		body: map[string]any{"env": env}, idempotent: true})
}

func (r *REST) action(ctx context.Context, id, action string, out *restPod) error {
	var dst any
	if out != nil {
		dst = out
	}
	return r.do(ctx, call{op: action + " pod " + id, method: "POST", path: "/v2/pods/" + url.PathEscape(id) + "/action",
		body: map[string]string{"action": action}, out: dst, idempotent: action != "start", places: placesFor(action)})
}

// GPUTypes returns the catalog entries for ids with their per-GPU list price in the secure (or
// community) cloud, and their pod availability. The catalog needs the key, so this proves it.
func (r *REST) GPUTypes(ctx context.Context, ids []string, gpuCount int, secure bool) ([]GPUType, error) {
	cloud := "COMMUNITY"
	if secure {
		cloud = "SECURE"
	}
	q := url.Values{"include": {"AVAILABILITY"}, "product": {"POD"}, "count": {strconv.Itoa(gpuCount)}, "cloud": {cloud}}
	var list restGPUTypes
	if err := r.do(ctx, call{op: "list GPU types", method: "GET", path: "/v2/catalog/gpus?" + q.Encode(), out: &list, idempotent: true}); err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var out []GPUType
	for _, g := range list.GPUs {
		if !want[g.ID] {
			continue
		}
		t := GPUType{ID: g.ID, DisplayName: g.Name, MemoryGB: g.Memory, SecureCloud: g.Secure, CommunityCloud: g.Community,
			PricePerGPU: g.Price.Community, StockStatus: availability(g.Availability)}
		if secure {
			t.PricePerGPU = g.Price.Secure
		}
		out = append(out, t)
	}
	return out, nil
}

func availability(level string) string {
	switch level {
	case "HIGH":
		return "High"
	case "MEDIUM":
		return "Medium"
	case "LOW":
		return "Low"
	}
	return ""
}

func placesFor(action string) placement {
	if action == "start" {
		return placesResume
	}
	return placesNothing
}
