package fakegithub

import (
	"slices"
	"strings"
)

// JobSource is the repository ("owner/name") and workflow ("owner/name/.github/workflows/
// file.yml@ref", as GITHUB_WORKFLOW_REF) a job is defined in.
type JobSource struct {
	Repo, Workflow string
}

// QueueWorkflowJob queues a job of a workflow in a repository. Beside the labels, an
// organization runner takes it only when its runner group can: the group is visible to the
// repository, allows public repositories if the repository is public, and, when restricted to
// selected workflows, lists the job's workflow
// (https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/managing-access-to-self-hosted-runners-using-groups).
// Otherwise the job stays queued, as on GitHub.
func (s *Server) QueueWorkflowJob(from JobSource, labels []string, script string) int64 {
	id := s.QueueJob(labels, script)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs[id].from = from
	return id
}

// groupTakesLocked reports whether the runner's group may be given the job.
func (s *Server) groupTakesLocked(reg *registration, j *job) bool {
	if !reg.sc.isOrg() || j.from.Repo == "" {
		return true
	}
	g, ok := s.group(reg.sc, reg.group)
	switch {
	case !ok || !s.visibleTo(g, j.from.Repo):
		return false
	case s.visibility(j.from.Repo) == "public" && !g.AllowsPublicRepositories:
		return false
	case g.RestrictedToWorkflows:
		return slices.ContainsFunc(g.SelectedWorkflows, func(w string) bool { return sameWorkflow(w, j.from.Workflow) })
	}
	return true
}

// sameWorkflow compares a selected workflow with a job's. The docs give entries pinned as
// "@main" and as "@refs/heads/main" and advise the full form for ambiguous refs (same page),
// so a branch or tag name matches its full ref; nothing else does.
func sameWorkflow(selected, workflow string) bool {
	p1, r1, _ := strings.Cut(selected, "@")
	p2, r2, _ := strings.Cut(workflow, "@")
	return strings.EqualFold(p1, p2) && trimRef(r1) == trimRef(r2)
}

func trimRef(ref string) string {
	for _, p := range []string{"refs/heads/", "refs/tags/"} {
		if r, ok := strings.CutPrefix(ref, p); ok {
			return r
		}
	}
	return ref
}
