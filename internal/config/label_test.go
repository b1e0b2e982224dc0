package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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

func TestLegLabels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		inputs    map[string]string
		wantLabel []string
		wantTypes [][]string
	}{
		{name: "one_runner", inputs: map[string]string{"gpu-types": "NVIDIA A40, NVIDIA L4"},
			wantLabel: []string{"base"}, wantTypes: [][]string{{"NVIDIA A40", "NVIDIA L4"}}},
		{name: "three_runners_any_type", inputs: map[string]string{"gpu-types": "NVIDIA A40, NVIDIA L4", "runners": "3"},
			wantLabel: []string{"base-1", "base-2", "base-3"}, wantTypes: [][]string{{"NVIDIA A40", "NVIDIA L4"}, {"NVIDIA A40", "NVIDIA L4"}, {"NVIDIA A40", "NVIDIA L4"}}},
		{name: "per_gpu_type", inputs: map[string]string{"gpu-types": "NVIDIA GeForce RTX 4090, NVIDIA H100 80GB HBM3", "fan-out": "per-gpu-type"},
			wantLabel: []string{"base-rtx-4090", "base-h100-80gb-hbm3"}, wantTypes: [][]string{{"NVIDIA GeForce RTX 4090"}, {"NVIDIA H100 80GB HBM3"}}},
		{name: "per_gpu_type_twice", inputs: map[string]string{"gpu-types": "NVIDIA A40", "fan-out": "per-gpu-type", "runners": "2"},
			wantLabel: []string{"base-a40-1", "base-a40-2"}, wantTypes: [][]string{{"NVIDIA A40"}, {"NVIDIA A40"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := Load(env(tc.inputs), false)
			if err != nil {
				t.Fatal(err)
			}
			labels, types, err := cfg.LegLabels("base")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantLabel, labels); diff != "" {
				t.Errorf("labels mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantTypes, types); diff != "" {
				t.Errorf("GPU types mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
