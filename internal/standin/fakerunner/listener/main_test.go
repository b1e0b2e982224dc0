package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		want    command
		wantErr bool
	}{
		{name: "none", want: command{}},
		{name: "run with flag", args: []string{"run", "--jitconfig", "abc"}, want: command{jitConfig: "abc"}},
		{name: "equals form", args: []string{"run", "--jitconfig=abc"}, want: command{jitConfig: "abc"}},
		{name: "once and startup type", args: []string{"run", "--once", "--startuptype", "service"}, want: command{}},
		{name: "version", args: []string{"--version"}, want: command{version: true}},
		{name: "missing value", args: []string{"run", "--jitconfig"}, wantErr: true},
		{name: "unknown flag", args: []string{"run", "--url", "x"}, wantErr: true},
		{name: "configure", args: []string{"configure"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseArgs(tt.args)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(command{})); diff != "" && !tt.wantErr {
				t.Errorf("command (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteJITFiles(t *testing.T) {
	t.Parallel()
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name      string
		config    string
		wantFiles map[string]string
		wantErr   bool
	}{
		{name: "files", config: enc(`{".runner":"` + enc(`{"agentId":1}`) + `",".credentials_rsaparams":"` + enc("{}") + `"}`),
			wantFiles: map[string]string{".runner": `{"agentId":1}`, ".credentials_rsaparams": "{}"}},
		{name: "not base64", config: "%%%", wantErr: true},
		{name: "not JSON", config: enc("nope"), wantErr: true},
		{name: "path in name", config: enc(`{"../x":"` + enc("x") + `"}`), wantErr: true},
		{name: "content not base64", config: enc(`{".runner":"%%%"}`), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			err := writeJITFiles(root, tt.config)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %v", err, tt.wantErr)
			}
			got := map[string]string{}
			entries, _ := os.ReadDir(root)
			for _, e := range entries {
				b, _ := os.ReadFile(filepath.Join(root, e.Name()))
				got[e.Name()] = string(b)
			}
			if tt.wantErr {
				tt.wantFiles = map[string]string{}
			}
			if diff := cmp.Diff(tt.wantFiles, got); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
		})
	}
}
