package fakerunpod

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// catalogQuery is what listGpuTypes was asked.
type catalogQuery struct {
	availability bool
	count        int
	cloud        CloudType
	countries    []string // ISO 3166-1 alpha-2 codes of data centers' locations
	cuda         []string // exact CUDA versions
	minCUDA      string   // the lowest CUDA version
}

// The forms of listGpuTypes's list parameters' entries.
var (
	countryCode = regexp.MustCompile(`^[A-Z]{2}$`)
	cudaVersion = regexp.MustCompile(`^\d+\.\d+$`)
)

// availabilityOnly are the parameters valid only with include=AVAILABILITY.
func availabilityOnly() []string {
	return []string{"count", "cloud", "countryCodes", "cudaVersions", "minCudaVersion"}
}

// parseCatalogQuery reads listGpuTypes's parameters, whose types the
// OpenAPI description has checked, and applies the rules it states in
// words: 422 for a malformed list entry, 400 for a parameter that needs
// include=AVAILABILITY without it, or product the other way round, and for
// both CUDA filters at once.
func parseCatalogQuery(q url.Values) (catalogQuery, *restReply) {
	f := catalogQuery{count: 1, cloud: Secure, minCUDA: q.Get("minCudaVersion")}
	f.availability = slices.Contains(csv(q.Get("include")), "AVAILABILITY")
	f.countries, f.cuda = csv(q.Get("countryCodes")), csv(q.Get("cudaVersions"))
	var malformed []string
	malformed = append(malformed, mismatches("countryCodes", f.countries, countryCode)...)
	malformed = append(malformed, mismatches("cudaVersions", f.cuda, cudaVersion)...)
	if len(malformed) > 0 {
		rep := problem(http.StatusUnprocessableEntity, "Request validation failed.", malformed...)
		return f, &rep
	}
	if f.availability != q.Has("product") {
		rep := problem(http.StatusBadRequest, "product is required with include=AVAILABILITY, and valid only with it.")
		return f, &rep
	}
	for _, name := range availabilityOnly() {
		if q.Has(name) && !f.availability {
			rep := problem(http.StatusBadRequest, name+" is valid only with include=AVAILABILITY.")
			return f, &rep
		}
	}
	if q.Has("cudaVersions") && q.Has("minCudaVersion") {
		rep := problem(http.StatusBadRequest, "cudaVersions and minCudaVersion are mutually exclusive.")
		return f, &rep
	}
	if n, err := strconv.Atoi(q.Get("count")); err == nil {
		f.count = n
	}
	if c := q.Get("cloud"); c != "" {
		f.cloud = CloudType(c)
	}
	return f, nil
}

// csv splits a comma-separated parameter; "" is no entries.
func csv(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// mismatches says which entries of the list parameter name do not match
// form.
func mismatches(name string, entries []string, form *regexp.Regexp) []string {
	var out []string
	for _, e := range entries {
		if !form.MatchString(e) {
			out = append(out, fmt.Sprintf("query parameter '%s': '%s' does not match pattern '%s'", name, e, form))
		}
	}
	return out
}
