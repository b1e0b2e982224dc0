package scale

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/actions/scaleset"
	"github.com/cenkalti/backoff/v4"
)

// scaleSet gets the scale set by name in the runner group, or creates it; its labels are its
// name and the configured labels.
func (a *Autoscaler) scaleSet(ctx context.Context, set *ScaleSet) (int, error) {
	group, err := a.c.GetRunnerGroupByName(ctx, a.cfg.RunnerGroup)
	if err != nil {
		return 0, fmt.Errorf("runner group %q: %w", a.cfg.RunnerGroup, err)
	}
	want := &scaleset.RunnerScaleSet{Name: set.Name, RunnerGroupID: group.ID, Labels: labelsOf(set),
		RunnerSetting: scaleset.RunnerSetting{DisableUpdate: set.Pod.RunnerVersion != "latest"}}
	got, err := a.c.GetRunnerScaleSet(ctx, group.ID, set.Name)
	if err != nil {
		return 0, fmt.Errorf("scale set %s: %w", set.Name, err)
	}
	if got == nil {
		got, err = a.c.CreateRunnerScaleSet(ctx, want)
		if err != nil {
			return 0, fmt.Errorf("create scale set %s: %w", set.Name, err)
		}
		a.d.Log.Info("scale set created", "scale_set", set.Name, "id", got.ID, "labels", set.Pod.RunnerLabels)
		return got.ID, nil
	}
	if !sameLabels(got.Labels, want.Labels) {
		if _, err := a.c.UpdateRunnerScaleSet(ctx, got.ID, want); err != nil {
			return 0, fmt.Errorf("update the labels of scale set %s: %w", set.Name, err)
		}
		a.d.Log.Info("scale set labels updated", "scale_set", set.Name, "id", got.ID)
	}
	return got.ID, nil
}

func labelsOf(set *ScaleSet) []scaleset.Label {
	out := []scaleset.Label{{Name: set.Name, Type: "System"}}
	for _, l := range set.Pod.RunnerLabels {
		if !strings.EqualFold(l, set.Name) {
			out = append(out, scaleset.Label{Name: l, Type: "System"})
		}
	}
	return out
}

func sameLabels(a, b []scaleset.Label) bool {
	names := func(ls []scaleset.Label) []string {
		var out []string
		for _, l := range ls {
			out = append(out, strings.ToLower(l.Name))
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(names(a), names(b))
}

// session opens the scale set's message session. GitHub refuses a second session (409) while
// another lives; a listener killed with -9 leaves its session until it expires, so a refusal is
// retried with backoff for SessionWait, then reported naming the likely cause.
func (a *Autoscaler) session(ctx context.Context, name string, id int) (*scaleset.MessageSessionClient, error) {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval, b.MaxElapsedTime = time.Second, 15*time.Second, a.opts.SessionWait
	var sess *scaleset.MessageSessionClient
	op := func() error {
		var err error
		sess, err = a.c.MessageSessionClient(ctx, id, a.opts.Owner)
		if err != nil && !conflict(err) {
			return backoff.Permanent(err)
		}
		return err
	}
	notify := func(err error, wait time.Duration) {
		a.d.Log.Warn("message session refused", "scale_set", name, "reason", "another listener holds it (409)", "retry_in", wait.Round(time.Second).String())
	}
	err := backoff.RetryNotify(op, backoff.WithContext(b, ctx), notify)
	switch {
	case err != nil && conflict(err):
		return nil, fmt.Errorf("scale set %s: GitHub refused a message session for %s (409 Conflict): another "+
			"runpod-runner scale (or another listener) is most likely running for this scale set; stop it, or, after a kill -9, "+
			"wait a few minutes for its session to expire: %w", name, a.opts.SessionWait, err)
	case err != nil:
		return nil, fmt.Errorf("scale set %s: open a message session: %w", name, err)
	}
	a.d.Log.Info("message session open", "scale_set", name, "id", id)
	return sess, nil
}

// conflict reports GitHub's refusal of a second session (errors.go: the status is in the error).
func conflict(err error) bool {
	s := err.Error()
	return strings.Contains(s, "409 Conflict") || strings.Contains(s, "SessionConflictException")
}
