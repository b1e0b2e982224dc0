package fakerunpod

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClientDocumentsAreAccepted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		query string
		vars  func(podID string) map[string]any
	}{
		{name: "create", query: createDoc, vars: func(string) map[string]any { return input(createInput()) }},
		{name: "create minified", query: minifiedCreateDoc, vars: func(string) map[string]any { return input(createInput()) }},
		{name: "get pod", query: getPodDoc, vars: podInput},
		{name: "list pods", query: listDoc},
		{name: "stop", query: stopDoc, vars: podInput},
		{name: "resume", query: resumeDoc, vars: podInput},
		{name: "terminate", query: termDoc, vars: podInput},
		{name: "gpu types", query: gpuDoc, vars: func(string) map[string]any {
			return map[string]any{"input": map[string]any{"id": "NVIDIA L4"}, "lp": map[string]any{"gpuCount": 1, "secureCloud": true}}
		}},
		{name: "gpu types without variables", query: gpuDoc},
		{name: "create with literals", query: `mutation { podFindAndDeployOnDemand(input: {name: "x", imageName: "img", gpuTypeId: "NVIDIA A40", cloudType: SECURE, gpuCount: 1, env: [{key: "A", value: "B"}], terminateAfter: "2099-01-01T00:00:00Z"}) { id } }`},
		{name: "data centers", query: `{ dataCenters { id name location gpuAvailability { gpuTypeId stockStatus } } countryCodes }`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, ts := newServer(t, Options{})
			id := createPod(t, ts.URL, createInput())
			var vars any
			if tc.vars != nil {
				vars = tc.vars(id)
			}
			resp := post(t, ts.URL, testKey, tc.query, vars)
			got := decode(t, resp.body)
			if resp.status != http.StatusOK || got["errors"] != nil || got["data"] == nil {
				t.Errorf("status %d, body %s; want 200 with data and no errors", resp.status, resp.body)
			}
		})
	}
}

func TestInvalidDocumentsAreRejected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		query string
		vars  any
		want  []string
	}{
		{name: "removed field interruptablePrice",
			query: `{ gpuTypes { lowestPrice(input: {gpuCount: 1}) { interruptablePrice } } }`,
			want:  []string{`Cannot query field "interruptablePrice" on type "LowestPrice". Did you mean "uninterruptablePrice"?`}},
		{name: "removed field cudaVersion",
			query: `{ gpuTypes { lowestPrice(input: {gpuCount: 1}) { cudaVersion } } }`,
			want:  []string{`Cannot query field "cudaVersion" on type "LowestPrice".`}},
		{name: "selection on podTerminate",
			query: `mutation { podTerminate(input: {podId: "x"}) { id } }`,
			want:  []string{`Field "podTerminate" must not have a selection since type "Void" has no subfields.`}},
		{name: "pod filter by id",
			query: `{ pod(input: {id: "x"}) { id } }`,
			want: []string{`Field "PodFilter.podId" of required type "String!" was not provided.`,
				`Field "id" is not defined by type "PodFilter".`}},
		{name: "cuda field in resume literal",
			query: `mutation { podResume(input: {podId: "x", allowedCudaVersions: ["12.8"]}) { id } }`,
			want:  []string{`Field "allowedCudaVersions" is not defined by type "PodResumeInput".`}},
		{name: "cuda field in resume variable", query: resumeDoc,
			vars: input(map[string]any{"podId": "x", "allowedCudaVersions": []any{"12.8"}}),
			want: []string{`Variable "$input" got invalid value { allowedCudaVersions: ["12.8"], podId: "x" }; Field "allowedCudaVersions" is not defined by type "PodResumeInput".`}},
		{name: "unknown argument",
			query: `{ pod(input: {podId: "x"}, foo: 1) { id } }`,
			want:  []string{`Unknown argument "foo" on field "Query.pod".`}},
		{name: "variable of the wrong type",
			query: `query Q($input: String!) { pod(input: $input) { id } }`, vars: map[string]any{"input": "x"},
			want: []string{`Variable "$input" of type "String!" used in position expecting type "PodFilter".`}},
		{name: "number for a string", query: getPodDoc, vars: podInputValue(5),
			want: []string{`Variable "$input" got invalid value 5 at "input.podId"; String cannot represent a non string value: 5`}},
		{name: "string for an int", query: createDoc, vars: input(map[string]any{"imageName": "i", "gpuCount": "1"}),
			want: []string{`Variable "$input" got invalid value "1" at "input.gpuCount"; Int cannot represent non-integer value: "1"`}},
		{name: "enum in lower case", query: createDoc, vars: input(map[string]any{"imageName": "i", "cloudType": "secure"}),
			want: []string{`Variable "$input" got invalid value "secure" at "input.cloudType"; Value "secure" does not exist in "CloudTypeEnum" enum. Did you mean the enum value "SECURE"?`}},
		{name: "string for a boolean", query: createDoc, vars: input(map[string]any{"imageName": "i", "supportPublicIp": "true"}),
			want: []string{`Variable "$input" got invalid value "true" at "input.supportPublicIp"; Boolean cannot represent a non boolean value: "true"`}},
		{name: "string for a float", query: createDoc, vars: input(map[string]any{"imageName": "i", "deployCost": "1"}),
			want: []string{`Variable "$input" got invalid value "1" at "input.deployCost"; Float cannot represent non numeric value: "1"`}},
		{name: "int beyond 32 bits", query: createDoc, vars: input(map[string]any{"imageName": "i", "gpuCount": 3000000000}),
			want: []string{`Variable "$input" got invalid value 3000000000 at "input.gpuCount"; Int cannot represent non 32-bit signed integer value: 3000000000`}},
		{name: "fraction for an int", query: createDoc, vars: input(map[string]any{"imageName": "i", "gpuCount": 1.5}),
			want: []string{`Variable "$input" got invalid value 1.5 at "input.gpuCount"; Int cannot represent non-integer value: 1.5`}},
		{name: "number for an enum", query: createDoc, vars: input(map[string]any{"imageName": "i", "cloudType": 1}),
			want: []string{`Variable "$input" got invalid value 1 at "input.cloudType"; Enum "CloudTypeEnum" cannot represent non-string value: 1.`}},
		{name: "string for a port", query: createDoc, vars: input(map[string]any{"imageName": "i", "port": "22"}),
			want: []string{`Variable "$input" got invalid value "22" at "input.port"; Expected type "Port".`}},
		{name: "bad DateTime", query: createDoc, vars: input(map[string]any{"imageName": "i", "terminateAfter": "tomorrow"}),
			want: []string{`Variable "$input" got invalid value "tomorrow" at "input.terminateAfter"; Expected type "DateTime". DateTime cannot represent an invalid date-time-string "tomorrow".`}},
		{name: "unknown field in input variable", query: getPodDoc,
			vars: input(map[string]any{"podId": "x", "foo": 1}),
			want: []string{`Variable "$input" got invalid value { foo: 1, podId: "x" }; Field "foo" is not defined by type "PodFilter".`}},
		{name: "env as objects with a bad key", query: createDoc,
			vars: input(map[string]any{"imageName": "i", "env": []any{map[string]any{"name": "A", "value": "B"}}}),
			want: []string{`Variable "$input" got invalid value { name: "A", value: "B" } at "input.env[0]"; Field "key" of required type "String!" was not provided.`,
				`Variable "$input" got invalid value { name: "A", value: "B" } at "input.env[0]"; Field "name" is not defined by type "EnvironmentVariableInput".`}},
		{name: "required variable missing", query: getPodDoc,
			want: []string{`Variable "$input" of required type "PodFilter!" was not provided.`}},
		{name: "required variable null", query: getPodDoc, vars: map[string]any{"input": nil},
			want: []string{`Variable "$input" of non-null type "PodFilter!" must not be null.`}},
		{name: "gpuCount in GpuTypeFilter",
			query: `{ gpuTypes(input: {gpuCount: 1}) { id } }`,
			want:  []string{`Field "gpuCount" is not defined by type "GpuTypeFilter".`}},
		{name: "misspelled root field",
			query: `{ datacenters { id } }`,
			want:  []string{`Cannot query field "datacenters" on type "Query". Did you mean "dataCenters"?`}},
		{name: "syntax error",
			query: `{ pod(input: {podId: "x"}) { id `,
			want:  []string{`Syntax Error: Expected Name, found <EOF>.`}},
		{name: "introspection",
			query: `{ __schema { types { name } } }`,
			want:  []string{`GraphQL introspection has been disabled, but the requested query contained the field "__schema".`}},
		{name: "two operations without a name",
			query: `query A { myself { id } } query B { myself { id } }`,
			want:  []string{`Must provide operation name if query contains multiple operations.`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, ts := newServer(t, Options{})
			resp := post(t, ts.URL, testKey, tc.query, tc.vars)
			if resp.status != http.StatusBadRequest {
				t.Errorf("status = %d, want 400; body %s", resp.status, resp.body)
			}
			var got []string
			for _, e := range at(decode(t, resp.body), "errors").([]any) {
				got = append(got, at(e, "message").(string))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("error messages mismatch (-want +got):\n%s", diff)
			}
			if n := len(srv.Pods()); n != 0 {
				t.Errorf("%d pods exist after a rejected request, want 0", n)
			}
		})
	}
}

// podInputValue is {"input": {"podId": v}} for any v.
func podInputValue(v any) map[string]any { return input(map[string]any{"podId": v}) }

func TestValidationErrorShape(t *testing.T) {
	t.Parallel()
	_, ts := newServer(t, Options{})
	resp := post(t, ts.URL, testKey, "{\n  gpuTypes { lowestPrice(input: {gpuCount: 1}) { interruptablePrice } }\n}", nil)
	want := `{"errors":[{"message":"Cannot query field \"interruptablePrice\" on type \"LowestPrice\". Did you mean \"uninterruptablePrice\"?","locations":[{"line":2,"column":50}]}]}`
	if diff := cmp.Diff(want, resp.body); diff != "" {
		t.Errorf("body mismatch (-want +got):\n%s", diff)
	}
	if got := resp.header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
}
