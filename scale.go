package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/runpod-runner/runpod-runner/internal/config"
	"github.com/runpod-runner/runpod-runner/internal/scale"
)

// runScale is `runpod-runner scale --config FILE`: the autoscaler. A bad command line or config
// file is reported in full, before anything is created, with exit status 2.
func runScale(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := flag.NewFlagSet("runpod-runner scale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "the autoscaler's YAML config `FILE` (required)")
	check := fs.Bool("check", false, "check the config file and the environment, then exit")
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2, err: err}
	}
	if *path == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: runpod-runner scale --config FILE [--check]")
		return exitError{code: 2, err: errors.New("scale: --config FILE is required")}
	}
	data, err := os.ReadFile(*path)
	if err != nil {
		fmt.Fprintf(stderr, "runpod-runner scale: %v\n", err)
		return exitError{code: 2, err: err}
	}
	cfg, err := scale.Load(data, getenv, os.ReadFile)
	if err != nil {
		for _, leaf := range config.Leaves(err) {
			fmt.Fprintf(stderr, "runpod-runner scale: %s: %v\n", *path, leaf)
		}
		return exitError{code: 2, err: fmt.Errorf("config %s: %w", *path, err)}
	}
	if *check {
		fmt.Fprintf(stderr, "runpod-runner scale: %s: %d scale sets, config good\n", *path, len(cfg.ScaleSets))
		return nil
	}
	return serveScale(ctx, cfg, getenv, stderr)
}
