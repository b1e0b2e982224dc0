package scale

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/runpod-runner/runpod-runner/internal/config"
)

// TestSharedKeysMeanWhatTheActionsInputsMean: a scale set's shared key gives the same pod
// settings, defaults and errors as the action's input of the same name given the same value,
// runner-version latest included (resolved when a runner is provisioned, as the action does).
func TestSharedKeysMeanWhatTheActionsInputsMean(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		inputs map[string]string // action input → value; the scale set gets the same keys
	}{
		{name: "defaults"},
		{name: "latest", inputs: map[string]string{config.InRunnerVersion: "latest"}},
		{name: "latest_any_case", inputs: map[string]string{config.InRunnerVersion: "LATEST"}},
		{name: "pinned", inputs: map[string]string{config.InRunnerVersion: "2.330.0"}},
		{name: "bad_version", inputs: map[string]string{config.InRunnerVersion: "v2"}},
		{name: "sha_with_latest", inputs: map[string]string{config.InRunnerSHA256: fmt.Sprintf("%064x", 7)}},
		{name: "pinned_with_sha", inputs: map[string]string{config.InRunnerVersion: "2.330.0", config.InRunnerSHA256: fmt.Sprintf("%064x", 7)}},
		{name: "download_url", inputs: map[string]string{config.InRunnerDownloadURL: "https://example.com/runner.tar.gz"}},
		{name: "runner_dir", inputs: map[string]string{config.InRunnerDir: "/opt/runner"}},
		{name: "gpu_count", inputs: map[string]string{config.InGPUCount: "2"}},
		{name: "bad_gpu_count", inputs: map[string]string{config.InGPUCount: "0"}},
		{name: "cloud_type", inputs: map[string]string{config.InCloudType: "community"}},
		{name: "volume", inputs: map[string]string{config.InVolumeGB: "30", config.InVolumeMountPath: "/data"}},
		{name: "bad_disk", inputs: map[string]string{config.InContainerDiskGB: "-3"}},
		{name: "template", inputs: map[string]string{config.InTemplateID: "tpl123"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inputs := map[string]string{config.InGPUTypes: "NVIDIA A40", config.InRunPodAPI: config.APIREST}
			yaml := "github: {url: https://github.com/octo}\nscale-sets:\n  - name: gpu\n    gpu-types: NVIDIA A40\n"
			for input, v := range tc.inputs {
				inputs[input] = v
				yaml += fmt.Sprintf("    %s: %q\n", keyOf(t, input), v)
			}
			want, wantErr := config.Pod(func(name string) string { return inputs[name] })
			c, err := Load([]byte(yaml), tokenEnv, noFile)
			if diff := cmp.Diff(problems(wantErr), problems(err)); diff != "" {
				t.Fatalf("problems (-action +scale set):\n%s", diff)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(want, c.ScaleSets[0].Pod, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("pod settings (-action +scale set):\n%s", diff)
			}
		})
	}
}

// keyOf is the scale-set key of an action input.
func keyOf(t *testing.T, input string) string {
	i := slices.IndexFunc(sharedKeys, func(k struct{ key, input string }) bool { return k.input == input })
	if i < 0 {
		t.Fatalf("input %s is no shared key", input)
	}
	return sharedKeys[i].key
}

// problems is what each error says is wrong, without the key or input that names it.
func problems(err error) []string {
	var out []string
	for _, e := range config.Leaves(err) {
		var ke *KeyError
		if errors.As(e, &ke) {
			out = append(out, ke.Problem)
			continue
		}
		out = append(out, problemOf(e))
	}
	return out
}
