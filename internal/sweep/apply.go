package sweep

import (
	"context"
	"fmt"
	"strings"
)

// Apply removes the planned items, pods first (which ends their runners), then registrations;
// each item records whether it went. On a dry run it changes nothing.
func Apply(ctx context.Context, r Rules, items []Item, pods Pods, github func(repo string) (GitHub, error)) []Item {
	if r.DryRun {
		return items
	}
	for _, kind := range []string{KindPod, KindRunner} {
		for i := range items {
			it := &items[i]
			if it.Kind != kind {
				continue
			}
			if kind == KindPod {
				it.Err = pods.Terminate(ctx, it.ID)
			} else if gh, err := github(it.Repository); err != nil {
				it.Err = err
			} else {
				it.Err = gh.Delete(ctx, it.runnerID)
			}
			it.Removed = it.Err == nil
		}
	}
	return items
}

// Failed joins what could not be removed, nil when everything went.
func Failed(items []Item) error {
	var msgs []string
	for _, it := range items {
		if it.Err != nil {
			msgs = append(msgs, fmt.Sprintf("%s %s: %v", it.Kind, it.ID, it.Err))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return fmt.Errorf("sweep could not remove %d item(s): %s", len(msgs), strings.Join(msgs, "; "))
}

// Summary is a Markdown report: each item with its reason and what it was costing.
func Summary(r Rules, items []Item) string {
	var b strings.Builder
	scope := "repository " + r.Repository
	if r.AllRepos {
		scope = "every repository"
	}
	title := "Sweep"
	if r.DryRun {
		title = "Sweep (dry run: nothing was changed)"
	}
	fmt.Fprintf(&b, "### %s of %s\n\n", title, scope)
	if len(items) == 0 {
		b.WriteString("Nothing to remove.\n")
		return b.String()
	}
	b.WriteString("| Kind | Id | Name | Repository | Status | Reason | $/hour | Result |\n|---|---|---|---|---|---|---:|---|\n")
	total := 0.0
	for _, it := range items {
		total += it.CostPerHour
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s | %.3f | %s |\n", it.Kind, cell(it.ID), cell(it.Name), cell(it.Repository),
			cell(it.Status), cell(it.Reason), it.CostPerHour, result(r, it))
	}
	fmt.Fprintf(&b, "\n%d item(s); the pods were costing $%.3f/hour together", len(items), total)
	b.WriteString(" (stopped pods bill their volume as storage, which RunPod may report as $0/hour).\n")
	return b.String()
}

func result(r Rules, it Item) string {
	switch {
	case r.DryRun:
		return "would remove"
	case it.Err != nil:
		return "failed: " + cell(it.Err.Error())
	}
	return "removed"
}

// cell makes untrusted text (names come from pods and API bodies) safe in a table cell.
func cell(s string) string {
	return strings.NewReplacer("|", "/", "\n", " ", "\r", " ", "`", "'", "<", "&lt;", ">", "&gt;").Replace(s)
}
