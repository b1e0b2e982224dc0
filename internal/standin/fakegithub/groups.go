package fakegithub

import (
	"fmt"
	"net/http"
	"slices"
)

// groupJSON is a runner group as the REST API returns it.
type groupJSON struct {
	ID                           int64    `json:"id"`
	Name                         string   `json:"name"`
	Visibility                   string   `json:"visibility"`
	Default                      bool     `json:"default"`
	RunnersURL                   string   `json:"runners_url"`
	Inherited                    bool     `json:"inherited"`
	AllowsPublicRepositories     bool     `json:"allows_public_repositories"`
	RestrictedToWorkflows        bool     `json:"restricted_to_workflows"`
	SelectedWorkflows            []string `json:"selected_workflows"`
	WorkflowRestrictionsReadOnly bool     `json:"workflow_restrictions_read_only"`
}

// groupsPage is the body of a runner group list.
type groupsPage struct {
	TotalCount   int         `json:"total_count"`
	RunnerGroups []groupJSON `json:"runner_groups"`
}

// runnerGroups serves GET /orgs/{org}/actions/runner-groups.
func (s *Server) runnerGroups(w http.ResponseWriter, r *http.Request, sc scope) {
	groups := slices.Clone(s.opts.Orgs[sc.org])
	slices.SortFunc(groups, func(a, b RunnerGroup) int { return int(a.ID - b.ID) })
	base := s.baseURL(r)
	pg := pageOf(r, len(groups))
	body := groupsPage{TotalCount: len(groups), RunnerGroups: []groupJSON{}}
	for _, g := range groups[pg.start:pg.end] {
		body.RunnerGroups = append(body.RunnerGroups, groupJSON{
			ID: g.ID, Name: g.Name, Visibility: g.Visibility, Default: g.Default,
			RunnersURL: fmt.Sprintf("%s/orgs/%s/actions/runner-groups/%d/runners", base, sc.org, g.ID),
			Inherited:  g.Inherited, AllowsPublicRepositories: g.AllowsPublicRepositories,
			SelectedWorkflows: []string{},
		})
	}
	pg.setLink(w, r, base)
	writeJSON(w, http.StatusOK, body)
}

// downloads serves GET .../actions/runners/downloads.
func (s *Server) downloads(w http.ResponseWriter, _ *http.Request, _ scope) {
	s.mu.Lock()
	list := slices.Clone(s.opts.Downloads)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, list)
}

// Downloads is the runner application downloads list the server offers.
func (s *Server) Downloads() []Download {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.opts.Downloads)
}

// SetDownloads replaces the runner application downloads list, for tests
// that learn the download URL only after the server has started.
func (s *Server) SetDownloads(list []Download) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.Downloads = append([]Download{}, list...)
}
