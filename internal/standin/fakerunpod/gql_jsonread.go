package fakerunpod

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// orderedObject is a decoded JSON object that remembers the order of its
// keys, so that error messages can list them the way a JavaScript server
// sees them.
type orderedObject struct {
	keys []string
	vals map[string]any
}

// graphQLBody is the body of a GraphQL request over HTTP.
type graphQLBody struct {
	Query         string          `json:"query"`
	OperationName string          `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
}

// decodeVariables decodes the variables of a request. Objects become
// *orderedObject, numbers json.Number, arrays []any; null or absent
// variables decode to an empty object.
func decodeVariables(raw json.RawMessage) (*orderedObject, error) {
	empty := &orderedObject{vals: map[string]any{}}
	if len(bytes.TrimSpace(raw)) == 0 {
		return empty, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	switch v := v.(type) {
	case nil:
		return empty, nil
	case *orderedObject:
		return v, nil
	default:
		return nil, errors.New("variables must be an object")
	}
}

// decodeValue reads one JSON value from dec.
func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("decode variables: %w", err)
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	switch d {
	case '{':
		obj := &orderedObject{vals: map[string]any{}}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, fmt.Errorf("decode variables: %w", err)
			}
			k, _ := kt.(string)
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			if _, dup := obj.vals[k]; !dup {
				obj.keys = append(obj.keys, k)
			}
			obj.vals[k] = v
		}
		return obj, closeDelim(dec)
	case '[':
		list := []any{}
		for dec.More() {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, closeDelim(dec)
	}
	return nil, fmt.Errorf("decode variables: unexpected %v", d)
}

// closeDelim consumes the closing bracket of an object or array.
func closeDelim(dec *json.Decoder) error {
	if _, err := dec.Token(); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("decode variables: %w", err)
	}
	return nil
}
