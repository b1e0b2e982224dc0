package fakerunpod

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// maxBody is the largest request body read.
const maxBody = 1 << 20

// reply is a complete HTTP answer.
type reply struct {
	status      int // 0: the client went away; answer nothing
	contentType string
	body        []byte
	retryAfter  string   // the Retry-After header, if any
	errors      []string // the messages of the GraphQL errors in body
}

// serveGraphQL answers one GraphQL request and records it.
func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	rec := Request{Time: s.now()}
	rep := s.handle(r, &rec)
	rec.Status, rec.Errors = rep.status, rep.errors
	s.record(rec)
	if rep.status == 0 {
		return
	}
	if rep.retryAfter != "" {
		w.Header().Set("Retry-After", rep.retryAfter)
	}
	w.Header().Set("Content-Type", rep.contentType)
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body)
}

// handle checks a request's key, rate and document, then runs it.
func (s *Server) handle(r *http.Request, rec *Request) reply {
	key, method := requestKey(r)
	rec.Auth = method
	if r.Method != http.MethodPost {
		return textReply(http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	var body graphQLBody
	if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&body); err != nil {
		return errorsReply(http.StatusBadRequest, gqlError{message: "Body is not valid JSON."})
	}
	rec.Query, rec.OperationName = body.Query, body.OperationName
	if v := strings.TrimSpace(string(body.Variables)); v != "" && v != "null" {
		rec.Variables = string(body.Variables)
	}
	access, known := s.keys[key]
	if method != AuthNone && !known {
		return textReply(http.StatusUnauthorized, "Unauthorized")
	}
	if s.limiter != nil {
		if wait, ok := s.limiter.take(key, rec.Time); !ok {
			rep := textReply(http.StatusTooManyRequests, "Too Many Requests")
			rep.retryAfter = retryAfter(wait)
			return rep
		}
	}
	op, vars, errs := s.prepare(body)
	if op != nil {
		rec.RootFields = rootFields(op, s.rootType(op).Name, vars)
		if rec.OperationName == "" {
			rec.OperationName = op.Name
		}
	}
	if len(errs) > 0 {
		return errorsReply(http.StatusBadRequest, errs...)
	}
	if method == AuthNone && !allPublic(rec.RootFields) {
		return textReply(http.StatusUnauthorized, "Unauthorized")
	}
	x := &execution{s: s, op: op, vars: vars, access: access}
	if f, ok := s.takeFault(rec.RootFields); ok {
		return withFault(r.Context(), f, x.run, x.fail, faultReply)
	}
	return x.run()
}

// prepare parses and validates the document, picks the operation and
// coerces the variables. The operation is returned once it is known, even
// when its variables are wrong.
func (s *Server) prepare(body graphQLBody) (*ast.OperationDefinition, map[string]any, []gqlError) {
	if strings.TrimSpace(body.Query) == "" {
		return nil, nil, []gqlError{{message: "Must provide query string."}}
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: body.Query})
	if err != nil {
		return nil, nil, []gqlError{syntaxError(err)}
	}
	if errs := s.graphqlJSErrors(validator.ValidateWithRules(s.schema, doc, nil)); len(errs) > 0 {
		return nil, nil, errs
	}
	if errs := introspectionErrors(doc); len(errs) > 0 {
		return nil, nil, errs
	}
	op, msg := pickOperation(doc, body.OperationName)
	if op == nil {
		return nil, nil, []gqlError{{message: msg}}
	}
	raw, err := decodeVariables(body.Variables)
	if err != nil {
		return op, nil, []gqlError{{message: "Variables are invalid JSON."}}
	}
	vars, verrs := coerceVariables(s.schema, op, raw)
	return op, vars, s.graphqlJSErrors(verrs)
}

// leafOnType matches the type named by a FieldsOnCorrectType message.
var leafOnType = regexp.MustCompile(`on type "([^"]+)"\.`)

// graphqlJSErrors converts gqlparser's errors, dropping the one graphql-js
// does not give: a field selected on a scalar, which graphql-js reports
// only as the scalar's illegal selection.
func (s *Server) graphqlJSErrors(list gqlerror.List) []gqlError {
	var out []gqlError
	for _, e := range list {
		if m := leafOnType.FindStringSubmatch(e.Message); e.Rule == "FieldsOnCorrectType" && m != nil {
			if def := s.schema.Types[m[1]]; def != nil && (def.Kind == ast.Scalar || def.Kind == ast.Enum) {
				continue
			}
		}
		out = append(out, gqlError{message: e.Message, locations: e.Locations})
	}
	return out
}

// syntaxError words a parse error as graphql-js does.
func syntaxError(err error) gqlError {
	var ge *gqlerror.Error
	if !errors.As(err, &ge) {
		return gqlError{message: "Syntax Error: " + err.Error()}
	}
	msg := "Syntax Error: " + ge.Message
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return gqlError{message: msg, locations: ge.Locations}
}

// pickOperation returns the operation to run, or graphql-js's reason why
// there is none.
func pickOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition, string) {
	switch {
	case name != "":
		if op := doc.Operations.ForName(name); op != nil {
			return op, ""
		}
		return nil, `Unknown operation named "` + name + `".`
	case len(doc.Operations) == 1:
		return doc.Operations[0], ""
	case len(doc.Operations) == 0:
		return nil, "Must provide an operation."
	}
	return nil, "Must provide operation name if query contains multiple operations."
}

// textReply is a plain-text answer.
func textReply(status int, text string) reply {
	return reply{status: status, contentType: "text/plain; charset=utf-8", body: []byte(text + "\n")}
}

// errorsReply is a GraphQL answer with errors and no data.
func errorsReply(status int, errs ...gqlError) reply {
	var w jsonWriter
	w.beginObject()
	w.key("errors")
	w.beginArray()
	msgs := make([]string, len(errs))
	for i, e := range errs {
		e.write(&w)
		msgs[i] = e.message
	}
	w.endArray()
	w.endObject()
	return reply{status: status, contentType: "application/json", body: w.bytes(), errors: msgs}
}
