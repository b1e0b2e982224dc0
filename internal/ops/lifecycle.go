package ops

import (
	"context"
	"fmt"
)

func runStop(ctx context.Context, c *cli, args []string) error {
	return c.podAction(ctx, "stop", args, func(p Pods, id string) error { return p.Stop(ctx, id) },
		"Pod %s is stopped; its volume stays, billed as storage.\n")
}

func runTerminate(ctx context.Context, c *cli, args []string) error {
	return c.podAction(ctx, "terminate", args, func(p Pods, id string) error { return p.Terminate(ctx, id) },
		"Pod %s is terminated.\n")
}

func (c *cli) podAction(ctx context.Context, name string, args []string, act func(Pods, string) error, done string) error {
	fs := c.flags(name)
	if help, err := c.parse(fs, args); help || err != nil {
		return err
	}
	id, err := podArg(fs)
	if err != nil {
		return err
	}
	api, err := c.api()
	if err != nil {
		return err
	}
	if err := act(api, id); err != nil {
		return errorf(err, "%s pod %s", name, id)
	}
	fmt.Fprintf(c.env.Stdout, done, id)
	return nil
}
