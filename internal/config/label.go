package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
)

// MaxLabelLength keeps the pod and runner names that a label becomes within RunPod's and
// GitHub's limits.
const MaxLabelLength = 48

var (
	reLabel    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	reNotLabel = regexp.MustCompile(`[^a-z0-9._-]+`)
)

// LabelProblem says what is wrong with a runner label, or "" when it is valid.
func LabelProblem(label string) string {
	switch {
	case len(label) > MaxLabelLength:
		return fmt.Sprintf("must be at most %d characters", MaxLabelLength)
	case !reLabel.MatchString(label):
		return "must start with a letter or digit and hold only letters, digits and ._-"
	}
	return ""
}

// Slug turns any text into a valid label: lowercase, runs of other characters become one
// hyphen, trimmed to MaxLabelLength.
func Slug(s string) string {
	s = strings.Trim(reNotLabel.ReplaceAllString(strings.ToLower(s), "-"), "-._")
	if len(s) > MaxLabelLength {
		s = strings.TrimRight(s[:MaxLabelLength], "-._")
	}
	return s
}

// RunPrefix starts the name of every pod this workflow run creates, in any attempt.
func (r Run) RunPrefix() string { return "gha-" + r.ID + "-" }

// DefaultLabelPrefix starts a generated label; a random suffix follows it.
func (r Run) DefaultLabelPrefix() string { return "runpod-" + r.ID + "-" + r.Attempt + "-" }

// PodNameFor is the name of the pod for a label: pod-name when given; with reuse, gha-<label>,
// the same in every run; else the name of the runner, Run.PodName.
func (c *Config) PodNameFor(label string) string {
	switch {
	case c.PodName != "":
		return c.PodName
	case c.Reuse:
		return "gha-" + label
	}
	return c.Run.PodName(label)
}

// PodName is the name of the pod, and of its runner, for a label in this run:
// gha-<run id>-<attempt>-<label without the generated prefix>, at most 60 characters.
func (r Run) PodName(label string) string {
	name := r.RunPrefix() + r.Attempt + "-" + strings.TrimPrefix(label, r.DefaultLabelPrefix())
	if len(name) <= 60 {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	return strings.TrimRight(name[:51], "-._") + "-" + hex.EncodeToString(sum[:4])
}

// GPUSlug is a short label part for a GPU type: its slug without the maker's and the product
// line's names, so "NVIDIA GeForce RTX 4090" becomes "rtx-4090".
func GPUSlug(gpuType string) string {
	s := Slug(gpuType)
	for _, noise := range []string{"nvidia-", "geforce-", "amd-", "instinct-", "tesla-"} {
		s = strings.ReplaceAll(s, noise, "")
	}
	return strings.Trim(s, "-")
}

// LegLabels are the labels of the runners one start makes: base alone for one runner, else
// base-<gpu slug> per GPU type with fan-out per-gpu-type, with -<n> when there are several of
// each. An error says when they would be too long.
func (c *Config) LegLabels(base string) ([]string, [][]string, error) {
	if c.Legs() == 1 {
		return []string{base}, [][]string{c.GPUTypes}, nil
	}
	var labels []string
	var types [][]string
	add := func(suffix string, gpus []string) {
		labels, types = append(labels, base+"-"+suffix), append(types, gpus)
	}
	if c.FanOut == FanOutPerGPUType {
		for _, g := range c.GPUTypes {
			for n := 1; n <= c.Runners; n++ {
				suffix := GPUSlug(g)
				if c.Runners > 1 {
					suffix += fmt.Sprintf("-%d", n)
				}
				add(suffix, []string{g})
			}
		}
	} else {
		for n := 1; n <= c.Runners; n++ {
			add(fmt.Sprint(n), c.GPUTypes)
		}
	}
	for _, l := range labels {
		if p := LabelProblem(l); p != "" {
			return nil, nil, &InputError{Input: InLabel, Problem: fmt.Sprintf("with fan-out the runner label %q %s; use a shorter label", l, p)}
		}
	}
	return labels, types, nil
}
