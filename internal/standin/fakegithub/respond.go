package fakegithub

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Endpoint keys, as used by FailNext, Count and Request.Endpoint.
const (
	epJIT       = "generate-jitconfig"
	epList      = "list-runners"
	epGet       = "get-runner"
	epDelete    = "delete-runner"
	epRun       = "get-workflow-run"
	epGroups    = "runner-groups"
	epDownloads = "downloads"
	epRepo      = "get-repository"
	epReleases  = "list-releases"
)

const (
	docRoot    = "https://docs.github.com/rest"
	docRunners = "https://docs.github.com/rest/actions/self-hosted-runners#"
	docLimits  = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"
)

// docURL returns the documentation URL of an endpoint at repo or org level.
func docURL(endpoint string, org bool) string {
	where := [2]string{"for-a-repository", "for-an-organization"}
	from := [2]string{"from-a-repository", "from-an-organization"}
	i := 0
	if org {
		i = 1
	}
	switch endpoint {
	case epJIT:
		return docRunners + "create-configuration-for-a-just-in-time-runner-" + where[i]
	case epList:
		return docRunners + "list-self-hosted-runners-" + where[i]
	case epGet:
		return docRunners + "get-a-self-hosted-runner-" + where[i]
	case epDelete:
		return docRunners + "delete-a-self-hosted-runner-" + from[i]
	case epDownloads:
		return docRunners + "list-runner-applications-" + where[i]
	case epGroups:
		return "https://docs.github.com/rest/actions/self-hosted-runner-groups" +
			"#list-self-hosted-runner-groups-for-an-organization"
	}
	return docRoot
}

// apiError is the body of a GitHub error response.
type apiError struct {
	Message          string       `json:"message"`
	Errors           []fieldError `json:"errors,omitempty"`
	DocumentationURL string       `json:"documentation_url"`
	Status           string       `json:"status"`
}

// fieldError is one entry of a validation error's "errors" list.
type fieldError struct {
	Resource string `json:"resource"`
	Field    string `json:"field"`
	Code     string `json:"code"`
	Message  string `json:"message,omitempty"`
}

// writeJSON writes v as the JSON body of a response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"message":"Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeError writes a GitHub error body.
func writeError(w http.ResponseWriter, status int, msg, doc string) {
	writeJSON(w, status, apiError{Message: msg, DocumentationURL: doc, Status: strconv.Itoa(status)})
}

// writeValidation writes a 422 "Validation Failed" body naming the fields.
func writeValidation(w http.ResponseWriter, doc string, errs ...fieldError) {
	writeJSON(w, http.StatusUnprocessableEntity, apiError{
		Message:          "Validation Failed",
		Errors:           errs,
		DocumentationURL: doc,
		Status:           strconv.Itoa(http.StatusUnprocessableEntity),
	})
}
