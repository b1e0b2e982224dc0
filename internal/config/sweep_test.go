package config

import (
	"testing"
	"time"
)

func TestLoadSweep(t *testing.T) {
	t.Parallel()
	cfg, err := Load(env(map[string]string{"mode": "sweep", "gpu-types": "", "max-age": "90m", "keep-stopped": "2d", "dry-run": "true"}), false)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Mode != ModeSweep || cfg.MaxAge != 90*time.Minute || cfg.KeepStopped != 48*time.Hour || !cfg.DryRun {
		t.Errorf("sweep config = mode %s, max-age %s, keep-stopped %s, dry-run %v", cfg.Mode, cfg.MaxAge, cfg.KeepStopped, cfg.DryRun)
	}
}
