package config

import (
	"regexp"
	"slices"
	"strings"
)

// KnownDataCenters are RunPod's data center ids: the dataCenterIds enum of RunPod's OpenAPI
// description (https://github.com/runpod/docs/blob/main/api-reference/openapi.json,
// PodCreateInput.dataCenterIds). Four of them have a three-letter region (EUR-IS-1).
var KnownDataCenters = []string{
	"AP-JP-1", "CA-MTL-1", "CA-MTL-2", "CA-MTL-3", "EU-CZ-1", "EU-FR-1", "EU-NL-1", "EU-RO-1", "EU-SE-1",
	"EUR-IS-1", "EUR-IS-2", "EUR-IS-3", "EUR-NO-1", "OC-AU-1", "US-CA-2", "US-DE-1", "US-GA-1", "US-GA-2",
	"US-IL-1", "US-KS-2", "US-KS-3", "US-NC-1", "US-TX-1", "US-TX-3", "US-TX-4", "US-WA-1",
}

// reDataCenter is the form of every known id. An id of that form that is not known yet is let
// through, since RunPod opens data centers: RunPod itself then refuses it if it does not exist.
var reDataCenter = regexp.MustCompile(`^[A-Z]{2,4}-[A-Z]{2,8}-[0-9]{1,3}$`)

// dataCenterProblem returns why dc is no data center id, or "" when it may be one.
func dataCenterProblem(dc string) string {
	if slices.Contains(KnownDataCenters, dc) || reDataCenter.MatchString(dc) {
		return ""
	}
	return "each entry must be a RunPod data center id (" + strings.Join(KnownDataCenters, ", ") + ")"
}
