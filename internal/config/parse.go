package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/apiclient"
)

// InputError is a bad input: the input's name and what is allowed. It never holds the value of
// a secret input.
type InputError struct {
	Input   string
	Problem string
}

func (e *InputError) Error() string { return fmt.Sprintf("input %s: %s", e.Input, e.Problem) }

// reader reads inputs through getenv and collects every problem it finds. An input left empty
// takes its default from Inputs, the one table of defaults.
type reader struct {
	get      func(name string) string
	defaults map[string]string
	errs     []error
	failed   map[string]bool
}

func newReader(get func(name string) string) *reader {
	defaults := map[string]string{}
	for _, in := range Inputs() {
		defaults[in.Name] = in.Default
	}
	return &reader{get: get, defaults: defaults}
}

func (r *reader) fail(name, format string, args ...any) {
	if r.failed == nil {
		r.failed = map[string]bool{}
	}
	r.failed[name] = true
	r.errs = append(r.errs, &InputError{Input: name, Problem: fmt.Sprintf(format, args...)})
}

// ok reports whether none of the inputs failed, for checks that combine them.
func (r *reader) ok(names ...string) bool {
	for _, n := range names {
		if r.failed[n] {
			return false
		}
	}
	return true
}

// str returns the input, or its default from Inputs when it is empty.
func (r *reader) str(name string) string {
	if v := r.get(name); v != "" {
		return v
	}
	return r.defaults[name]
}

// strOr returns the input or its default, else fallback: for inputs whose default action.yml
// leaves empty because it comes from the run's environment (the repository, an API's URL).
func (r *reader) strOr(name, fallback string) string {
	if v := r.str(name); v != "" {
		return v
	}
	return fallback
}

// integer parses a whole number in [min, max].
func (r *reader) integer(name string, min, max int) int {
	raw := r.str(name)
	n, err := strconv.Atoi(raw)
	if err != nil || n < min || n > max {
		r.fail(name, "must be a whole number from %d to %d, got %q", min, max, raw)
		return min
	}
	return n
}

// integerOr parses a whole number in [min, max], or gives fallback when the input is empty;
// set says whether it was given.
func (r *reader) integerOr(name string, fallback, min, max int) (n int, set bool) {
	if r.str(name) == "" {
		return fallback, false
	}
	return r.integer(name, min, max), true
}

// minutes parses a number of minutes, fractions allowed, in [min, max].
func (r *reader) minutes(name string, min, max float64) time.Duration {
	raw := r.str(name)
	m, err := strconv.ParseFloat(raw, 64)
	if err != nil || !(m >= min && m <= max) { // NaN compares false both ways; Inf is out of range
		r.fail(name, "must be a number of minutes from %g to %g, got %q", min, max, raw)
		return time.Duration(min * float64(time.Minute))
	}
	return time.Duration(m * float64(time.Minute))
}

// enum returns the input folded to the case of allowed, which must contain it.
func (r *reader) enum(name string, allowed ...string) string {
	return oneOf(r, name, allowed...)
}

// oneOf is enum for a named string type.
func oneOf[T ~string](r *reader, name string, allowed ...T) T {
	raw := r.str(name)
	names := make([]string, len(allowed))
	for i, a := range allowed {
		if strings.EqualFold(raw, string(a)) {
			return a
		}
		names[i] = string(a)
	}
	r.fail(name, "must be one of %s, got %q", strings.Join(names, ", "), raw)
	return allowed[0]
}

// list splits on commas and newlines, trims each item and drops empty ones and duplicates.
func (r *reader) list(name string) []string {
	var out []string
	seen := map[string]bool{}
	for _, item := range strings.FieldsFunc(r.get(name), func(c rune) bool { return c == ',' || c == '\n' }) {
		item = strings.TrimSpace(item)
		if item == "" || seen[item] {
			continue
		}
		seen[item] = true
		out = append(out, item)
	}
	return out
}

// matching returns the input if it matches re (or is empty), naming what is allowed otherwise.
func (r *reader) matching(name string, re *regexp.Regexp, allowed string) string {
	v := r.get(name)
	if v != "" && !re.MatchString(v) {
		r.fail(name, "must be %s, got %q", allowed, v)
		return ""
	}
	return v
}

// httpURL parses an absolute http(s) URL; fallback is used as strOr uses it.
func (r *reader) httpURL(name, fallback string) string {
	raw := r.strOr(name, fallback)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		r.fail(name, "must be an absolute http or https URL, got %q", raw)
		return ""
	}
	if u.User != nil {
		r.fail(name, "must not carry credentials in the URL")
		return ""
	}
	return raw
}

// boolean parses true or false.
func (r *reader) boolean(name string) bool {
	switch raw := r.str(name); strings.ToLower(raw) {
	case "true":
		return true
	case "false":
		return false
	default:
		r.fail(name, "must be true or false, got %q", raw)
		return false
	}
}

// apiURL parses the root of an API the action sends a token to: https, or http on a loopback
// host only (a token sent over plain http anywhere else can be read on the way).
func (r *reader) apiURL(name, fallback string) string {
	raw := r.httpURL(name, fallback)
	if err := apiclient.CheckURL(raw); err != nil {
		r.fail(name, "%v", err)
		return ""
	}
	return raw
}
