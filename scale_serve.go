package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/runpod-runner/runpod-runner/internal/scale"
)

// serveScale runs the autoscaler until ctx ends.
func serveScale(ctx context.Context, cfg *scale.Config, stderr io.Writer) error {
	fmt.Fprintln(stderr, "runpod-runner scale: the autoscaler loop is not part of this build yet; use --check")
	return errors.New("scale: not available in this build")
}
