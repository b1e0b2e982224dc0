package registration

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/go-github/v62/github"
)

// canTakeJobs says why a group visible to the repository would still never be given its job:
// the repository is public and the group allows private repositories only, or the group takes
// jobs only of selected workflows and this one is not among them
// (https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/managing-access-to-self-hosted-runners-using-groups).
// GitHub registers the runner all the same; the job would queue forever.
func (c *Client) canTakeJobs(ctx context.Context, g *github.RunnerGroup) error {
	if c.scope.Repo != "" && !g.GetAllowsPublicRepositories() {
		public, err := c.public(ctx)
		if err != nil {
			return err
		}
		if public {
			return c.refused(g, fmt.Sprintf("%s/%s is public and the group allows private repositories only",
				c.scope.Owner, c.scope.Repo))
		}
	}
	if g.GetRestrictedToWorkflows() && c.workflow != "" && !workflowSelected(g.SelectedWorkflows, c.workflow, c.workflowSHA) {
		return c.refused(g, fmt.Sprintf("it takes jobs only of the workflows %s, and only of jobs defined in them; "+
			"this job's workflow is %s", strings.Join(g.SelectedWorkflows, ", "), c.workflow))
	}
	return nil
}

// refused is the error of a group that cannot take the job, naming the group and the reason.
func (c *Client) refused(g *github.RunnerGroup, why string) error {
	return &Error{Op: opGroup, Class: Invalid, Message: fmt.Sprintf(
		"runner group %s (id %d) of %s cannot take this job: %s; the runner would come online and the job queue forever",
		strconv.Quote(g.GetName()), g.GetID(), c.scope, why)}
}

// public reports whether the repository is public. GitHub answers any token about a public
// repository and 404 about a private one the token may not see
// (https://docs.github.com/en/rest/repos/repos#get-a-repository), so a 404 (or a 403, as
// under SAML enforcement) means not public, or not knowable: either way no reason to refuse.
func (c *Client) public(ctx context.Context) (bool, error) {
	var repo *github.Repository
	err := c.call(ctx, "get repository "+c.scope.Owner+"/"+c.scope.Repo, func(ctx context.Context) (resp *github.Response, err error) {
		repo, resp, err = c.gh.Repositories.Get(ctx, c.scope.Owner, c.scope.Repo)
		return resp, err
	})
	switch ClassOf(err) {
	case OK:
		if v := repo.GetVisibility(); v != "" {
			return v == "public", nil
		}
		return !repo.GetPrivate(), nil
	case NotFound, Auth:
		return false, nil
	}
	return false, err
}

// workflowSelected reports whether a running workflow (GITHUB_WORKFLOW_REF, and its commit)
// is one of a group's selected workflows. GitHub's entries are
// "owner/repo/.github/workflows/file.yml@ref" with the ref a branch, a tag (short or as
// refs/heads/..., refs/tags/...) or a full SHA (same page as canTakeJobs). How GitHub compares
// a short ref with the full one is not documented, so every reading that could accept is
// accepted: the same path (without case) and the same ref, short or full, or the workflow's
// SHA, or an entry with no ref at all.
func workflowSelected(selected []string, workflow, sha string) bool {
	path, ref := splitWorkflow(workflow)
	for _, s := range selected {
		p, r := splitWorkflow(strings.TrimSpace(s))
		if !strings.EqualFold(p, path) {
			continue
		}
		if r == "" || r == ref || shortRef(r) == shortRef(ref) || (sha != "" && strings.EqualFold(r, sha)) {
			return true
		}
	}
	return false
}

// splitWorkflow splits "owner/repo/.github/workflows/file.yml@ref" after the file's
// extension, since a ref may hold "@" too.
func splitWorkflow(w string) (path, ref string) {
	for _, ext := range []string{".yml@", ".yaml@"} {
		if i := strings.Index(w, ext); i >= 0 {
			return w[:i+len(ext)-1], w[i+len(ext):]
		}
	}
	return w, ""
}

// shortRef drops refs/heads/ or refs/tags/ from a ref.
func shortRef(ref string) string {
	for _, p := range []string{"refs/heads/", "refs/tags/"} {
		if r, ok := strings.CutPrefix(ref, p); ok {
			return r
		}
	}
	return ref
}
