package fakegithub

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// runnerFile is the ".runner" file of a just-in-time configuration.
type runnerFile struct {
	AgentID     int64  `json:"agentId"`
	AgentName   string `json:"agentName"`
	PoolID      int64  `json:"poolId"`
	ServerURL   string `json:"serverUrl"`
	GitHubURL   string `json:"gitHubUrl"`
	WorkFolder  string `json:"workFolder"`
	Ephemeral   bool   `json:"ephemeral"`
	UseV2Flow   bool   `json:"useV2Flow"`
	ServerURLV2 string `json:"serverUrlV2"`
}

// credentialsFile is the ".credentials" file of a just-in-time configuration.
type credentialsFile struct {
	Scheme string          `json:"scheme"`
	Data   credentialsData `json:"data"`
}

// credentialsData holds the OAuth client and the broker token.
type credentialsData struct {
	ClientID         string `json:"clientId"`
	AuthorizationURL string `json:"authorizationUrl"`
	Token            string `json:"token"`
}

// jitFiles is what goes into one encoded configuration.
type jitFiles struct {
	reg        *registration
	base       string
	workFolder *string
}

// encodeJIT builds the encoded_jit_config value: base64 of a JSON object
// that maps file names to base64 file contents.
func encodeJIT(f jitFiles) (string, error) {
	clientID, err := newUUID()
	if err != nil {
		return "", err
	}
	work := "_work"
	if f.workFolder != nil && *f.workFolder != "" {
		work = *f.workFolder
	}
	scopeName := f.reg.sc.repo
	if f.reg.sc.isOrg() {
		scopeName = f.reg.sc.org
	}
	runner, err := json.Marshal(runnerFile{
		AgentID: f.reg.id, AgentName: f.reg.name, PoolID: f.reg.group,
		ServerURL: f.base, GitHubURL: "https://github.com/" + scopeName,
		WorkFolder: work, Ephemeral: true, UseV2Flow: true, ServerURLV2: f.base + brokerPrefix,
	})
	if err != nil {
		return "", fmt.Errorf("encode .runner: %w", err)
	}
	creds, err := json.Marshal(credentialsFile{Scheme: "OAuthAccessToken", Data: credentialsData{
		ClientID: clientID, AuthorizationURL: f.base + brokerPrefix + "oauth2/token", Token: f.reg.token,
	}})
	if err != nil {
		return "", fmt.Errorf("encode .credentials: %w", err)
	}
	files, err := json.Marshal(map[string]string{
		".runner":                b64(runner),
		".credentials":           b64(creds),
		".credentials_rsaparams": b64([]byte("{}")),
	})
	if err != nil {
		return "", fmt.Errorf("encode jit config: %w", err)
	}
	return b64(files), nil
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// randomHex returns n random bytes as hex.
func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("read random: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// newUUID returns a random (version 4) UUID.
func newUUID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("read random: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}
