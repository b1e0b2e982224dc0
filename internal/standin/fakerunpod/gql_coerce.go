package fakerunpod

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// coerceVariables coerces the request's variables to the types the
// operation declares, as graphql-js does (strictly: no strings for numbers,
// enum names match case), and words every failure as graphql-js does. The
// result holds plain Go values: int, float64, string, bool, nil, []any and
// map[string]any.
func coerceVariables(schema *ast.Schema, op *ast.OperationDefinition, in *orderedObject) (map[string]any, gqlerror.List) {
	out := map[string]any{}
	var errs gqlerror.List
	for _, vd := range op.VariableDefinitions {
		v, present := in.vals[vd.Variable]
		switch {
		case !present && vd.DefaultValue != nil:
			if dv, err := vd.DefaultValue.Value(nil); err == nil {
				out[vd.Variable] = dv
			}
		case !present && vd.Type.NonNull:
			errs = append(errs, errorAt(vd.Position, fmt.Sprintf(
				`Variable "$%s" of required type "%s" was not provided.`, vd.Variable, vd.Type.String())))
		case !present:
		case v == nil && vd.Type.NonNull:
			errs = append(errs, errorAt(vd.Position, fmt.Sprintf(
				`Variable "$%s" of non-null type "%s" must not be null.`, vd.Variable, vd.Type.String())))
		default:
			c := &coercer{schema: schema, varName: vd.Variable}
			out[vd.Variable] = c.coerce(v, vd.Type, "")
			for _, msg := range c.msgs {
				errs = append(errs, errorAt(vd.Position, msg))
			}
		}
	}
	return out, errs
}

// errorAt builds a request error located at pos.
func errorAt(pos *ast.Position, msg string) *gqlerror.Error {
	err := &gqlerror.Error{Message: msg}
	if pos != nil {
		err.Locations = []gqlerror.Location{{Line: pos.Line, Column: pos.Column}}
	}
	return err
}

// coercer coerces the value of one variable and collects its errors.
type coercer struct {
	schema  *ast.Schema
	varName string
	msgs    []string
}

// fail records an invalid value at path (".field" and "[i]" steps).
func (c *coercer) fail(path string, invalid any, msg string) {
	prefix := fmt.Sprintf(`Variable "$%s" got invalid value %s`, c.varName, inspect(invalid))
	if path != "" {
		prefix += fmt.Sprintf(` at "%s%s"`, c.varName, path)
	}
	c.msgs = append(c.msgs, prefix+"; "+msg)
}

// coerce coerces v to type t.
func (c *coercer) coerce(v any, t *ast.Type, path string) any {
	if t.NonNull {
		if v == nil {
			c.fail(path, v, fmt.Sprintf(`Expected non-nullable type "%s" not to be null.`, t.String()))
			return nil
		}
		nullable := *t
		nullable.NonNull = false
		t = &nullable
	}
	if v == nil {
		return nil
	}
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok {
			return []any{c.coerce(v, t.Elem, path)}
		}
		out := make([]any, len(list))
		for i, item := range list {
			out[i] = c.coerce(item, t.Elem, path+"["+strconv.Itoa(i)+"]")
		}
		return out
	}
	def := c.schema.Types[t.NamedType]
	switch {
	case def == nil:
		c.fail(path, v, fmt.Sprintf(`Unknown type "%s".`, t.NamedType))
		return nil
	case def.Kind == ast.InputObject:
		return c.object(v, def, path)
	case def.Kind == ast.Enum:
		return c.enum(v, def, path)
	}
	out, msg := coerceScalar(def.Name, v)
	if msg != "" {
		c.fail(path, v, msg)
	}
	return out
}

// object coerces v to the input object type def.
func (c *coercer) object(v any, def *ast.Definition, path string) any {
	obj, ok := v.(*orderedObject)
	if !ok {
		c.fail(path, v, fmt.Sprintf(`Expected type "%s" to be an object.`, def.Name))
		return nil
	}
	out := map[string]any{}
	for _, f := range def.Fields {
		fv, present := obj.vals[f.Name]
		switch {
		case present:
			out[f.Name] = c.coerce(fv, f.Type, path+"."+f.Name)
		case f.DefaultValue != nil:
			if dv, err := f.DefaultValue.Value(nil); err == nil {
				out[f.Name] = dv
			}
		case f.Type.NonNull:
			c.fail(path, v, fmt.Sprintf(`Field "%s" of required type "%s" was not provided.`, f.Name, f.Type.String()))
		}
	}
	var names []string
	for _, f := range def.Fields {
		names = append(names, f.Name)
	}
	for _, k := range obj.keys {
		if def.Fields.ForName(k) == nil {
			c.fail(path, v, fmt.Sprintf(`Field "%s" is not defined by type "%s".`, k, def.Name)+didYouMean("", k, names))
		}
	}
	return out
}

// enum coerces v to the enum type def; only exact value names match.
func (c *coercer) enum(v any, def *ast.Definition, path string) any {
	var names []string
	for _, ev := range def.EnumValues {
		names = append(names, ev.Name)
	}
	s, ok := v.(string)
	if !ok {
		c.fail(path, v, fmt.Sprintf(`Enum "%s" cannot represent non-string value: %s.`, def.Name, inspect(v))+
			didYouMean("the enum value", inspect(v), names))
		return nil
	}
	if def.EnumValues.ForName(s) == nil {
		c.fail(path, v, fmt.Sprintf(`Value "%s" does not exist in "%s" enum.`, s, def.Name)+didYouMean("the enum value", s, names))
		return nil
	}
	return s
}

// coerceScalar parses v as the named scalar, returning the value or the
// graphql-js message that rejects it. DateTime takes an RFC 3339 string,
// Port a port number.
func coerceScalar(name string, v any) (any, string) {
	n, isNum := v.(json.Number)
	f, numErr := n.Float64()
	isNum = isNum && numErr == nil && !math.IsInf(f, 0)
	isInt := isNum && f == math.Trunc(f)
	switch name {
	case "Int":
		if !isInt {
			return nil, "Int cannot represent non-integer value: " + inspect(v)
		}
		if f > math.MaxInt32 || f < math.MinInt32 {
			return nil, "Int cannot represent non 32-bit signed integer value: " + inspect(v)
		}
		return int(f), ""
	case "Float":
		if !isNum {
			return nil, "Float cannot represent non numeric value: " + inspect(v)
		}
		return f, ""
	case "String", "Boolean", "ID":
		return coerceBasic(name, v, isInt)
	case "DateTime":
		s, ok := v.(string)
		if _, err := time.Parse(time.RFC3339, s); !ok || err != nil {
			return nil, `Expected type "DateTime". DateTime cannot represent an invalid date-time-string ` + inspect(v) + "."
		}
		return s, ""
	case "Port":
		if !isInt || f < 0 || f > 65535 {
			return nil, `Expected type "Port".`
		}
		return int(f), ""
	}
	return nil, fmt.Sprintf(`Expected type "%s".`, name)
}

// coerceBasic parses String, Boolean and ID values.
func coerceBasic(name string, v any, isInt bool) (any, string) {
	switch s := v.(type) {
	case string:
		if name != "Boolean" {
			return s, ""
		}
	case bool:
		if name == "Boolean" {
			return s, ""
		}
	case json.Number:
		if name == "ID" && isInt {
			return s.String(), ""
		}
	}
	switch name {
	case "String":
		return nil, "String cannot represent a non string value: " + inspect(v)
	case "Boolean":
		return nil, "Boolean cannot represent a non boolean value: " + inspect(v)
	}
	return nil, "ID cannot represent value: " + inspect(v)
}
