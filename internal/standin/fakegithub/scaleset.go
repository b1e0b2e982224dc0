package fakegithub

import "fmt"

// The hooks the runner scale-set stand-in (fakescaleset) uses: its runners are registrations of
// this server and take their jobs from this server's broker, as a scale set's runners are runners
// of the repository or organization in GitHub.

// JITRunner is a registration made for a scale set, and its encoded configuration.
type JITRunner struct {
	Runner
	EncodedJITConfig string
}

// RegisterJIT registers a just-in-time runner in a repository ("owner/name") or, with org set,
// an organization, whose configuration points the runner at base (this server's URL). exists
// reports a runner of that name in the scope already.
func (s *Server) RegisterJIT(repo, org, base, name string, group int64, labels []string, workFolder string) (JITRunner, bool, error) {
	sc := scope{repo: repo, org: org}
	if org != "" {
		sc = scope{org: org}
	}
	secret, err := randomHex(32)
	if err != nil {
		return JITRunner{}, false, fmt.Errorf("generate token: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.findByNameLocked(sc, name) != nil {
		return JITRunner{}, true, nil
	}
	s.nextRunner++
	reg := &registration{id: s.nextRunner, name: name, sc: sc, group: group, labels: dedupeLabels(labels), os: "unknown", token: secret}
	enc, err := encodeJIT(jitFiles{reg: reg, base: base, workFolder: &workFolder})
	if err != nil {
		return JITRunner{}, false, err
	}
	s.runners[reg.id] = reg
	s.issued = append(s.issued, enc, secret)
	return JITRunner{Runner: s.snapshotLocked(reg), EncodedJITConfig: enc}, false, nil
}

// Runner returns one registration, and false when there is none.
func (s *Server) Runner(id int64) (Runner, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	reg, ok := s.runners[id]
	if !ok {
		return Runner{}, false
	}
	return s.snapshotLocked(reg), true
}

// RemoveRunner deletes a registration unless it runs a job: found is false when there is none,
// busy true when it was kept because it runs a job.
func (s *Server) RemoveRunner(id int64) (found, busy bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	reg, ok := s.runners[id]
	switch {
	case !ok:
		return false, false
	case reg.busy:
		return true, true
	}
	s.deleteLocked(id)
	return true, false
}

// Changed is closed at the next change of runners or jobs.
func (s *Server) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wake
}
