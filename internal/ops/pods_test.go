package ops

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestPodsHelp: every subcommand answers --help with its usage and flags and exit status 0; a
// wrong command line exits 2 and says what is wrong.
func TestPodsHelp(t *testing.T) {
	t.Parallel()
	w := &world{env: map[string]string{}}
	for name, h := range podHelp {
		r := w.podsCmd(t, "", name, "--help")
		if r.err != nil || !strings.HasPrefix(r.stdout, "Usage: runpod-runner "+h.usage) || !strings.Contains(r.stdout, "RUNPOD_API_KEY") {
			t.Errorf("pods %s --help = %v\n%s", name, r.err, r.stdout)
		}
	}
	for _, flag := range []string{"-identity", "-host-key", "-accept-new"} {
		if r := w.podsCmd(t, "", "exec", "--help"); !strings.Contains(r.stdout, flag) {
			t.Errorf("pods exec --help lacks %s:\n%s", flag, r.stdout)
		}
	}
	if r := w.podsCmd(t, "", "--help"); r.err != nil || !strings.Contains(r.stdout, "terminate") {
		t.Errorf("pods --help = %v\n%s", r.err, r.stdout)
	}
	for _, args := range [][]string{{}, {"launch"}, {"list", "--bogus"}, {"status"}, {"exec", "pod1", "true"},
		{"cp", "a", "b"}, {"list", "--repo", "not a repo"}, {"exec", "--identity", "x", "--host-key", "MD5:aa", "pod1", "--", "true"}} {
		if r := w.podsCmd(t, "", args...); r.code() != 2 {
			t.Errorf("pods %q: exit %d (%v), want 2", args, r.code(), r.err)
		}
	}
	if r := w.podsCmd(t, "", "list"); r.code() != 2 || !strings.Contains(r.err.Error(), "RUNPOD_API_KEY") {
		t.Errorf("pods list without a key: %v, want exit 2 naming RUNPOD_API_KEY", r.err)
	}
}

// TestPodsList: the action's pods, by repository, with their markers and runner state; --all
// adds the account's other pods as not ours.
func TestPodsList(t *testing.T) {
	t.Parallel()
	for _, api := range []string{"rest", "graphql"} {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, api, false)
			a := w.create(t, "gha-11-1-a", markers(repoA, "11", "runpod-11-1-a"))
			b := w.create(t, "gha-22-1-b", markers(repoA, "22", "runpod-22-1-b"))
			other := w.create(t, "gha-33-1-c", markers(repoB, "33", "runpod-33-1-c"))
			mine := w.create(t, "jupyter", nil)
			ra := w.register(t, repoA, "gha-11-1-a", "runpod-11-1-a")
			if err := w.gh.SetBusy(w.register(t, repoB, "gha-33-1-c", "runpod-33-1-c").ID, true); err != nil {
				t.Fatal(err)
			}

			r := w.podsCmd(t, "", "list", "--json")
			if r.err != nil {
				t.Fatalf("list: %v\n%s", r.err, r.stderr)
			}
			var got []PodView
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatalf("list --json: %v\n%s", err, r.stdout)
			}
			want := []PodView{
				{ID: a.ID, Name: a.Name, Status: "RUNNING", GPUCount: 1, Ours: true, Repository: repoA, Run: "11", Attempt: "1", Label: "runpod-11-1-a", Runner: RunnerOffline, RunnerID: ra.ID},
				{ID: b.ID, Name: b.Name, Status: "RUNNING", GPUCount: 1, Ours: true, Repository: repoA, Run: "22", Attempt: "1", Label: "runpod-22-1-b", Runner: RunnerGone},
				{ID: other.ID, Name: other.Name, Status: "RUNNING", GPUCount: 1, Ours: true, Repository: repoB, Run: "33", Attempt: "1", Label: "runpod-33-1-c", Runner: RunnerBusy},
			}
			ignore := cmpopts.IgnoreFields(PodView{}, "GPUType", "CostPerHour", "AgeSeconds", "UptimeSeconds", "AccruedCost", "SSH", "RunnerID")
			sortByID := cmpopts.SortSlices(func(x, y PodView) bool { return x.ID < y.ID })
			if diff := cmp.Diff(want, got, ignore, sortByID); diff != "" {
				t.Errorf("list --json mismatch (-want +got):\n%s", diff)
			}
			for _, v := range got {
				if v.CostPerHour <= 0 || v.GPUType == "" || v.AgeSeconds < 0 || (v.ID == a.ID && v.RunnerID != ra.ID) {
					t.Errorf("pod %s: cost %.3f, GPU %q, age %d, runner id %d", v.ID, v.CostPerHour, v.GPUType, v.AgeSeconds, v.RunnerID)
				}
			}

			r = w.podsCmd(t, "", "list", "--json", "--all", "--repo", repoA)
			got = nil
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, v := range got {
				ids = append(ids, v.ID)
				if v.ID == mine.ID && (v.Ours || v.Repository != "" || v.Runner != RunnerUnknown) {
					t.Errorf("the unmarked pod shows as %+v", v)
				}
			}
			if diff := cmp.Diff([]string{a.ID, b.ID, mine.ID}, ids, cmpopts.SortSlices(func(x, y string) bool { return x < y })); diff != "" {
				t.Errorf("list --all --repo %s (-want +got):\n%s", repoA, diff)
			}

			table := w.podsCmd(t, "", "list", "--all").stdout
			for _, s := range []string{"POD", "RUNNER", a.ID + " ", "11/1", "runpod-11-1-a", "(not ours)", RunnerBusy, RunnerGone} {
				if !strings.Contains(table, s) {
					t.Errorf("list table lacks %q:\n%s", s, table)
				}
			}
		})
	}
}

// TestPodsStatusStopTerminate: status shows one pod; stop and terminate act on it.
func TestPodsStatusStopTerminate(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "rest", false)
	p := w.create(t, "gha-11-1-a", markers(repoA, "11", "runpod-11-1-a"))
	r := w.podsCmd(t, "", "status", p.ID)
	for _, s := range []string{"Pod:", p.ID, "RUNNING", "Repository:", repoA, "Runner:", RunnerGone} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("status lacks %q:\n%s", s, r.stdout)
		}
	}
	var v PodView
	if err := json.Unmarshal([]byte(w.podsCmd(t, "", "status", "--json", p.ID).stdout), &v); err != nil || v.ID != p.ID || v.Run != "11" {
		t.Errorf("status --json: %v, %+v", err, v)
	}
	if r := w.podsCmd(t, "", "stop", p.ID); r.err != nil || !strings.Contains(r.stdout, "is stopped") {
		t.Fatalf("stop: %v %s", r.err, r.stdout)
	}
	if got := w.rp.Pods(); len(got) != 1 || got[0].Status != "EXITED" {
		t.Errorf("after stop: %+v", got)
	}
	if r := w.podsCmd(t, "", "terminate", p.ID); r.err != nil {
		t.Fatalf("terminate: %v", r.err)
	}
	if got := w.rp.Pods(); len(got) != 0 {
		t.Errorf("after terminate: %+v", got)
	}
	if r := w.podsCmd(t, "", "status", p.ID); r.code() != 1 || !strings.Contains(r.err.Error(), p.ID) {
		t.Errorf("status of a terminated pod: %v", r.err)
	}
}

// TestPodsLogs: the container log from RunPod's logs endpoint; GraphQL has none and says so.
func TestPodsLogs(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "rest", false)
	p := w.create(t, "gha-11-1-a", markers(repoA, "11", "runpod-11-1-a"))
	r := w.podsCmd(t, "", "logs", "--lines", "20", p.ID)
	if r.err != nil || !strings.Contains(r.stdout, "[system]") {
		t.Errorf("logs: %v\n%s", r.err, r.stdout)
	}
	w.env["RUNPOD_API"], w.env["RUNPOD_API_URL"] = "graphql", w.env["RUNPOD_API_URL"]+"/graphql"
	if r := w.podsCmd(t, "", "logs", p.ID); r.code() != 2 || !strings.Contains(r.err.Error(), "GraphQL") {
		t.Errorf("logs on graphql: %v", r.err)
	}
}
