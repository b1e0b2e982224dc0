package runner

import "fmt"

// knownChecksums are SHA-256 sums of official runner packages, by version and architecture,
// as published in https://github.com/actions/runner/releases.
var knownChecksums = map[string]string{
	"2.338.0/x64":   "af4b794c1bc41d73d40535e3fe092a39f9679cd8d965954c2aca25a05ca41d32",
	"2.337.0/x64":   "70920811a4f8ad4328818682bca5c6469c1c942fab52448868071d0063816613",
	"2.337.0/arm64": "9b1dc70626422526e3c94767cf024896beb15da5342a3f4819bf2feac13e0393",
	"2.335.1/x64":   "4ef2f25285f0ae4477f1fe1e346db76d2f3ebf03824e2ddd1973a2819bf6c8cf",
}

// KnownChecksum returns the published checksum of an official package, "" when unknown.
func KnownChecksum(version, arch string) string { return knownChecksums[version+"/"+arch] }

// ReleaseURL is where GitHub publishes an official runner package.
func ReleaseURL(version, arch string) string {
	return fmt.Sprintf("https://github.com/actions/runner/releases/download/v%s/actions-runner-linux-%s-%s.tar.gz",
		version, arch, version)
}
