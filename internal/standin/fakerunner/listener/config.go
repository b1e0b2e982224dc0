package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// runnerSettings is the part of .runner the listener uses.
type runnerSettings struct {
	AgentID     int64  `json:"agentId"`
	AgentName   string `json:"agentName"`
	PoolID      int64  `json:"poolId"`
	ServerURL   string `json:"serverUrl"`
	GitHubURL   string `json:"gitHubUrl"`
	WorkFolder  string `json:"workFolder"`
	ServerURLV2 string `json:"serverUrlV2"`
}

// credentials is .credentials.
type credentials struct {
	Scheme string `json:"scheme"`
	Data   struct {
		Token string `json:"token"`
	} `json:"data"`
}

// config is the loaded runner configuration.
type config struct {
	settings runnerSettings
	token    string
}

// writeJITFiles decodes an encoded just-in-time configuration (base64 of a
// JSON object mapping file names to base64 contents) and writes each file
// into root.
func writeJITFiles(root, encoded string) error {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
	if err != nil {
		return fmt.Errorf("decode config: %w", err)
	}
	var files map[string]string
	if err := json.Unmarshal(raw, &files); err != nil {
		return fmt.Errorf("parse config: %w", err)
	}
	for name, content := range files {
		if name != filepath.Base(name) || strings.HasPrefix(name, "..") {
			return fmt.Errorf("bad file name %q", name)
		}
		data, err := base64.StdEncoding.DecodeString(content)
		if err != nil {
			return fmt.Errorf("decode %s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(root, name), data, 0o600); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}

// loadConfig reads .runner and .credentials from root.
func loadConfig(root string) (config, error) {
	var c config
	if err := readJSON(filepath.Join(root, ".runner"), &c.settings); err != nil {
		return c, err
	}
	var cred credentials
	if err := readJSON(filepath.Join(root, ".credentials"), &cred); err != nil {
		return c, err
	}
	c.token = cred.Data.Token
	switch {
	case c.settings.ServerURLV2 == "":
		return c, errors.New(".runner has no serverUrlV2")
	case c.token == "":
		return c, errors.New(".credentials has no token")
	}
	if c.settings.WorkFolder == "" {
		c.settings.WorkFolder = "_work"
	}
	return c, nil
}

// readJSON decodes a JSON file.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("parse %s: %w", filepath.Base(path), err)
	}
	return nil
}

// deleteLocalConfig removes the configuration files, as an ephemeral
// runner does after its job.
func deleteLocalConfig(root string) error {
	var errs []error
	for _, name := range [...]string{".runner", ".credentials", ".credentials_rsaparams"} {
		if err := os.Remove(filepath.Join(root, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
