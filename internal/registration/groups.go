package registration

import (
	"context"
	"strconv"

	"github.com/google/go-github/v62/github"
)

// DefaultGroupID is the Default runner group, the only one a repository has.
const DefaultGroupID = 1

// GroupID resolves a runner group given by name or numeric id. An empty group is the Default
// group. Repositories have only the Default group; organizations are asked.
func (c *Client) GroupID(ctx context.Context, group string) (int64, error) {
	id, numErr := strconv.ParseInt(group, 10, 64)
	if c.scope.Org == "" {
		if group == "" || id == DefaultGroupID || group == "Default" {
			return DefaultGroupID, nil
		}
		return 0, &Error{Op: "resolve runner-group", Class: Invalid,
			Message: "repository runners can only join the Default group; set organization to use runner groups"}
	}
	groups, err := c.groups(ctx)
	if err != nil {
		return 0, err
	}
	for _, g := range groups {
		switch {
		case group == "" && g.GetDefault(),
			numErr == nil && g.GetID() == id,
			numErr != nil && g.GetName() == group:
			return g.GetID(), nil
		}
	}
	return 0, &Error{Op: "resolve runner-group", Class: Invalid,
		Message: "no runner group " + strconv.Quote(group) + " in " + c.scope.String()}
}

func (c *Client) groups(ctx context.Context) ([]*github.RunnerGroup, error) {
	opts := &github.ListOrgRunnerGroupOptions{ListOptions: github.ListOptions{PerPage: 100}}
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
