//go:build !nocontract

package fakerunpod

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/cache"
	"github.com/pb33f/libopenapi-validator/config"
)

// openAPI is the OpenAPI description the REST transport checks every
// request and answer against. It is safe for concurrent use: mu runs one
// validation at a time, as compiling a schema on first use changes the
// validator's model.
type openAPI struct {
	doc map[string]any    // the description, cut down to the served paths
	ops map[string]opSpec // by operationId

	mu        sync.Mutex
	validator validator.Validator
}

// opSpec is what the server needs to know of one operation.
type opSpec struct {
	query map[string]bool // the query parameters it declares
	body  any             // the JSON schema of its request body; nil if none
}

// openAPIs holds one prepared description per distinct text, shared by every Server in the
// process: preparing it and compiling its schemas is most of what a Server costs, and a prepared
// description is safe for concurrent use (its fields are read-only once made; mu guards the
// validator).
var openAPIs sync.Map // [sha256.Size]byte → *preparedOpenAPI

type preparedOpenAPI struct {
	once sync.Once
	o    *openAPI
	err  error
}

// sharedOpenAPI returns the prepared description of raw, preparing it on first use.
func sharedOpenAPI(raw []byte) (*openAPI, error) {
	v, _ := openAPIs.LoadOrStore(sha256.Sum256(raw), &preparedOpenAPI{})
	p := v.(*preparedOpenAPI)
	p.once.Do(func() { p.o, p.err = loadOpenAPI(raw) })
	return p.o, p.err
}

// loadOpenAPI reads an OpenAPI 3.1 description (JSON) and prepares to
// validate against it. The validator renders the whole description for
// every schema it compiles, so only the served paths, and the components
// they refer to, are kept: their validation is the same.
func loadOpenAPI(raw []byte) (*openAPI, error) {
	var full map[string]any
	if err := json.Unmarshal(raw, &full); err != nil {
		return nil, fmt.Errorf("parse openapi: %w", err)
	}
	doc, err := cutDown(full)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("marshal openapi: %w", err)
	}
	d, err := libopenapi.NewDocument(b)
	if err != nil {
		return nil, fmt.Errorf("load openapi: %w", err)
	}
	m, err := d.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("build openapi model: %w", err)
	}
	o := &openAPI{doc: doc, ops: map[string]opSpec{}}
	schemas := &lazyCache{}
	schemas.building.Store(true)
	o.validator = validator.NewValidatorFromV3Model(&m.Model, config.WithSchemaCache(schemas),
		config.WithFormatAssertions(), config.WithoutSecurityValidation())
	schemas.building.Store(false)
	if err := o.index(); err != nil {
		return nil, err
	}
	return o, nil
}

// cutDown returns the parts of full the served paths need.
func cutDown(full map[string]any) (map[string]any, error) {
	paths, _ := full["paths"].(map[string]any)
	kept := map[string]any{}
	for _, p := range servedPaths() {
		if paths[p] == nil {
			return nil, fmt.Errorf("openapi: no path %s", p)
		}
		kept[p] = paths[p]
	}
	doc := map[string]any{"paths": kept}
	for _, k := range []string{"openapi", "info", "servers", "security"} {
		doc[k] = full[k]
	}
	comps := map[string]any{}
	if c, ok := full["components"].(map[string]any); ok {
		comps["securitySchemes"] = c["securitySchemes"]
	}
	refs := map[string]bool{}
	if err := collectRefs(full, kept, refs); err != nil {
		return nil, err
	}
	for ref := range refs {
		parts := strings.Split(strings.TrimPrefix(ref, "#/components/"), "/")
		kind, _ := comps[parts[0]].(map[string]any)
		if kind == nil {
			kind = map[string]any{}
			comps[parts[0]] = kind
		}
		kind[unescapePointer(parts[1])] = resolvePointer(full, ref)
	}
	doc["components"] = comps
	dropAnnotations(doc, false)
	return doc, nil
}

// dropAnnotations empties the descriptions and summaries in node and drops
// its examples and code samples, which validation never reads: the less
// there is to render, the faster schemas compile. A node that is a
// properties map keeps its keys, which are property names.
func dropAnnotations(node any, isProperties bool) {
	switch n := node.(type) {
	case map[string]any:
		for k, v := range n {
			switch _, text := v.(string); {
			case isProperties:
			case (k == "description" || k == "summary") && text:
				n[k] = ""
				continue
			case k == "examples" || k == "example" || k == "x-codeSamples":
				delete(n, k)
				continue
			}
			dropAnnotations(v, !isProperties && k == "properties")
		}
	case []any:
		for _, v := range n {
			dropAnnotations(v, false)
		}
	}
}

// collectRefs adds to refs every local $ref reachable from node.
func collectRefs(full map[string]any, node any, refs map[string]bool) error {
	switch n := node.(type) {
	case map[string]any:
		if ref, ok := n["$ref"].(string); ok && !refs[ref] {
			target := resolvePointer(full, ref)
			if target == nil || strings.Count(ref, "/") != 3 || !strings.HasPrefix(ref, "#/components/") {
				return fmt.Errorf("openapi: cannot follow $ref %q", ref)
			}
			refs[ref] = true
			if err := collectRefs(full, target, refs); err != nil {
				return err
			}
		}
		for _, v := range n {
			if err := collectRefs(full, v, refs); err != nil {
				return err
			}
		}
	case []any:
		for _, v := range n {
			if err := collectRefs(full, v, refs); err != nil {
				return err
			}
		}
	}
	return nil
}

// resolvePointer returns the node at a local JSON pointer such as
// "#/components/schemas/Pod", or nil.
func resolvePointer(doc any, ref string) any {
	node := doc
	for _, seg := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := node.(map[string]any)
		if !ok {
			return nil
		}
		node = m[unescapePointer(seg)]
	}
	return node
}

// unescapePointer undoes a JSON pointer segment's escapes.
func unescapePointer(seg string) string {
	return strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")
}

// lazyCache is the validator's cache of compiled schemas, filled as each
// schema is first used. The validator compiles every schema of the
// description when it is made, unless its cache already has them; while
// building is set, lazyCache claims it has them all, so that a Server
// compiles only the schemas its requests use. A claimed entry is nil,
// which validation takes as a miss: it compiles the schema then, and
// stores it.
type lazyCache struct {
	m        sync.Map // uint64 → *cache.SchemaCacheEntry
	building atomic.Bool
}

var _ cache.SchemaCache = (*lazyCache)(nil)

// Load returns the entry for key, if there is one.
func (c *lazyCache) Load(key uint64) (*cache.SchemaCacheEntry, bool) {
	if v, ok := c.m.Load(key); ok {
		return v.(*cache.SchemaCacheEntry), true
	}
	return nil, c.building.Load()
}

// Store keeps the entry for key.
func (c *lazyCache) Store(key uint64, value *cache.SchemaCacheEntry) {
	c.m.Store(key, value)
}

// Range calls f for each entry until f returns false.
func (c *lazyCache) Range(f func(key uint64, value *cache.SchemaCacheEntry) bool) {
	c.m.Range(func(k, v any) bool { return f(k.(uint64), v.(*cache.SchemaCacheEntry)) })
}
