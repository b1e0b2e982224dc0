package ops

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"
)

var reRepo = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$`)

// cutRepo splits OWNER/REPO, reporting whether it is one.
func cutRepo(repo string) (owner, name string, ok bool) {
	if !reRepo.MatchString(repo) {
		return "", "", false
	}
	owner, name, _ = strings.Cut(repo, "/")
	return owner, name, true
}

func runList(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("list")
	repo := fs.String("repo", "", "only the pods of this repository (OWNER/REPO)")
	all := fs.Bool("all", false, "also the account's other pods, marked as not ours")
	org := fs.String("org", "", "read runner state from this organization's runners instead of each repository's")
	asJSON := fs.Bool("json", false, "print JSON")
	if help, err := c.parse(fs, args); help || err != nil {
		return err
	}
	if *repo != "" {
		if _, _, ok := cutRepo(*repo); !ok {
			return usageError("list: --repo must be OWNER/REPO, got %q", *repo)
		}
	}
	if fs.NArg() > 0 {
		return usageError("list: unexpected arguments %q", fs.Args())
	}
	api, err := c.api()
	if err != nil {
		return err
	}
	pods, err := api.List(ctx)
	if err != nil {
		return errorf(err, "listing pods")
	}
	now := c.env.Now()
	views := []PodView{}
	for _, p := range pods {
		v := newView(p, now)
		if (!v.Ours && !*all) || (v.Ours && *repo != "" && v.Repository != *repo) {
			continue
		}
		views = append(views, v)
	}
	c.addRunnerStates(ctx, views, *org)
	if *asJSON {
		return writeJSON(c.env.Stdout, views)
	}
	return writeTable(c.env.Stdout, views)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func writeTable(w io.Writer, views []PodView) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "POD\tNAME\tSTATUS\tGPU\t$/HOUR\tAGE\tCOST\tREPOSITORY\tRUN\tLABEL\tRUNNER")
	for _, v := range views {
		repo, run, label := v.Repository, v.Run, v.Label
		if !v.Ours {
			repo, run, label = "(not ours)", "-", "-"
		}
		if v.Attempt != "" {
			run += "/" + v.Attempt
		}
		if v.ScaleSet != "" {
			label = "scale set " + v.ScaleSet
		}
		runner := v.Runner
		if !v.Ours {
			runner = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d × %s\t%.3f\t%s\t$%.2f\t%s\t%s\t%s\t%s\n", v.ID, v.Name, v.Status, v.GPUCount, v.GPUType,
			v.CostPerHour, age(v.AgeSeconds), v.AccruedCost, repo, run, label, runner)
	}
	return tw.Flush()
}

// age renders seconds as 45s, 12m, 3h12m or 2d4h.
func age(s int64) string {
	d := time.Duration(s) * time.Second
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", s)
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
}

func runStatus(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("status")
	asJSON := fs.Bool("json", false, "print JSON")
	org := fs.String("org", "", "read runner state from this organization's runners")
	if help, err := c.parse(fs, args); help || err != nil {
		return err
	}
	id, err := podArg(fs)
	if err != nil {
		return err
	}
	api, err := c.api()
	if err != nil {
		return err
	}
	p, err := api.Get(ctx, id)
	if err != nil {
		return errorf(err, "getting pod %s", id)
	}
	views := []PodView{newView(*p, c.env.Now())}
	c.addRunnerStates(ctx, views, *org)
	if *asJSON {
		return writeJSON(c.env.Stdout, views[0])
	}
	v := views[0]
	tw := tabwriter.NewWriter(c.env.Stdout, 0, 4, 2, ' ', 0)
	for _, row := range [][2]string{
		{"Pod", v.ID}, {"Name", v.Name}, {"Status", v.Status}, {"GPU", fmt.Sprintf("%d × %s", v.GPUCount, v.GPUType)},
		{"$/hour", fmt.Sprintf("%.3f", v.CostPerHour)}, {"Age", age(v.AgeSeconds)}, {"Uptime", age(int64(v.UptimeSeconds))},
		{"Cost since start", fmt.Sprintf("$%.3f", v.AccruedCost)}, {"SSH", v.SSH}, {"Ours", fmt.Sprint(v.Ours)},
		{"Repository", v.Repository}, {"Run", v.Run}, {"Attempt", v.Attempt}, {"Label", v.Label}, {"Group", v.Group},
		{"Scale set", v.ScaleSet}, {"Runner", fmt.Sprintf("%s (id %d)", v.Runner, v.RunnerID)},
	} {
		if row[1] != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", row[0], row[1])
		}
	}
	return tw.Flush()
}
