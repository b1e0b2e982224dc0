package registration

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/go-github/v62/github"
)

// DefaultGroupID is the Default runner group, the only one a repository has.
const DefaultGroupID = 1

// opGroup names the resolution of the runner-group input in errors.
const opGroup = "resolve runner-group"

// GroupID resolves a runner group given by name or numeric id. An empty group is the Default
// group. Repositories have only the Default group; organizations are asked, and a group that
// cannot take the repository's jobs is an error, before any runner exists.
func (c *Client) GroupID(ctx context.Context, group string) (int64, error) {
	if c.scope.Org == "" {
		id, err := strconv.ParseInt(group, 10, 64)
		if group == "" || (err == nil && id == DefaultGroupID) || group == "Default" {
			return DefaultGroupID, nil
		}
		return 0, &Error{Op: opGroup, Class: Invalid,
			Message: "repository runners can only join the Default group; set organization to use runner groups"}
	}
	g, err := c.findGroup(ctx, group)
	if err != nil {
		return 0, err
	}
	if err := c.canTakeJobs(ctx, g); err != nil {
		return 0, err
	}
	return g.GetID(), nil
}

// findGroup finds the group among those visible to the repository, or says why it is not
// there: it does not exist, or the repository may not use it.
func (c *Client) findGroup(ctx context.Context, group string) (*github.RunnerGroup, error) {
	if c.scope.Repo != "" && !strings.EqualFold(c.scope.Owner, c.scope.Org) {
		return nil, &Error{Op: opGroup, Class: Invalid, Message: fmt.Sprintf(
			"runners of %s can take jobs only of its own repositories, not of %s/%s; set organization to %s",
			c.scope, c.scope.Owner, c.scope.Repo, c.scope.Owner)}
	}
	visible, err := c.groups(ctx, c.scope.Repo)
	if err != nil {
		return nil, err
	}
	if g := pickGroup(visible, group); g != nil {
		return g, nil
	}
	if c.scope.Repo != "" {
		all, err := c.groups(ctx, "")
		if err != nil {
			return nil, err
		}
		if g := pickGroup(all, group); g != nil {
			return nil, c.refused(g, fmt.Sprintf("its repository access (%s) does not include %s/%s",
				g.GetVisibility(), c.scope.Owner, c.scope.Repo))
		}
	}
	return nil, &Error{Op: opGroup, Class: Invalid,
		Message: "no runner group " + strconv.Quote(group) + " in " + c.scope.String()}
}

// pickGroup returns the group named by name or id, or the Default group for "".
func pickGroup(groups []*github.RunnerGroup, group string) *github.RunnerGroup {
	id, numErr := strconv.ParseInt(group, 10, 64)
	for _, g := range groups {
		switch {
		case group == "" && g.GetDefault(),
			numErr == nil && g.GetID() == id,
			numErr != nil && g.GetName() == group:
			return g
		}
	}
	return nil
}

// groups lists the organization's runner groups; with a repository name, only those GitHub
// lets that repository use
// (https://docs.github.com/en/rest/actions/self-hosted-runner-groups#list-self-hosted-runner-groups-for-an-organization).
func (c *Client) groups(ctx context.Context, visibleTo string) ([]*github.RunnerGroup, error) {
	opts := &github.ListOrgRunnerGroupOptions{ListOptions: github.ListOptions{PerPage: 100}, VisibleToRepository: visibleTo}
	var out []*github.RunnerGroup
	for {
		var page *github.RunnerGroups
		var next int
		err := c.call(ctx, "list runner groups of "+c.scope.String(), func(ctx context.Context) (resp *github.Response, err error) {
			page, resp, err = c.gh.Actions.ListOrganizationRunnerGroups(ctx, c.scope.Org, opts)
			if resp != nil {
				next = resp.NextPage
			}
			return resp, err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, page.RunnerGroups...)
		if next == 0 {
			return out, nil
		}
		opts.Page = next
	}
}

// Download is a runner application package GitHub offers.
type Download struct {
	OS, Arch, URL, Filename, SHA256 string
	// Token, when GitHub gives one (GitHub Enterprise Server), must be sent as a Bearer
	// token to download the package.
	Token string
}

// Downloads lists the runner packages GitHub currently offers to the scope.
func (c *Client) Downloads(ctx context.Context) ([]Download, error) {
	var list []*github.RunnerApplicationDownload
	err := c.call(ctx, "list runner downloads of "+c.scope.String(), func(ctx context.Context) (resp *github.Response, err error) {
		if c.scope.Org != "" {
			list, resp, err = c.gh.Actions.ListOrganizationRunnerApplicationDownloads(ctx, c.scope.Org)
		} else {
			list, resp, err = c.gh.Actions.ListRunnerApplicationDownloads(ctx, c.scope.Owner, c.scope.Repo)
		}
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]Download, 0, len(list))
	for _, d := range list {
		out = append(out, Download{OS: d.GetOS(), Arch: d.GetArchitecture(), URL: d.GetDownloadURL(),
			Filename: d.GetFilename(), SHA256: d.GetSHA256Checksum(), Token: d.GetTempDownloadToken()})
	}
	return out, nil
}
