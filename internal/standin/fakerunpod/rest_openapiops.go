//go:build !nocontract

package fakerunpod

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// index records what the server needs of each served operation, and
// checks that the description has every operation the server serves.
func (o *openAPI) index() error {
	paths, _ := o.doc["paths"].(map[string]any)
	for _, p := range servedPaths() {
		item, _ := paths[p].(map[string]any)
		for method, v := range item {
			op, ok := v.(map[string]any)
			if !ok || method == "parameters" {
				continue
			}
			id, _ := op["operationId"].(string)
			spec := opSpec{query: map[string]bool{}, body: o.bodySchema(op)}
			for _, params := range []any{item["parameters"], op["parameters"]} {
				for _, name := range o.queryParams(params) {
					spec.query[name] = true
				}
			}
			o.ops[id] = spec
		}
	}
	for _, id := range restOperations() {
		if _, ok := o.ops[id]; !ok {
			return fmt.Errorf("openapi: no operation %s", id)
		}
	}
	return nil
}

// queryParams returns the names of the query parameters in a parameters
// list.
func (o *openAPI) queryParams(list any) []string {
	var out []string
	items, _ := list.([]any)
	for _, item := range items {
		param, _ := o.deref(item).(map[string]any)
		if name, _ := param["name"].(string); param["in"] == "query" && name != "" {
			out = append(out, name)
		}
	}
	return out
}

// bodySchema returns the JSON schema of an operation's request body, with
// its top-level $ref followed; nil if it has none.
func (o *openAPI) bodySchema(op map[string]any) any {
	body, _ := o.deref(op["requestBody"]).(map[string]any)
	content, _ := body["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	return o.deref(media["schema"])
}

// deref follows node's $ref, if it has one.
func (o *openAPI) deref(node any) any {
	for range 10 { // components that refer to components
		m, ok := node.(map[string]any)
		ref, isRef := m["$ref"].(string)
		if !ok || !isRef {
			return node
		}
		node = resolvePointer(o.doc, ref)
	}
	return node
}

// declares reports whether the schema that holds the keyword at
// keywordLocation (a JSON pointer into root, in which "$ref" steps follow
// the reference) declares the property name: in its properties, or in
// those of the schemas it composes.
func (o *openAPI) declares(root any, keywordLocation, name string) bool {
	node := root
	segs := strings.Split(strings.TrimPrefix(keywordLocation, "/"), "/")
	for _, seg := range segs[:len(segs)-1] {
		if seg == "$ref" {
			node = o.deref(node)
			continue
		}
		node = child(node, unescapePointer(seg))
	}
	return o.hasProperty(node, name, 0)
}

// hasProperty reports whether schema declares the property name, itself
// or through $ref, allOf, anyOf, oneOf, then or else.
func (o *openAPI) hasProperty(schema any, name string, depth int) bool {
	m, ok := o.deref(schema).(map[string]any)
	if !ok || depth > 20 {
		return false
	}
	if props, ok := m["properties"].(map[string]any); ok && props[name] != nil {
		return true
	}
	var subs []any
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		list, _ := m[k].([]any)
		subs = append(subs, list...)
	}
	subs = append(subs, m["then"], m["else"])
	return slices.ContainsFunc(subs, func(sub any) bool { return o.hasProperty(sub, name, depth+1) })
}

// child returns node's member or item seg, or nil.
func child(node any, seg string) any {
	switch n := node.(type) {
	case map[string]any:
		return n[seg]
	case []any:
		if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(n) {
			return n[i]
		}
	}
	return nil
}
