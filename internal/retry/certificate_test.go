package retry

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestUntrustedCertificate(t *testing.T) {
	t.Parallel()
	untrusted := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(untrusted.Close)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	client := &http.Client{Timeout: 5 * time.Second}
	for _, tc := range []struct {
		name string
		url  string
		want bool
	}{
		{name: "certificate_of_an_unknown_authority", url: untrusted.URL, want: true},
		{name: "connection_refused", url: closed.URL, want: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, err := client.Get(tc.url)
			if err == nil {
				resp.Body.Close()
				t.Fatalf("GET %s succeeded, want an error", tc.url)
			}
			if got := UntrustedCertificate(err); got != tc.want {
				t.Errorf("UntrustedCertificate(%v) = %v, want %v", err, got, tc.want)
			}
		})
	}
}
