package fakegithub

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// jitRequest is the body of a generate-jitconfig request. Pointers tell a
// missing field from a zero one.
type jitRequest struct {
	Name          *string  `json:"name"`
	RunnerGroupID *int64   `json:"runner_group_id"`
	Labels        []string `json:"labels"`
	WorkFolder    *string  `json:"work_folder"`
}

// jitResponse is the 201 body of a generate-jitconfig request.
type jitResponse struct {
	Runner           runnerJSON `json:"runner"`
	EncodedJITConfig string     `json:"encoded_jit_config"`
}

const (
	maxNameLen   = 64
	maxLabels    = 100
	badNameChars = `"/:<>\|*?`
)

// generateJIT serves POST .../actions/runners/generate-jitconfig.
func (s *Server) generateJIT(w http.ResponseWriter, r *http.Request, sc scope) {
	doc := docURL(epJIT, sc.isOrg())
	var req jitRequest
	if err := decodeBody(r.Body, &req); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) || errors.Is(err, io.ErrUnexpectedEOF) {
			writeError(w, http.StatusBadRequest, "Problems parsing JSON", doc)
			return
		}
		writeError(w, http.StatusUnprocessableEntity, invalidRequest(err), doc)
		return
	}
	if req.RunnerGroupID == nil {
		writeError(w, http.StatusUnprocessableEntity,
			"Invalid input: object is missing required key: runner_group_id.", doc)
		return
	}
	if fe := validateJIT(req); fe != nil {
		writeValidation(w, doc, *fe)
		return
	}
	group, ok := s.group(sc, *req.RunnerGroupID)
	if !ok {
		writeError(w, http.StatusNotFound, "Not Found", doc)
		return
	}
	if group.GitHubHosted {
		writeError(w, http.StatusForbidden,
			fmt.Sprintf("Runner group %d is reserved for GitHub-hosted runners.", group.ID), doc)
		return
	}
	resp, exists, err := s.register(r, sc, req)
	switch {
	case exists:
		writeError(w, http.StatusConflict, fmt.Sprintf(
			"Already exists - A runner with the name %s already exists.", *req.Name), doc)
	case err != nil:
		writeError(w, http.StatusInternalServerError, "Server Error", doc)
	default:
		writeJSON(w, http.StatusCreated, resp)
	}
}

// invalidRequest describes a body whose JSON has the wrong types.
func invalidRequest(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("Invalid request.\n\nFor '%s', %s is not a %s.", te.Field, te.Value, te.Type.Kind())
	}
	return "Invalid request."
}

// decodeBody decodes a JSON body; an empty body decodes as {}.
func decodeBody(body io.Reader, v any) error {
	err := json.NewDecoder(body).Decode(v)
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// validateJIT checks name and labels.
func validateJIT(req jitRequest) *fieldError {
	invalid := func(field, msg string) *fieldError {
		return &fieldError{Resource: "Runner", Field: field, Code: "invalid", Message: msg}
	}
	switch {
	case req.Name == nil || strings.TrimSpace(*req.Name) == "":
		return &fieldError{Resource: "Runner", Field: "name", Code: "missing_field"}
	case utf8.RuneCountInString(*req.Name) > maxNameLen:
		return invalid("name", fmt.Sprintf("Name must be %d characters or fewer.", maxNameLen))
	case strings.ContainsAny(*req.Name, badNameChars):
		return invalid("name", `Name must not contain any of: " / : < > \ | * ?`)
	case len(req.Labels) == 0:
		return &fieldError{Resource: "Runner", Field: "labels", Code: "missing_field"}
	case len(req.Labels) > maxLabels:
		return invalid("labels", fmt.Sprintf("At most %d labels are allowed.", maxLabels))
	}
	for _, l := range req.Labels {
		if strings.TrimSpace(l) == "" {
			return invalid("labels", "Labels must not be empty.")
		}
	}
	return nil
}

// group finds a runner group of the scope. Repositories see the Default
// group (ID 1) and the GitHub-hosted group (ID 2).
func (s *Server) group(sc scope, id int64) (RunnerGroup, bool) {
	if !sc.isOrg() {
		switch id {
		case 1:
			return RunnerGroup{ID: 1, Name: "Default", Default: true}, true
		case 2:
			return RunnerGroup{ID: 2, Name: "GitHub-hosted", GitHubHosted: true}, true
		}
		return RunnerGroup{}, false
	}
	for _, g := range s.opts.Orgs[sc.org] {
		if g.ID == id {
			return g, true
		}
	}
	return RunnerGroup{}, false
}

// register creates the runner registration and its encoded configuration.
// It reports exists when the scope already has a runner with that name.
func (s *Server) register(r *http.Request, sc scope, req jitRequest) (jitResponse, bool, error) {
	secret, err := randomHex(32)
	if err != nil {
		return jitResponse{}, false, fmt.Errorf("generate token: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	name := *req.Name
	if s.findByNameLocked(sc, name) != nil {
		return jitResponse{}, true, nil
	}
	s.nextRunner++
	reg := &registration{
		id: s.nextRunner, name: name, sc: sc, group: *req.RunnerGroupID,
		labels: dedupeLabels(req.Labels), os: "unknown", token: secret,
	}
	enc, err := encodeJIT(jitFiles{reg: reg, base: s.baseURL(r), workFolder: req.WorkFolder})
	if err != nil {
		return jitResponse{}, false, err
	}
	s.runners[reg.id] = reg
	s.issued = append(s.issued, enc, secret)
	return jitResponse{Runner: s.runnerJSONLocked(reg), EncodedJITConfig: enc}, false, nil
}

// IssuedSecrets returns every just-in-time configuration the server handed out, and the runner
// credential inside each: what must never show in anything the action writes.
func (s *Server) IssuedSecrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

// dedupeLabels drops repeated labels, comparing without case.
func dedupeLabels(labels []string) []string {
	seen := make(map[string]bool, len(labels))
	var out []string
	for _, l := range labels {
		if k := strings.ToLower(l); !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	return out
}

// baseURL is the server's own base URL as the client sees it.
func (s *Server) baseURL(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return s.opts.PublicURL
	}
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}
