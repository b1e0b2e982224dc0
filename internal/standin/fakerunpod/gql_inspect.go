package fakerunpod

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/validator/core"
)

// didYouMean is graphql-js's suffix suggesting the options nearest to
// input, each called what (if given).
func didYouMean(what, input string, options []string) string {
	s := core.SuggestionList(input, options)
	if len(s) == 0 {
		return ""
	}
	if what != "" {
		what += " "
	}
	return " Did you mean " + what + core.QuotedOrList(s...) + "?"
}

// inspect prints a decoded JSON value as graphql-js's inspect() does.
func inspect(v any) string { return inspectDepth(v, 0) }

func inspectDepth(v any, seen int) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		var w jsonWriter
		w.writeString(v)
		return string(w.bytes())
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		if f, err := v.Float64(); err == nil {
			return formatNumber(f)
		}
		return v.String()
	case []any:
		return inspectList(v, seen+1)
	case *orderedObject:
		if len(v.keys) == 0 {
			return "{}"
		}
		if seen+1 > 2 {
			return "[Object]"
		}
		parts := make([]string, len(v.keys))
		for i, k := range v.keys {
			parts[i] = k + ": " + inspectDepth(v.vals[k], seen+1)
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	return fmt.Sprint(v)
}

// inspectList prints a list seen levels deep, at most ten items.
func inspectList(list []any, seen int) string {
	if len(list) == 0 {
		return "[]"
	}
	if seen > 2 {
		return "[Array]"
	}
	var parts []string
	for i, item := range list {
		if i == 10 {
			rest := len(list) - 10
			if rest == 1 {
				parts = append(parts, "... 1 more item")
			} else {
				parts = append(parts, fmt.Sprintf("... %d more items", rest))
			}
			break
		}
		parts = append(parts, inspectDepth(item, seen))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
