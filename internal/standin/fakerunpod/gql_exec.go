package fakerunpod

import (
	"net/http"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// gqlError is one entry of a GraphQL errors array.
type gqlError struct {
	message   string
	locations []gqlerror.Location
	path      []string
	code      string // extensions.code, if any
}

// write writes the error as JSON.
func (e gqlError) write(w *jsonWriter) {
	w.beginObject()
	w.key("message")
	w.scalar(e.message)
	if len(e.locations) > 0 {
		w.key("locations")
		w.beginArray()
		for _, l := range e.locations {
			w.beginObject()
			w.key("line")
			w.scalar(l.Line)
			w.key("column")
			w.scalar(l.Column)
			w.endObject()
		}
		w.endArray()
	}
	if len(e.path) > 0 {
		w.key("path")
		w.beginArray()
		for _, p := range e.path {
			w.scalar(p)
		}
		w.endArray()
	}
	if e.code != "" {
		w.key("extensions")
		w.beginObject()
		w.key("code")
		w.scalar(e.code)
		w.endObject()
	}
	w.endObject()
}

// object is a resolved GraphQL object: field name to value. A value is
// nil, a string, bool, int or float64, an object, a []any, or a lazy for
// a field that takes arguments.
type object map[string]any

// lazy resolves a field from its arguments.
type lazy func(args map[string]any) any

// execution runs one validated operation.
type execution struct {
	s      *Server
	op     *ast.OperationDefinition
	vars   map[string]any
	access KeyAccess
}

// rootType is the type whose fields op selects.
func (s *Server) rootType(op *ast.OperationDefinition) *ast.Definition {
	if op.Operation == ast.Mutation {
		return s.schema.Mutation
	}
	return s.schema.Query
}

// run resolves every root field and answers with the selected data.
func (x *execution) run() reply {
	now := x.s.now()
	return x.answer(func(f *ast.Field) (any, *gqlError) { return x.s.resolveRoot(x, f, now) })
}

// fail answers every root field with the error msg, resolving nothing.
func (x *execution) fail(msg string) reply {
	return x.answer(func(*ast.Field) (any, *gqlError) { return nil, &gqlError{message: msg} })
}

// answer builds the response, resolving each root field with resolve. A
// failed field is null, and so is data when that field may not be.
func (x *execution) answer(resolve func(*ast.Field) (any, *gqlError)) reply {
	root := x.s.rootType(x.op)
	var data jsonWriter
	var errs []gqlError
	nullData := false
	data.beginObject()
	for _, g := range collectFields(x.op.SelectionSet, root.Name, x.vars) {
		f := g.fields[0]
		data.key(g.key)
		if f.Name == "__typename" {
			data.scalar(root.Name)
			continue
		}
		v, err := resolve(f)
		if err != nil {
			err.path = []string{g.key}
			errs = append(errs, *err)
			nullData = nullData || f.Definition.Type.NonNull
			data.scalar(nil)
			continue
		}
		x.write(&data, v, f.Definition.Type, g.selections())
	}
	data.endObject()

	var w jsonWriter
	w.beginObject()
	var msgs []string
	if len(errs) > 0 {
		w.key("errors")
		w.beginArray()
		for _, e := range errs {
			e.write(&w)
			msgs = append(msgs, e.message)
		}
		w.endArray()
	}
	w.key("data")
	if nullData {
		w.scalar(nil)
	} else {
		w.raw(data.bytes())
	}
	w.endObject()
	return reply{status: http.StatusOK, contentType: "application/json", body: w.bytes(), errors: msgs}
}

// write writes v, of type typ, projected over sel.
func (x *execution) write(w *jsonWriter, v any, typ *ast.Type, sel ast.SelectionSet) {
	switch v := v.(type) {
	case object:
		x.writeObject(w, v, typ.Name(), sel)
	case []any:
		w.beginArray()
		for _, item := range v {
			x.write(w, item, typ.Elem, sel)
		}
		w.endArray()
	default:
		w.scalar(v)
	}
}

// writeObject writes the fields of o that sel selects, in order, under
// their aliases.
func (x *execution) writeObject(w *jsonWriter, o object, typeName string, sel ast.SelectionSet) {
	w.beginObject()
	for _, g := range collectFields(sel, typeName, x.vars) {
		f := g.fields[0]
		w.key(g.key)
		if f.Name == "__typename" {
			w.scalar(typeName)
			continue
		}
		v := o[f.Name]
		if l, ok := v.(lazy); ok {
			v = l(f.ArgumentMap(x.vars))
		}
		x.write(w, v, f.Definition.Type, g.selections())
	}
	w.endObject()
}
