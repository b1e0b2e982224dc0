package fakerunpod

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
)

// jsonWriter writes JSON with keys in the order they are written, which
// encoding/json cannot do for maps. It places commas itself: callers only
// open, close, name keys and write values.
type jsonWriter struct {
	buf      bytes.Buffer
	first    []bool // one entry per open object or array: no member written yet
	afterKey bool
}

// sep writes the comma that belongs before the next member, if any.
func (w *jsonWriter) sep() {
	if w.afterKey {
		w.afterKey = false
		return
	}
	if n := len(w.first); n > 0 {
		if w.first[n-1] {
			w.first[n-1] = false
			return
		}
		w.buf.WriteByte(',')
	}
}

func (w *jsonWriter) beginObject() { w.sep(); w.buf.WriteByte('{'); w.first = append(w.first, true) }
func (w *jsonWriter) beginArray()  { w.sep(); w.buf.WriteByte('['); w.first = append(w.first, true) }
func (w *jsonWriter) endObject()   { w.buf.WriteByte('}'); w.first = w.first[:len(w.first)-1] }
func (w *jsonWriter) endArray()    { w.buf.WriteByte(']'); w.first = w.first[:len(w.first)-1] }

// key writes an object member name; the next write is its value.
func (w *jsonWriter) key(k string) {
	w.sep()
	w.writeString(k)
	w.buf.WriteByte(':')
	w.afterKey = true
}

// raw writes an already encoded JSON value.
func (w *jsonWriter) raw(b []byte) {
	w.sep()
	w.buf.Write(b)
}

// scalar writes a string, number, boolean or nil. Anything else is written
// as null, which never happens for values the resolvers build.
func (w *jsonWriter) scalar(v any) {
	w.sep()
	switch v := v.(type) {
	case string:
		w.writeString(v)
	case bool:
		w.buf.WriteString(strconv.FormatBool(v))
	case int:
		w.buf.WriteString(strconv.Itoa(v))
	case int64:
		w.buf.WriteString(strconv.FormatInt(v, 10))
	case float64:
		w.buf.WriteString(formatNumber(v))
	default:
		w.buf.WriteString("null")
	}
}

// writeString writes s quoted the way JSON.stringify does: HTML characters
// are left alone.
func (w *jsonWriter) writeString(s string) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		w.buf.WriteString(`""`)
		return
	}
	w.buf.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// bytes returns what has been written so far.
func (w *jsonWriter) bytes() []byte { return w.buf.Bytes() }

// formatNumber prints f as JavaScript's String(f) does for the values a
// pod or catalog holds; NaN and infinities, which JSON lacks, become null.
func formatNumber(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "null"
	}
	if math.Abs(f) >= 1e21 {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
