package fakerunpod

import (
	"errors"
	"fmt"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
)

// resolveRoot resolves one root field of x's operation.
func (s *Server) resolveRoot(x *execution, f *ast.Field, now time.Time) (any, *gqlError) {
	if x.access == ReadOnly && (x.op.Operation == ast.Mutation || f.Name == "myself") {
		return nil, &gqlError{message: MsgUnauthorized, code: "RUNPOD"}
	}
	args := f.ArgumentMap(x.vars)
	input := asObject(args["input"])
	v, err := s.resolveField(f.Name, input, now)
	if err == nil {
		return v, nil
	}
	var fl *failure
	if errors.As(err, &fl) && fl.kind != failInternal {
		return nil, &gqlError{message: fl.message}
	}
	return nil, &gqlError{message: MsgSomethingWentWrong, code: "INTERNAL_SERVER_ERROR"}
}

// resolveField resolves the root field name from its input argument.
func (s *Server) resolveField(name string, input map[string]any, now time.Time) (any, error) {
	w := s.world
	switch name {
	case "myself":
		return s.myselfObject(now), nil
	case "pod":
		p, ok := w.get(str(input, "podId"))
		if !ok {
			return nil, nil
		}
		return podObject(p, now), nil
	case "gpuTypes":
		return s.gpuTypeList(input), nil
	case "dataCenters":
		return s.dataCenterList(), nil
	case "countryCodes":
		return s.countryCodes(), nil
	case "podFindAndDeployOnDemand":
		return s.createPod(input, now)
	case "podStop":
		p, err := w.stop(str(input, "podId"))
		return podResult(p, err, now)
	case "podResume":
		count, _ := num(input, "gpuCount")
		p, err := w.resume(str(input, "podId"), count)
		return podResult(p, err, now)
	case "podTerminate":
		return nil, w.terminate(str(input, "podId"))
	case "podRentInterruptable", "podBidResume":
		return nil, fail(failNoCapacity, MsgNoSpotInstances)
	}
	return nil, fmt.Errorf("field %q is not served", name)
}

// podResult is the answer to a mutation that returns a pod.
func podResult(p pod, err error, now time.Time) (any, error) {
	if err != nil {
		return nil, err
	}
	return podObject(p, now), nil
}

// createPod creates a pod from a PodFindAndDeployOnDemandInput.
func (s *Server) createPod(in map[string]any, now time.Time) (any, error) {
	if in == nil {
		return nil, fail(failInvalid, "input is required.")
	}
	req := createRequest{
		Name: str(in, "name"), ImageName: str(in, "imageName"), TemplateID: str(in, "templateId"),
		GPUTypeID:       str(in, "gpuTypeId"),
		VolumeMountPath: str(in, "volumeMountPath"), DockerArgs: str(in, "dockerArgs"),
		Ports: str(in, "ports"), NetworkVolumeID: str(in, "networkVolumeId"),
		Clouds: []CloudType{Secure, Community},
	}
	if dc := str(in, "dataCenterId"); dc != "" {
		req.DataCenterIDs = []string{dc}
	}
	req.GPUCount = 1
	if n, ok := num(in, "gpuCount"); ok {
		req.GPUCount = n
	}
	req.ContainerDiskInGb, _ = num(in, "containerDiskInGb")
	req.VolumeInGb, _ = num(in, "volumeInGb")
	req.MinVcpuCount, _ = num(in, "minVcpuCount")
	req.MinMemoryInGb, _ = num(in, "minMemoryInGb")
	req.SupportPublicIP, _ = in["supportPublicIp"].(bool)
	if req.VolumeMountPath == "" {
		req.VolumeMountPath = "/workspace"
	}
	switch c := CloudType(str(in, "cloudType")); c {
	case Secure, Community:
		req.Clouds = []CloudType{c}
	}
	for _, item := range asList(in["env"]) {
		e := asObject(item)
		req.Env = append(req.Env, envVar{key: str(e, "key"), value: str(e, "value")})
	}
	var err error
	if req.StopAfter, err = dateTime(in, "stopAfter"); err != nil {
		return nil, err
	}
	if req.TerminateAfter, err = dateTime(in, "terminateAfter"); err != nil {
		return nil, err
	}
	p, err := s.world.create(req)
	return podResult(p, err, now)
}

// asObject returns v as an input object, or nil.
func asObject(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// asList returns v as a list; a single value is a list of one.
func asList(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	}
	return []any{v}
}

// str returns the string m[k], or "".
func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// num returns the integer m[k], which literals give as int64 and
// variables as int.
func num(m map[string]any, k string) (int, bool) {
	switch v := m[k].(type) {
	case int:
		return v, true
	case int64:
		return int(v), true
	}
	return 0, false
}

// dateTime returns the DateTime m[k], or the zero time if it is absent.
func dateTime(m map[string]any, k string) (time.Time, error) {
	s := str(m, k)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fail(failInvalid, fmt.Sprintf("%s: invalid DateTime %q.", k, s))
	}
	return t, nil
}
