package config

import (
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
	}{
		{name: "gpu_type", in: "runpod-123-1-NVIDIA GeForce RTX 4090", want: "runpod-123-1-nvidia-geforce-rtx-4090"},
		{name: "trims_edges", in: "--A/B--", want: "a-b"},
		{name: "too_long", in: strings.Repeat("ab ", 30), want: "ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Slug(tc.in)
			if got != tc.want {
				t.Errorf("Slug(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if p := LabelProblem(got); p != "" {
				t.Errorf("Slug(%q) = %q is not a valid label: %s", tc.in, got, p)
			}
		})
	}
}

func TestPodName(t *testing.T) {
	t.Parallel()
	run := Run{ID: "9876543210", Attempt: "3"}
	for _, tc := range []struct {
		name, label, want string
	}{
		{name: "generated_label", label: "runpod-9876543210-3-x7k2pq", want: "gha-9876543210-3-x7k2pq"},
		{name: "user_label", label: "gpu-a", want: "gha-9876543210-3-gpu-a"},
		{name: "long_label_hashed", label: strings.Repeat("l", 48), want: "gha-9876543210-3-" + strings.Repeat("l", 34) + "-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := run.PodName(tc.label)
			if !strings.HasPrefix(got, tc.want) || len(got) > 60 || !strings.HasPrefix(got, run.RunPrefix()) {
				t.Errorf("PodName(%q) = %q, want %q... of at most 60 characters under %q", tc.label, got, tc.want, run.RunPrefix())
			}
		})
	}
}
