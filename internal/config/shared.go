package config

import "errors"

// Pod reads the settings of a pod and its runner that the action's inputs and the autoscaler's
// scale sets share: get answers for each input by its name in action.yml (gpu-types, image,
// runner-version, ...) and "" for what is not given. The same parser and checks as the action's
// start serve both, so that a key means the same wherever it is written. The error joins one
// *InputError per bad value, named by the input.
func Pod(get func(name string) string) (*Config, error) {
	r := newReader(get)
	c := &Config{Mode: ModeStart}
	c.readPod(r)
	c.readRunner(r)
	c.readFanOut(r)
	c.RunPodAPI = r.enum(InRunPodAPI, APIREST, APIGraphQL)
	c.check(r)
	if len(r.errs) > 0 {
		return nil, errors.Join(r.errs...)
	}
	return c, nil
}

// Check applies the action's rule for one input to value: nil when the action would take it,
// else the *InputError it would report.
func Check(name, value string) error {
	r := newReader(func(n string) string {
		if n == name {
			return value
		}
		return ""
	})
	c := &Config{Mode: ModeStart}
	c.readPod(r)
	c.readRunner(r)
	c.readFanOut(r)
	c.readTargets(r, func(string) string { return "" })
	c.check(r)
	var out []error
	for _, e := range r.errs {
		if e.(*InputError).Input == name {
			out = append(out, e)
		}
	}
	return errors.Join(out...)
}

// Leaves flattens joined errors into their parts.
func Leaves(err error) []error {
	if err == nil {
		return nil
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range joined.Unwrap() {
		out = append(out, Leaves(e)...)
	}
	return out
}
