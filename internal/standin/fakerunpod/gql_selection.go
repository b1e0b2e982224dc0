package fakerunpod

import (
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// fieldGroup is the fields of a selection set that share a response key.
type fieldGroup struct {
	key    string
	fields []*ast.Field
}

// selections merges the sub-selections of the group's fields.
func (g fieldGroup) selections() ast.SelectionSet {
	var out ast.SelectionSet
	for _, f := range g.fields {
		out = append(out, f.SelectionSet...)
	}
	return out
}

// collectFields flattens sel for an object of type typeName into its
// response keys, in order, as GraphQL's CollectFields does: fragments whose
// type does not match are left out, and so is whatever @skip or @include
// excludes.
func collectFields(sel ast.SelectionSet, typeName string, vars map[string]any) []fieldGroup {
	var groups []fieldGroup
	index := map[string]int{}
	visited := map[string]bool{}
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, s := range set {
			switch s := s.(type) {
			case *ast.Field:
				if skipped(s.Directives, vars) {
					continue
				}
				if i, ok := index[s.Alias]; ok {
					groups[i].fields = append(groups[i].fields, s)
					continue
				}
				index[s.Alias] = len(groups)
				groups = append(groups, fieldGroup{key: s.Alias, fields: []*ast.Field{s}})
			case *ast.InlineFragment:
				if !skipped(s.Directives, vars) && (s.TypeCondition == "" || s.TypeCondition == typeName) {
					walk(s.SelectionSet)
				}
			case *ast.FragmentSpread:
				if skipped(s.Directives, vars) || visited[s.Name] || s.Definition == nil {
					continue
				}
				visited[s.Name] = true
				if s.Definition.TypeCondition == typeName {
					walk(s.Definition.SelectionSet)
				}
			}
		}
	}
	walk(sel)
	return groups
}

// skipped reports whether @skip or @include leaves a selection out.
func skipped(dirs ast.DirectiveList, vars map[string]any) bool {
	if d := dirs.ForName("skip"); d != nil && d.ArgumentMap(vars)["if"] == true {
		return true
	}
	if d := dirs.ForName("include"); d != nil && d.ArgumentMap(vars)["if"] == false {
		return true
	}
	return false
}

// rootFields lists the names of the fields of root, op's root type, that
// op asks for, once each.
func rootFields(op *ast.OperationDefinition, root string, vars map[string]any) []string {
	var names []string
	seen := map[string]bool{}
	for _, g := range collectFields(op.SelectionSet, root, vars) {
		for _, f := range g.fields {
			if !seen[f.Name] {
				seen[f.Name] = true
				names = append(names, f.Name)
			}
		}
	}
	return names
}

// introspectionErrors rejects the introspection fields __schema and
// __type, as a production GraphQL server with introspection off does.
func introspectionErrors(doc *ast.QueryDocument) []gqlError {
	var errs []gqlError
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, s := range set {
			switch s := s.(type) {
			case *ast.Field:
				if s.Name == "__schema" || s.Name == "__type" {
					errs = append(errs, gqlError{
						message:   `GraphQL introspection has been disabled, but the requested query contained the field "` + s.Name + `".`,
						locations: []gqlerror.Location{{Line: s.Position.Line, Column: s.Position.Column}},
					})
				}
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		walk(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		walk(f.SelectionSet)
	}
	return errs
}
