package runpod

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Create asks RunPod for an on-demand pod. It is not retried: a failed create may still have
// made a pod, which the caller reconciles by name.
func (g *GraphQL) Create(ctx context.Context, r CreateRequest) (*Pod, error) {
	in := PodFindAndDeployOnDemandInput{
		Name: r.Name, ImageName: r.Image, TemplateID: r.TemplateID,
		GPUTypeID: r.GPUTypeID, GPUCount: r.GPUCount, CloudType: r.CloudType, DataCenterID: r.DataCenterID,
		ContainerDiskInGb: r.ContainerDiskGB, VolumeInGb: r.VolumeGB, VolumeMountPath: r.VolumeMountPath,
		NetworkVolumeID: r.NetworkVolumeID, MinVcpuCount: r.MinVCPUCount, MinMemoryInGb: r.MinMemoryGB,
		MinCudaVersion: r.MinCUDAVersion, Ports: portsString(r.Ports), StartSsh: true, SupportPublicIP: true,
		Env: []EnvironmentVariableInput{},
	}
	for _, e := range r.Env {
		in.Env = append(in.Env, EnvironmentVariableInput(e))
	}
	if !r.TerminateAfter.IsZero() {
		in.TerminateAfter = r.TerminateAfter.UTC().Format(time.RFC3339)
	}
	var m createPodMutation
	op := fmt.Sprintf("create pod on %s", r.GPUTypeID)
	if err := g.exec(ctx, op, "CreatePod", true, false, &m, map[string]any{"input": in}); err != nil {
		return nil, err
	}
	if m.Pod == nil || m.Pod.ID == nil {
		return nil, &Error{Op: op, Class: Transient, Message: "RunPod answered without a pod"}
	}
	return m.Pod.toPod(), nil
}

// Get returns the pod, or an error of class NotFound when it does not exist.
func (g *GraphQL) Get(ctx context.Context, id string) (*Pod, error) {
	var q getPodQuery
	op := "get pod " + id
	if err := g.exec(ctx, op, "GetPod", false, true, &q, map[string]any{"input": PodFilter{PodID: id}}); err != nil {
		return nil, err
	}
	if q.Pod == nil || q.Pod.ID == nil {
		return nil, &Error{Op: op, Class: NotFound, Message: "no such pod"}
	}
	return q.Pod.toPod(), nil
}

// List returns every pod of the account, stopped ones included. It is also the cheapest call
// that proves the key works.
func (g *GraphQL) List(ctx context.Context) ([]Pod, error) {
	var q listPodsQuery
	if err := g.exec(ctx, "list pods", "ListPods", false, true, &q, nil); err != nil {
		return nil, err
	}
	if q.Myself == nil {
		return nil, &Error{Op: "list pods", Class: Auth, Message: "RunPod did not recognise the key's account"}
	}
	pods := make([]Pod, 0, len(q.Myself.Pods))
	for i := range q.Myself.Pods {
		pods = append(pods, *q.Myself.Pods[i].toPod())
	}
	return pods, nil
}

// Resume starts a stopped pod again.
func (g *GraphQL) Resume(ctx context.Context, id string, gpuCount int) (*Pod, error) {
	var m resumePodMutation
	op := "resume pod " + id
	in := PodResumeInput{PodID: id, GPUCount: gpuCount}
	if err := g.exec(ctx, op, "ResumePod", true, false, &m, map[string]any{"input": in}); err != nil {
		return nil, err
	}
	if m.Pod == nil || m.Pod.ID == nil {
		return nil, &Error{Op: op, Class: Transient, Message: "RunPod answered without a pod"}
	}
	return m.Pod.toPod(), nil
}

// Stop halts a pod, keeping its volume.
func (g *GraphQL) Stop(ctx context.Context, id string) error {
	var m stopPodMutation
	return g.exec(ctx, "stop pod "+id, "StopPod", true, true, &m, map[string]any{"input": PodStopInput{PodID: id}})
}

// Terminate deletes a pod. A pod that is already gone counts as terminated.
func (g *GraphQL) Terminate(ctx context.Context, id string) error {
	var m terminatePodMutation
	err := g.exec(ctx, "terminate pod "+id, "TerminatePod", true, true, &m, map[string]any{"input": PodTerminateInput{PodID: id}})
	if ClassOf(err) == NotFound {
		return nil
	}
	return err
}

// Logs returns errors.ErrUnsupported: pod logs are a REST v2 stream (GET /v2/pods/{podId}/logs,
// see REST.Logs); RunPod's GraphQL API has no query for them.
func (g *GraphQL) Logs(context.Context, string, int) ([]string, error) {
	return nil, fmt.Errorf("reading pod logs over RunPod's GraphQL API: %w", errors.ErrUnsupported)
}

// UpdateEnv returns errors.ErrUnsupported: GraphQL's podEditJob cannot change the env alone (it
// requires imageName and containerDiskInGb as well, which the action will not risk rewriting);
// REST v2's PATCH /pods/{podId} can (see REST.UpdateEnv).
func (g *GraphQL) UpdateEnv(context.Context, string, map[string]string) error {
	return fmt.Errorf("replacing a pod's env over RunPod's GraphQL API: %w", errors.ErrUnsupported)
}

// GPUTypes returns the catalog entries for ids with the on-demand price of gpuCount GPUs in the
// secure cloud (or the community cloud when secure is false). It also proves the key: an
// unknown or read-only key gives an error of class Auth.
func (g *GraphQL) GPUTypes(ctx context.Context, ids []string, gpuCount int, secure bool) ([]GPUType, error) {
	var q gpuTypesQuery
	vars := map[string]any{
		"input": GpuTypeFilter{IDs: ids},
		"lp":    GpuLowestPriceInput{GPUCount: gpuCount, SecureCloud: &secure},
	}
	if err := g.exec(ctx, "list GPU types", "GpuTypes", false, true, &q, vars); err != nil {
		return nil, err
	}
	if q.Myself == nil {
		return nil, &Error{Op: "list GPU types", Class: Auth, Message: "RunPod did not recognise the key's account"}
	}
	out := make([]GPUType, 0, len(q.GPUTypes))
	for _, t := range q.GPUTypes {
		gt := GPUType{ID: deref(t.ID), DisplayName: deref(t.DisplayName), MemoryGB: deref(t.MemoryInGb),
			SecureCloud: deref(t.SecureCloud), CommunityCloud: deref(t.CommunityCloud)}
		if lp := t.LowestPrice; lp != nil {
			gt.PricePerGPU, gt.StockStatus = deref(lp.UninterruptablePrice), deref(lp.StockStatus)
		}
		out = append(out, gt)
	}
	return out, nil
}

func (n *podNode) toPod() *Pod {
	p := &Pod{
		ID: deref(n.ID), Name: deref(n.Name), Status: deref(n.DesiredStatus), Image: deref(n.ImageName),
		GPUCount: deref(n.GPUCount), CostPerHour: deref(n.CostPerHr), LastStatusChange: deref(n.LastStatusChange),
		CreatedAt: parseTime(deref(n.CreatedAt)), LastStartedAt: parseTime(deref(n.LastStartedAt)),
	}
	p.StoppedAt = stoppedAt(p.Status, p.LastStatusChange)
	env := make([]string, 0, len(n.Env))
	for _, e := range n.Env {
		env = append(env, deref(e))
	}
	p.Env = envMap(env)
	if n.Machine != nil {
		p.GPUType, p.GPUTypeID = deref(n.Machine.GPUDisplayName), deref(n.Machine.GPUTypeID)
		p.Community = n.Machine.SecureCloud != nil && !*n.Machine.SecureCloud
	}
	if deref(n.VolumeInGb) > 0 {
		p.VolumePath = deref(n.VolumeMountPath)
	}
	if rt := n.Runtime; rt != nil {
		p.Booted, p.UptimeSeconds = true, deref(rt.UptimeInSeconds)
		for _, port := range rt.Ports {
			if deref(port.PrivatePort) == 22 && deref(port.IsIPPublic) && deref(port.Type) == "tcp" &&
				deref(port.IP) != "" && deref(port.PublicPort) > 0 {
				p.SSH = &Endpoint{Host: deref(port.IP), Port: deref(port.PublicPort)}
			}
		}
	}
	return p
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
