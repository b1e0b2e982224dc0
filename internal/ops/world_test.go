package ops

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakepod"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunpod"
)

const (
	testKey   = "rpa_OPSTESTKEY0123456789abcdefghijklmnop"
	testToken = "github_pat_OPSTEST0123456789abcdefghijklmnopqrstuvwxyz"
	repoA     = "octo-org/gpu-lab"
	repoB     = "octo-org/other-lab"
)

// world is the RunPod and GitHub stand-ins over httptest, pods as real sshd when withSSH.
type world struct {
	rp   *fakerunpod.Server
	gh   *fakegithub.Server
	env  map[string]string
	pods *runpod.REST
	dir  string
}

func newWorld(t *testing.T, api string, withSSH bool) *world {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "runpod", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	o := fakerunpod.Options{Schema: string(read("schema.graphql")), OpenAPI: read("rest-v2-openapi.json"),
		Keys: map[string]fakerunpod.KeyAccess{testKey: fakerunpod.ReadWrite}, BootDelay: 50 * time.Millisecond}
	w := &world{dir: t.TempDir()}
	if withSSH {
		host, err := fakepod.NewHost(filepath.Join(w.dir, "pods"))
		if err != nil {
			t.Fatal(err) // sshd is required
		}
		t.Cleanup(func() { _ = host.Close() })
		o.Host = host
	}
	rp, err := fakerunpod.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rp.Close)
	rpSrv := httptest.NewServer(rp)
	t.Cleanup(rpSrv.Close)
	w.rp = rp
	w.gh = fakegithub.New(fakegithub.Options{Repos: []string{repoA, repoB}, Tokens: map[string]fakegithub.Grant{
		testToken: {Administration: map[string]fakegithub.Access{repoA: fakegithub.WriteAccess, repoB: fakegithub.WriteAccess}}}})
	ghSrv := httptest.NewServer(w.gh)
	t.Cleanup(ghSrv.Close)
	w.env = map[string]string{"RUNPOD_API_KEY": testKey, "RUNPOD_API": api, "RUNPOD_API_URL": rpSrv.URL,
		"GITHUB_TOKEN": testToken, "GITHUB_API_URL": ghSrv.URL}
	if api == "graphql" {
		w.env["RUNPOD_API_URL"] = rpSrv.URL + "/graphql"
	}
	w.pods = runpod.NewREST(runpod.Options{URL: rpSrv.URL, APIKey: testKey})
	return w
}

// result is what one command did.
type result struct {
	stdout, stderr string
	err            error
}

func (r result) code() int {
	if r.err == nil {
		return 0
	}
	if ee, ok := r.err.(*ExitError); ok {
		return ee.Code
	}
	return 1
}

// pods runs runpod-runner pods args.
func (w *world) podsCmd(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return w.call(t, RunPods, stdin, args...)
}

func (w *world) call(t *testing.T, cmd func(context.Context, []string, Env) error, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	err := cmd(ctx, args, Env{Getenv: func(k string) string { return w.env[k] }, Stdin: strings.NewReader(stdin),
		Stdout: &out, Stderr: &errOut})
	return result{out.String(), errOut.String(), err}
}

// create makes a pod as the action does (markers given in env), waiting until it runs with SSH
// when the world has pods.
func (w *world) create(t *testing.T, name string, env map[string]string) *runpod.Pod {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := runpod.CreateRequest{Name: name, Image: "runpod/base:0.6.2", GPUTypeID: "NVIDIA GeForce RTX 4090", GPUCount: 1, CloudType: "SECURE", ContainerDiskGB: 20}
	for k, v := range env {
		req.Env = append(req.Env, runpod.EnvVar{Key: k, Value: v})
	}
	p, err := w.pods.Create(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	for p.SSH == nil || !p.Booted {
		time.Sleep(50 * time.Millisecond)
		if p, err = w.pods.Get(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// register makes a runner registration in repo that never comes online.
func (w *world) register(t *testing.T, repo, name string, labels ...string) registration.Runner {
	t.Helper()
	owner, r, _ := strings.Cut(repo, "/")
	rc, err := registration.New(registration.Options{BaseURL: w.env["GITHUB_API_URL"], Token: testToken,
		Scope: registration.Scope{Owner: owner, Repo: r}})
	if err != nil {
		t.Fatal(err)
	}
	jit, err := rc.GenerateJIT(context.Background(), name, 1, labels)
	if err != nil {
		t.Fatal(err)
	}
	return jit.Runner
}

// markers are the env the action puts on a pod of repo, run and label.
func markers(repo, run, label string) map[string]string {
	return map[string]string{marker.Repo: repo, marker.Run: run, marker.Attempt: "1", marker.Label: label}
}

// identity writes a fresh private key to a file and returns the file and the key.
func (w *world) identity(t *testing.T) (string, *remote.Key) {
	t.Helper()
	key, err := remote.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(w.dir, "id_ed25519")
	if err := os.WriteFile(file, []byte(key.PEM), 0o600); err != nil {
		t.Fatal(err)
	}
	return file, key
}
