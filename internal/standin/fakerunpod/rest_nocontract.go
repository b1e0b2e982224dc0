//go:build nocontract

package fakerunpod

import "net/http"

// Built with the nocontract tag (as make demo builds the stand-ins), the REST transport answers
// without checking requests and answers against RunPod's OpenAPI description: the demo then does
// not compile the validator and its dependencies, about half of its first build. The tests
// build without the tag and check every request and answer.
type openAPI struct{}

func sharedOpenAPI([]byte) (*openAPI, error) { return &openAPI{}, nil }

func (*openAPI) checkRequest(*http.Request, string, []byte) []string { return nil }

func (*openAPI) checkResponse(*http.Request, int, http.Header, []byte) []string { return nil }
