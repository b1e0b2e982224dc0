package fakegithub

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const (
	defaultPerPage = 30
	maxPerPage     = 100
)

// page is the slice of a list that one request returns.
type page struct {
	number, perPage, last int
	start, end            int
}

// pageOf reads page and per_page from the query and bounds them like GitHub.
func pageOf(r *http.Request, total int) page {
	q := r.URL.Query()
	per := queryInt(q, "per_page", defaultPerPage)
	per = min(max(per, 1), maxPerPage)
	n := max(queryInt(q, "page", 1), 1)
	last := max((total+per-1)/per, 1)
	start := min((n-1)*per, total)
	return page{number: n, perPage: per, last: last, start: start, end: min(start+per, total)}
}

// queryInt returns an integer query parameter, or def when absent or bad.
func queryInt(q url.Values, key string, def int) int {
	v, err := strconv.Atoi(q.Get(key))
	if err != nil {
		return def
	}
	return v
}

// setLink writes the Link header when the list has more than one page.
func (p page) setLink(w http.ResponseWriter, r *http.Request, base string) {
	if p.last <= 1 {
		return
	}
	link := func(n int, rel string) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		q.Set("per_page", strconv.Itoa(p.perPage))
		return fmt.Sprintf(`<%s%s?%s>; rel="%s"`, base, r.URL.Path, q.Encode(), rel)
	}
	var parts []string
	if p.number > 1 {
		parts = append(parts, link(min(p.number-1, p.last), "prev"))
	}
	if p.number < p.last {
		parts = append(parts, link(p.number+1, "next"), link(p.last, "last"))
	}
	if p.number > 1 {
		parts = append(parts, link(1, "first"))
	}
	w.Header().Set("Link", strings.Join(parts, ", "))
}
