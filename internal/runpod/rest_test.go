package runpod

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunpod"
)

func restStandIn(t *testing.T) (*fakerunpod.Server, *REST) {
	t.Helper()
	spec, err := os.ReadFile("../../testdata/runpod/rest-v2-openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	srv, url := standIn(t, fakerunpod.Options{OpenAPI: spec, BootDelay: 20 * time.Millisecond,
		Keys: map[string]fakerunpod.KeyAccess{"rpa_good": fakerunpod.ReadWrite, "rpa_readonly": fakerunpod.ReadOnly}})
	return srv, NewREST(Options{URL: strings.TrimSuffix(url, "/graphql"), APIKey: "rpa_good",
		Retry: client(url, "").policy})
}

// TestRESTRequestsValidate drives every REST operation the action uses through a pod's life
// and checks that RunPod's OpenAPI description accepted every request.
func TestRESTRequestsValidate(t *testing.T) {
	t.Parallel()
	srv, c := restStandIn(t)
	ctx := context.Background()
	types, err := c.GPUTypes(ctx, []string{"NVIDIA A40"}, 1, true)
	if err != nil || len(types) != 1 || types[0].PricePerGPU <= 0 {
		t.Fatalf("GPUTypes() = %+v, %v", types, err)
	}
	pod, err := c.Create(ctx, CreateRequest{Name: "gha-1-1-x", Image: "runpod/base:1", GPUTypeID: "NVIDIA A40", GPUCount: 1,
		CloudType: "SECURE", DataCenterID: "EU-RO-1", ContainerDiskGB: 20, VolumeGB: 10, VolumeMountPath: "/workspace",
		MinCUDAVersion: "12.4", Ports: []string{"8888/http"}, Env: []EnvVar{{"PUBLIC_KEY", "ssh-ed25519 AAAA x"}, {"A", "1"}}})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); pod.SSH == nil && time.Now().Before(deadline); {
		if pod, err = c.Get(ctx, pod.ID); err != nil {
			t.Fatal(err)
		}
	}
	if pod.SSH == nil || pod.VolumePath != "/workspace" || pod.GPUTypeID != "NVIDIA A40" || pod.Env["A"] != "1" {
		t.Fatalf("pod = %+v", pod)
	}
	if pods, err := c.List(ctx); err != nil || len(pods) != 1 {
		t.Errorf("List() = %+v, %v", pods, err)
	}
	if lines, err := c.Logs(ctx, pod.ID, 20); err != nil || len(lines) == 0 {
		t.Errorf("Logs() = %q, %v", lines, err)
	}
	for i := 0; i < 2; i++ { // stopping a stopped pod is fine
		if err := c.Stop(ctx, pod.ID); err != nil {
			t.Fatalf("Stop() #%d = %v", i+1, err)
		}
	}
	env := map[string]string{"PUBLIC_KEY": "ssh-ed25519 BBBB y", "A": "1"}
	if err := c.UpdateEnv(ctx, pod.ID, env); err != nil {
		t.Fatal(err)
	}
	resumed, err := c.Resume(ctx, pod.ID, 1)
	if err != nil || resumed.Env["PUBLIC_KEY"] != "ssh-ed25519 BBBB y" {
		t.Fatalf("Resume() = %+v, %v", resumed, err)
	}
	for i := 0; i < 2; i++ {
		if err := c.Terminate(ctx, pod.ID); err != nil {
			t.Fatalf("Terminate() #%d = %v", i+1, err)
		}
	}
	for _, r := range srv.Requests() {
		if r.Operation != "" && (!r.Validated || len(r.ResponseErrors) > 0) {
			t.Errorf("%s %s: request validated %t, response errors %v (body %s)", r.Method, r.Path, r.Validated, r.ResponseErrors, r.Body)
		}
	}
}

func TestRESTErrorClasses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		prepare func(s *fakerunpod.Server)
		call    func(c *REST) error
		want    Class
	}{
		{name: "placement_400_is_capacity", prepare: func(s *fakerunpod.Server) { s.SetCapacity("NVIDIA A40", false) },
			call: func(c *REST) error { _, err := c.Create(context.Background(), restPod1()); return err }, want: Capacity},
		{name: "unknown_gpu_is_rejected", call: func(c *REST) error {
			r := restPod1()
			r.GPUTypeID = "NVIDIA NOPE"
			_, err := c.Create(context.Background(), r)
			return err
		}, want: Rejected},
		{name: "cross_field_rule_400_is_rejected_not_capacity", call: func(c *REST) error {
			r := restPod1()
			r.GPUCount = 9
			_, err := c.Create(context.Background(), r)
			return err
		}, want: Rejected},
		{name: "read_only_key_403_on_create_is_forbidden", call: func(c *REST) error {
			c.hc, _, _ = Options{APIKey: "rpa_readonly"}.client()
			_, err := c.Create(context.Background(), restPod1())
			return err
		}, want: Forbidden},
		{name: "read_only_key_403_on_stop_is_auth", call: func(c *REST) error {
			c.hc, _, _ = Options{APIKey: "rpa_readonly"}.client()
			return c.Stop(context.Background(), "somepod")
		}, want: Auth},
		{name: "schema_refusal_is_invalid", call: func(c *REST) error {
			r := restPod1()
			r.Image = ""
			_, err := c.Create(context.Background(), r)
			return err
		}, want: Invalid},
		{name: "gone_is_not_found", call: func(c *REST) error { _, err := c.Get(context.Background(), "nosuchpod"); return err }, want: NotFound},
		{name: "429_then_ok", prepare: func(s *fakerunpod.Server) {
			s.FailNext("listPods", fakerunpod.Fault{Status: 429, RetryAfter: time.Second})
		},
			call: func(c *REST) error { _, err := c.List(context.Background()); return err }, want: OK},
		{name: "5xx_create_not_retried", prepare: func(s *fakerunpod.Server) { s.FailNext("createPod", fakerunpod.Fault{Status: 502}) },
			call: func(c *REST) error { _, err := c.Create(context.Background(), restPod1()); return err }, want: Transient},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := restStandIn(t)
			if tc.prepare != nil {
				tc.prepare(srv)
			}
			if got := ClassOf(tc.call(c)); got != tc.want {
				t.Errorf("class %v, want %v", got, tc.want)
			}
		})
	}
}

func restPod1() CreateRequest {
	return CreateRequest{Name: "n", Image: "img:1", GPUTypeID: "NVIDIA A40", GPUCount: 1, CloudType: "SECURE"}
}

// TestRESTBadRequestIsCapacityOnlyByItsDetail: RunPod's createPod answers 400 both for a pod
// that could not be placed and for a broken rule, told apart only by the problem's detail; a
// 400 that is not an RFC 9457 problem at all (a proxy's HTML page, a GraphQL error) says
// nothing about capacity (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json,
// createPod).
func TestRESTBadRequestIsCapacityOnlyByItsDetail(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, contentType, body string
		want                    Class
	}{
		{name: "placement_detail", contentType: "application/problem+json",
			body: `{"title":"Bad Request","status":400,"detail":"This GPU and data center combination could not be placed."}`, want: Capacity},
		{name: "rule_detail", contentType: "application/problem+json",
			body: `{"title":"Bad Request","status":400,"detail":"networkVolume is in US-TX-3, not in EU-RO-1"}`, want: Rejected},
		{name: "html_page_naming_capacity", contentType: "text/html",
			body: "<html><body>400 Bad Request: no instances available</body></html>", want: Invalid},
		{name: "graphql_error_naming_capacity", contentType: "application/json",
			body: `{"errors":[{"message":"There are no longer any instances available"}]}`, want: Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(http.StatusBadRequest)
				_, _ = io.WriteString(w, tc.body)
			}))
			t.Cleanup(srv.Close)
			_, err := NewREST(Options{URL: srv.URL, APIKey: "k"}).Create(context.Background(), restPod1())
			if got := ClassOf(err); got != tc.want {
				t.Errorf("class %v, want %v (%v)", got, tc.want, err)
			}
		})
	}
}

// TestRESTStartRefusedWhileStoppedIsCapacity: which status RunPod gives a start on a host with
// no free GPUs is not documented (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json,
// podAction: 409 "Action not valid for current pod status"); a 409 after which the pod is still
// EXITED is read as capacity, so that resume-fallback can create a fresh pod.
func TestRESTStartRefusedWhileStoppedIsCapacity(t *testing.T) {
	t.Parallel()
	srv, c := restStandIn(t)
	ctx := context.Background()
	pod, err := c.Create(ctx, restPod1())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(ctx, pod.ID); err != nil {
		t.Fatal(err)
	}
	srv.FailNext("podAction", fakerunpod.Fault{Status: 409, GraphQLError: fakerunpod.MsgActionNotValid})
	if _, err := c.Resume(ctx, pod.ID, 1); ClassOf(err) != Capacity {
		t.Errorf("Resume() = %v (class %v), want capacity", err, ClassOf(err))
	}
}
