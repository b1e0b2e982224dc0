package fakerunpod

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// podRuntime is what a running container shows.
type podRuntime struct {
	startedAt, portsAt time.Time // ports are published from portsAt on
	sshIP              string
	sshPort            int
	ports              []portMapping
	gpuIDs             []string
}

// portMapping is one published port of a running pod.
type portMapping struct {
	ip                      string
	public                  bool
	privatePort, publicPort int
	typ                     string
}

// newRuntime publishes p's ports: 22/tcp at the Host's address, other tcp
// ports at made-up public ports, http ports on an internal address. Without
// public, the pod's tcp ports get no public address at all: "If the created
// Pod is on Community Cloud, set to true if you need the Pod to expose a
// public IP address. If null, the Pod might not have a public IP address. On
// Secure Cloud, the Pod will always have a public IP address."
// (https://github.com/runpod/docs/blob/main/api-reference/openapi.json, supportPublicIp;
// https://docs.runpod.io/pods/configuration/expose-ports).
func newRuntime(p *pod, ip string, port int, public bool, now time.Time, portsDelay time.Duration) *podRuntime {
	rt := &podRuntime{startedAt: now, portsAt: now.Add(portsDelay), sshIP: ip, sshPort: port}
	internal := fmt.Sprintf("100.65.%d.%d", rand.IntN(256), 1+rand.IntN(254))
	specs, _ := parsePorts(p.Ports) // checked on create
	for _, s := range specs {
		m := portMapping{ip: internal, privatePort: s.port, publicPort: 60000 + rand.IntN(5000), typ: s.typ}
		switch {
		case s.typ != "tcp" || !public:
		case s.port == 22:
			m.ip, m.public, m.publicPort = ip, true, port
		default:
			m.ip, m.public, m.publicPort = ip, true, 10000+rand.IntN(10000)
		}
		rt.ports = append(rt.ports, m)
	}
	for range p.GPUCount {
		rt.gpuIDs = append(rt.gpuIDs, fmt.Sprintf("GPU-%08x-%04x-%04x-%04x-%012x",
			rand.Uint32(), rand.IntN(1<<16), rand.IntN(1<<16), rand.IntN(1<<16), rand.Uint64()&(1<<48-1)))
	}
	return rt
}

// restRuntimeOf is REST v2's PodRuntime for rt as of now.
func restRuntimeOf(rt *podRuntime, now time.Time) *restRuntime {
	out := &restRuntime{Uptime: int(now.Sub(rt.startedAt).Seconds()), GPUs: []restGPUUse{}, Ports: []restRuntimePort{}}
	for range rt.gpuIDs {
		out.GPUs = append(out.GPUs, restGPUUse{})
	}
	if now.Before(rt.portsAt) {
		return out
	}
	for _, m := range rt.ports {
		out.Ports = append(out.Ports, restRuntimePort{Private: m.privatePort, Public: m.publicPort, Type: m.typ, IP: m.ip})
	}
	return out
}

// directSSH is the way straight to the pod's sshd, once its 22/tcp has a
// public mapping; nil before.
func directSSH(rt *podRuntime, now time.Time) *restSSHEndpoint {
	if now.Before(rt.portsAt) {
		return nil
	}
	for _, m := range rt.ports {
		if m.privatePort == 22 && m.typ == "tcp" && m.public {
			return &restSSHEndpoint{Host: m.ip, Port: m.publicPort, Username: "root",
				Command: fmt.Sprintf("ssh root@%s -p %d", m.ip, m.publicPort)}
		}
	}
	return nil
}
