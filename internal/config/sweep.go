package config

import (
	"time"

	"github.com/runpod-runner/runpod-runner/internal/sweep"
)

// readSweep reads the inputs of mode: sweep, and where metrics go.
func (c *Config) readSweep(r *reader) {
	for _, in := range []struct {
		name string
		dst  *time.Duration
	}{{InMaxAge, &c.MaxAge}, {InKeepStopped, &c.KeepStopped}} {
		d, err := sweep.ParseDuration(r.str(in.name))
		if err != nil {
			r.fail(in.name, "must be a duration such as 30m, 12h or 7d (0 for no limit): %v", err)
		}
		*in.dst = d
	}
	c.DryRun = r.boolean(InDryRun)
	c.PushgatewayURL = r.httpURL(InPushgatewayURL, "")
}
