package runpod

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/runpod-runner/runpod-runner/internal/retry"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunpod"
)

func standIn(t *testing.T, opts fakerunpod.Options) (*fakerunpod.Server, string) {
	t.Helper()
	schema, err := os.ReadFile("../../testdata/runpod/schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	opts.Schema = string(schema)
	if opts.Keys == nil {
		opts.Keys = map[string]fakerunpod.KeyAccess{"rpa_good": fakerunpod.ReadWrite}
	}
	srv, err := fakerunpod.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return srv, hs.URL + "/graphql"
}

func client(url, key string) *GraphQL {
	return NewGraphQL(Options{URL: url, APIKey: key, Retry: retry.Policy{Initial: 10 * time.Millisecond, Max: 50 * time.Millisecond, MaxAttempts: 3}})
}

// TestEveryDocumentIsValid drives every operation through a pod's whole life against the
// schema-validating stand-in, and checks that no request was refused as a document.
func TestEveryDocumentIsValid(t *testing.T) {
	t.Parallel()
	srv, url := standIn(t, fakerunpod.Options{BootDelay: 20 * time.Millisecond})
	c := client(url, "rpa_good")
	ctx := context.Background()
	types, err := c.GPUTypes(ctx, []string{"NVIDIA A40", "NVIDIA L4"}, 2, true)
	if err != nil || len(types) != 2 || types[0].PricePerGPU <= 0 {
		t.Fatalf("GPUTypes() = %+v, %v", types, err)
	}
	pod, err := c.Create(ctx, CreateRequest{Name: "gha-1-1-x", Image: "runpod/base:1", GPUTypeID: "NVIDIA A40", GPUCount: 1,
		CloudType: "SECURE", ContainerDiskGB: 20, Ports: []string{"8888/http"}, Env: []EnvVar{{"PUBLIC_KEY", "ssh-ed25519 AAAA x"}},
		TerminateAfter: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if pod.Status != StatusRunning || pod.SSH != nil || pod.Env["PUBLIC_KEY"] != "ssh-ed25519 AAAA x" {
		t.Errorf("created pod = %+v", pod)
	}
	deadline := time.Now().Add(5 * time.Second)
	for pod.SSH == nil && time.Now().Before(deadline) {
		if pod, err = c.Get(ctx, pod.ID); err != nil {
			t.Fatal(err)
		}
	}
	if pod.SSH == nil || pod.SSH.Host != "127.0.0.1" || !pod.Booted {
		t.Fatalf("pod never published SSH: %+v", pod)
	}
	if pods, err := c.List(ctx); err != nil || len(pods) != 1 || pods[0].Name != "gha-1-1-x" {
		t.Errorf("List() = %+v, %v", pods, err)
	}
	if err := c.Stop(ctx, pod.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Resume(ctx, pod.ID, 1); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // a second terminate finds the pod gone, which is fine
		if err := c.Terminate(ctx, pod.ID); err != nil {
			t.Fatalf("Terminate() #%d = %v", i+1, err)
		}
	}
	if _, err := c.Get(ctx, pod.ID); ClassOf(err) != NotFound {
		t.Errorf("Get(terminated) = %v, want NotFound", err)
	}
	for _, r := range srv.Requests() {
		if r.Status == 400 || r.Auth != fakerunpod.AuthHeader {
			t.Errorf("request %s: status %d, auth %s; want a valid document sent with the header", r.OperationName, r.Status, r.Auth)
		}
	}
}

func TestCreateSendsWhatWasAsked(t *testing.T) {
	t.Parallel()
	srv, url := standIn(t, fakerunpod.Options{})
	_, err := client(url, "rpa_good").Create(context.Background(), CreateRequest{Name: "n", TemplateID: "tpl", GPUTypeID: "NVIDIA L4",
		GPUCount: 2, CloudType: "COMMUNITY", DataCenterID: "EU-RO-1", ContainerDiskGB: 30, VolumeGB: 10, VolumeMountPath: "/workspace",
		MinVCPUCount: 4, MinMemoryGB: 16, MinCUDAVersion: "12.4", Env: []EnvVar{{"A", "1"}},
		TerminateAfter: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var vars string
	for _, r := range srv.Requests() {
		if r.OperationName == "CreatePod" {
			vars = string(r.Variables)
		}
	}
	want := `{"input":{"name":"n","templateId":"tpl","gpuTypeId":"NVIDIA L4","gpuCount":2,"cloudType":"COMMUNITY",` +
		`"dataCenterId":"EU-RO-1","containerDiskInGb":30,"volumeInGb":10,"volumeMountPath":"/workspace","minVcpuCount":4,` +
		`"minMemoryInGb":16,"minCudaVersion":"12.4","ports":"22/tcp","env":[{"key":"A","value":"1"}],"startSsh":true,` +
		`"supportPublicIp":true,"terminateAfter":"2026-12-01T10:00:00Z"}}`
	if diff := cmp.Diff(want, vars); diff != "" {
		t.Errorf("create variables mismatch (-want +got):\n%s", diff)
	}
}

func TestErrorClasses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		key     string
		prepare func(s *fakerunpod.Server)
		call    func(c *GraphQL) error
		want    Class
		calls   int // requests made, retries included
	}{
		{name: "capacity", key: "rpa_good", prepare: func(s *fakerunpod.Server) { s.SetCapacity("NVIDIA A40", false) },
			call: create, want: Capacity, calls: 1},
		{name: "bad_key", key: "rpa_wrong", call: list, want: Auth, calls: 1},
		{name: "read_only_key", key: "rpa_ro", call: create, want: Auth, calls: 1},
		{name: "create_5xx_not_retried", key: "rpa_good",
			prepare: func(s *fakerunpod.Server) { s.FailNext("podFindAndDeployOnDemand", fakerunpod.Fault{Status: 502}) },
			call:    create, want: Transient, calls: 1},
		{name: "list_5xx_retried", key: "rpa_good",
			prepare: func(s *fakerunpod.Server) { s.FailNext("myself", fakerunpod.Fault{Status: 503}) },
			call:    list, want: -1, calls: 2},
		{name: "rate_limited_retried", key: "rpa_good",
			prepare: func(s *fakerunpod.Server) {
				s.FailNext("myself", fakerunpod.Fault{Status: 429, RetryAfter: 50 * time.Millisecond})
			},
			call: list, want: -1, calls: 2},
		{name: "server_error_message", key: "rpa_good",
			prepare: func(s *fakerunpod.Server) {
				for i := 0; i < 3; i++ {
					s.FailNext("myself", fakerunpod.Fault{GraphQLError: "Something went wrong. Please try again later or contact support."})
				}
			},
			call: list, want: Transient, calls: 3},
		{name: "not_found", key: "rpa_good", call: func(c *GraphQL) error { _, err := c.Get(context.Background(), "nosuchpod"); return err },
			want: NotFound, calls: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, url := standIn(t, fakerunpod.Options{Keys: map[string]fakerunpod.KeyAccess{"rpa_good": fakerunpod.ReadWrite, "rpa_ro": fakerunpod.ReadOnly}})
			if tc.prepare != nil {
				tc.prepare(srv)
			}
			err := tc.call(client(url, tc.key))
			switch {
			case tc.want == -1 && err != nil:
				t.Errorf("err = %v, want success after a retry", err)
			case tc.want != -1 && ClassOf(err) != tc.want:
				t.Errorf("class of %v = %v, want %v", err, ClassOf(err), tc.want)
			}
			if got := len(srv.Requests()); got != tc.calls {
				t.Errorf("%d requests, want %d", got, tc.calls)
			}
			if err != nil && strings.Contains(err.Error(), "rpa_") {
				t.Errorf("error %q holds the key", err)
			}
		})
	}
}

func create(c *GraphQL) error {
	_, err := c.Create(context.Background(), CreateRequest{Name: "n", Image: "img", GPUTypeID: "NVIDIA A40", GPUCount: 1, CloudType: "SECURE"})
	return err
}

func list(c *GraphQL) error { _, err := c.List(context.Background()); return err }

// TestGraphQLHasNoLogsNorEnvUpdates: the two calls the GraphQL API cannot make say so with
// errors.ErrUnsupported, without a request, so the action can tell "cannot" from "failed".
func TestGraphQLHasNoLogsNorEnvUpdates(t *testing.T) {
	t.Parallel()
	srv, url := standIn(t, fakerunpod.Options{})
	c := client(url, "rpa_good")
	ctx := context.Background()
	if _, err := c.Logs(ctx, "pod1", 10); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Logs() = %v, want errors.ErrUnsupported", err)
	}
	if err := c.UpdateEnv(ctx, "pod1", map[string]string{"A": "b"}); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("UpdateEnv() = %v, want errors.ErrUnsupported", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the stand-in saw %d requests, want none", n)
	}
}
