package config

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/marker"
)

var (
	reGPUType    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._+()-]{0,99}$`)
	reImage      = regexp.MustCompile(`^[a-z0-9][A-Za-z0-9._/:@-]{0,254}$`)
	reTemplateID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	reID         = regexp.MustCompile(`^[a-z0-9]{6,40}$`)
	reMountPath  = regexp.MustCompile(`^/[A-Za-z0-9._/-]{0,200}$`)
	reCUDA       = regexp.MustCompile(`^[0-9]{1,2}\.[0-9]{1,2}$`)
	reEnvKey     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)
	rePort       = regexp.MustCompile(`^([0-9]{1,5})/(tcp|http)$`)
)

func (c *Config) readPod(r *reader) {
	c.GPUTypes = r.list(InGPUTypes)
	for _, g := range c.GPUTypes {
		if !reGPUType.MatchString(g) {
			r.fail(InGPUTypes, "each entry must be a RunPod GPU type id such as \"NVIDIA GeForce RTX 4090\", got %q", g)
		}
	}
	c.GPUCount, c.GPUCountSet = r.integerOr(InGPUCount, 1, 1, 8)
	c.CloudType = r.enum(InCloudType, "SECURE", "COMMUNITY", "ALL")
	for _, dc := range r.list(InDataCenterIDs) {
		dc = strings.ToUpper(dc)
		if problem := dataCenterProblem(dc); problem != "" {
			r.fail(InDataCenterIDs, "%s, got %q", problem, dc)
			continue
		}
		c.DataCenterIDs = append(c.DataCenterIDs, dc)
	}
	c.Image = r.matching(InImage, reImage, "a container image reference such as runpod/base:1.0.2-ubuntu2404")
	c.TemplateID = r.matching(InTemplateID, reTemplateID, "a RunPod template id")
	c.ContainerDiskGB, c.ContainerDiskSet = r.integerOr(InContainerDiskGB, 20, 5, 2000)
	c.VolumeGB = r.integer(InVolumeGB, 0, 10000)
	c.VolumeMountPath = r.str(InVolumeMountPath)
	if !reMountPath.MatchString(c.VolumeMountPath) {
		r.fail(InVolumeMountPath, "must be an absolute path of letters, digits and ._/-, got %q", c.VolumeMountPath)
	}
	c.NetworkVolumeID = r.matching(InNetworkVolumeID, reID, "a RunPod network volume id (lowercase letters and digits)")
	c.MinVCPUCount = r.integer(InMinVCPUCount, 0, 512)
	c.MinMemoryGB = r.integer(InMinMemoryGB, 0, 4096)
	c.MinCUDAVersion = r.matching(InMinCUDAVersion, reCUDA, "a CUDA version such as 12.4")
	c.Env = readEnv(r)
	c.Ports = readPorts(r)
	for _, id := range r.list(InPodID) {
		if !reID.MatchString(id) {
			r.fail(InPodID, "must be a RunPod pod id (lowercase letters and digits), got %q", id)
			continue
		}
		c.PodIDs = append(c.PodIDs, id)
	}
	if len(c.PodIDs) > 0 {
		c.PodID = c.PodIDs[0]
	}
	c.PodName = r.get(InPodName)
	if c.PodName != "" {
		if problem := LabelProblem(c.PodName); problem != "" {
			r.fail(InPodName, "%s, got %q", problem, c.PodName)
		}
	}
	c.Reuse = r.boolean(InReuse)
	c.ResumeFallback = r.enum(InResumeFallback, FallbackCreate, FallbackFail)
	c.MaxRuntime = time.Duration(r.integer(InMaxRuntimeMinutes, 5, 7200)) * time.Minute
	c.StartupTimeout = r.minutes(InStartupTimeoutMinutes, 0.5, 120)
}

func readEnv(r *reader) []EnvVar {
	var out []EnvVar
	seen := map[string]bool{}
	for i, line := range strings.Split(r.get(InEnv), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		switch {
		case !ok || !reEnvKey.MatchString(key):
			r.fail(InEnv, "line %d must be KEY=VALUE with KEY of letters, digits and _ not starting with a digit", i+1)
		case key == "PUBLIC_KEY" || strings.HasPrefix(key, marker.Prefix):
			r.fail(InEnv, "line %d sets %s, which the action sets itself", i+1, key)
		case seen[key]:
			r.fail(InEnv, "line %d sets %s a second time", i+1, key)
		default:
			seen[key] = true
			out = append(out, EnvVar{Key: key, Value: value})
		}
	}
	return out
}

func readPorts(r *reader) []string {
	var out []string
	for _, p := range r.list(InPorts) {
		m := rePort.FindStringSubmatch(strings.ReplaceAll(p, " ", ""))
		if m == nil {
			r.fail(InPorts, "each entry must be PORT/tcp or PORT/http such as 8888/http, got %q", p)
			continue
		}
		if n, _ := strconv.Atoi(m[1]); n < 1 || n > 65535 {
			r.fail(InPorts, "port %s is out of range 1-65535", m[1])
			continue
		}
		if m[0] != "22/tcp" {
			out = append(out, m[0])
		}
	}
	return out
}
