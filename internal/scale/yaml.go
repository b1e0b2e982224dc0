package scale

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// KeyError is a bad value in the config file: the key's path (scale-sets[0].gpu-types), the
// line it is on, and what is allowed.
type KeyError struct {
	Key     string
	Line    int
	Problem string
}

func (e *KeyError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Key, e.Problem)
	}
	return fmt.Sprintf("%s: %s", e.Key, e.Problem)
}

// parser walks the YAML tree and collects every problem it finds.
type parser struct {
	errs []error
}

func (p *parser) fail(key string, n *yaml.Node, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	p.errs = append(p.errs, &KeyError{Key: key, Line: line, Problem: fmt.Sprintf(format, args...)})
}

// mapping returns the entries of a mapping node, reporting keys not in allowed and keys given
// twice. A missing or null node is an empty mapping.
func (p *parser) mapping(key string, n *yaml.Node, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if isNull(n) {
		return out
	}
	if n.Kind != yaml.MappingNode {
		p.fail(key, n, "must be a mapping of keys to values")
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		switch {
		case !slices.Contains(allowed, k):
			p.fail(join(key, k), n.Content[i], "is not a known key (known: %s)", strings.Join(allowed, ", "))
		case out[k] != nil:
			p.fail(join(key, k), n.Content[i], "is given twice")
		default:
			out[k] = v
		}
	}
	return out
}

// scalar returns a scalar's text, or def when the node is missing or null.
func (p *parser) scalar(key string, n *yaml.Node, def string) string {
	if isNull(n) {
		return def
	}
	if n.Kind != yaml.ScalarNode {
		p.fail(key, n, "must be a single value")
		return def
	}
	return n.Value
}

// list returns a YAML list or a comma-separated string as the action's comma-separated form.
func (p *parser) list(key string, n *yaml.Node) string {
	if isNull(n) || n.Kind == yaml.ScalarNode {
		return p.scalar(key, n, "")
	}
	if n.Kind != yaml.SequenceNode {
		p.fail(key, n, "must be a list or a comma-separated string")
		return ""
	}
	var items []string
	for i, item := range n.Content {
		if item.Kind != yaml.ScalarNode || strings.ContainsAny(item.Value, ",\n") {
			p.fail(fmt.Sprintf("%s[%d]", key, i), item, "must be a single value without commas")
			continue
		}
		items = append(items, item.Value)
	}
	return strings.Join(items, ",")
}

// duration parses a Go duration such as 90s, 10m or 24h in [lo, hi].
func (p *parser) duration(key string, n *yaml.Node, def, lo, hi time.Duration) time.Duration {
	raw := p.scalar(key, n, "")
	if raw == "" {
		return def
	}
	d, err := time.ParseDuration(raw)
	if err != nil || d < lo || d > hi {
		p.fail(key, n, "must be a duration such as 90s, 10m or 24h from %s to %s, got %q", lo, hi, raw)
		return def
	}
	return d
}

// integer parses a whole number in [lo, hi].
func (p *parser) integer(key string, n *yaml.Node, def, lo, hi int) int {
	raw := p.scalar(key, n, "")
	if raw == "" {
		return def
	}
	v, err := strconv.Atoi(raw)
	if err != nil || v < lo || v > hi {
		p.fail(key, n, "must be a whole number from %d to %d, got %q", lo, hi, raw)
		return def
	}
	return v
}

// dollars parses an optional positive amount of US dollars (0 when not given).
func (p *parser) dollars(key string, n *yaml.Node) float64 {
	raw := p.scalar(key, n, "")
	if raw == "" {
		return 0
	}
	v, err := strconv.ParseFloat(strings.TrimPrefix(raw, "$"), 64)
	if err != nil || v <= 0 || v > 1e6 {
		p.fail(key, n, "must be a positive amount of US dollars such as 2.50, got %q", raw)
		return 0
	}
	return v
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

func join(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}
