package fakerunpod

import "sync"

// Host runs the containers of simulated pods.
//
// The Server calls a Host's methods for one pod one at a time, in the order
// the pod's state changed; calls for different pods may overlap. Stop
// follows only a successful Start. Remove is called once, when the pod is
// terminated (after Stop if the container runs), whether or not its
// container ever started.
type Host interface {
	// Start boots the pod's container with the env it was created with (including PUBLIC_KEY)
	// and returns the public address of its port 22. Called on boot and on every resume.
	Start(podID string, env map[string]string) (ip string, port int, err error)
	// Stop halts the container; its volume survives, its container disk does not.
	Stop(podID string) error
	// Remove deletes everything the pod had.
	Remove(podID string) error
}

// VolumeHost is a Host that gives each pod its own volume at the pod's volumeMountPath. A pod
// volume is the pod's own and survives a stop; the container disk does not
// (https://docs.runpod.io/pods/storage/types). The Server tells it before each Start.
type VolumeHost interface {
	MountVolume(podID, path string)
}

// noopHost runs nothing. It answers every Start with 127.0.0.1 and a port
// it has not given out before.
type noopHost struct {
	mu   sync.Mutex
	last int
}

var _ Host = (*noopHost)(nil)

// firstNoopPort is the port noopHost hands out first.
const firstNoopPort = 20000

func (h *noopHost) Start(string, map[string]string) (string, int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.last == 0 {
		h.last = firstNoopPort - 1
	}
	h.last++
	return "127.0.0.1", h.last, nil
}

func (h *noopHost) Stop(string) error   { return nil }
func (h *noopHost) Remove(string) error { return nil }

// hostSlot orders the Host calls for one pod: each call takes a ticket
// while the world's lock is held, at the moment the pod's state changes, and
// runs when its turn comes, so the Host sees calls in the order of the
// changes. up says whether the container runs; only the ticket holder
// touches it.
type hostSlot struct {
	mu      sync.Mutex
	turn    *sync.Cond
	next    uint64 // the next ticket to hand out
	serving uint64 // the ticket whose turn it is
	up      bool
}

func newHostSlot() *hostSlot {
	s := &hostSlot{}
	s.turn = sync.NewCond(&s.mu)
	return s
}

// take hands out the next ticket.
func (s *hostSlot) take() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.next
	s.next++
	return t
}

// wait blocks until ticket t may call the Host.
func (s *hostSlot) wait(t uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.serving != t {
		s.turn.Wait()
	}
}

// done passes the turn to the next ticket.
func (s *hostSlot) done() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.serving++
	s.turn.Broadcast()
}
