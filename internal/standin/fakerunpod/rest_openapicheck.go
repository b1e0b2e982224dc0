//go:build !nocontract

package fakerunpod

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
)

// checkRequest validates r, whose body is body, against operation op:
// its parameters, headers and body, and that it sends no query parameter
// the operation does not declare. It returns one message per violation,
// such as "$.name: got number, want string".
func (o *openAPI) checkRequest(r *http.Request, op string, body []byte) []string {
	spec := o.ops[op]
	r.Body = io.NopCloser(bytes.NewReader(body))
	o.mu.Lock()
	_, errs := o.validator.ValidateHttpRequestSync(r)
	o.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	var out []string
	for _, e := range errs {
		out = append(out, o.describe(e, spec.body)...)
	}
	for name := range r.URL.Query() {
		if !spec.query[name] {
			out = append(out, fmt.Sprintf("query parameter '%s' is not defined for this operation", name))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// checkResponse validates an answer to r against r's operation: its
// status, headers, content type and body.
func (o *openAPI) checkResponse(r *http.Request, status int, header http.Header, body []byte) []string {
	resp := &http.Response{
		StatusCode: status, Header: header, Request: r,
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
	}
	o.mu.Lock()
	_, errs := o.validator.ValidateHttpResponse(r, resp)
	o.mu.Unlock()
	var out []string
	for _, e := range errs {
		out = append(out, o.describe(e, nil)...)
	}
	return out
}

// describe words a validation error as one message per failure: a
// parameter's or header's after the error's message, a body's after the
// path of the value that failed. A failed
// unevaluatedProperties on a property that the schema declares is left
// out: it follows from another failure in the same object, which hides
// the property from unevaluatedProperties (root is the schema the
// keyword locations start from; nil keeps them all).
func (o *openAPI) describe(e *verrors.ValidationError, root any) []string {
	var out []string
	for _, f := range e.SchemaValidationErrors {
		switch {
		case e.ValidationType == helpers.ParameterValidation || strings.HasPrefix(e.ValidationSubType, helpers.ParameterValidationHeader):
			out = append(out, e.Message+": "+f.Reason)
		case isUnevaluated(f) && len(f.InstancePath) > 0:
			name := f.InstancePath[len(f.InstancePath)-1]
			if root != nil && o.declares(root, f.KeywordLocation, name) {
				continue
			}
			out = append(out, fmt.Sprintf("%s: additional properties '%s' not allowed",
				jsonPath(f.InstancePath[:len(f.InstancePath)-1]), name))
		default:
			out = append(out, jsonPath(f.InstancePath)+": "+f.Reason)
		}
	}
	if len(e.SchemaValidationErrors) == 0 {
		out = append(out, e.Message)
	}
	return out
}

// isUnevaluated reports whether f is an unevaluatedProperties: false
// that failed.
func isUnevaluated(f *verrors.SchemaValidationFailure) bool {
	return f.Reason == "false schema" && strings.HasSuffix(f.KeywordLocation, "/unevaluatedProperties")
}

// jsonPath writes an instance path as "$.gpu.count" or "$.ports[0]".
func jsonPath(segs []string) string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range segs {
		if _, err := strconv.Atoi(s); err == nil {
			b.WriteString("[" + s + "]")
			continue
		}
		b.WriteString("." + s)
	}
	return b.String()
}
