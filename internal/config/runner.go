package config

import (
	"regexp"
	"strings"
)

var (
	reRepository    = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$`)
	reOrganization  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}$`)
	reRunnerGroup   = regexp.MustCompile(`^[^\x00-\x1f]{1,100}$`)
	reRunnerVersion = regexp.MustCompile(`^(latest|[0-9]{1,3}\.[0-9]{1,4}\.[0-9]{1,4})$`)
	reSHA256        = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
	reRunnerDir     = regexp.MustCompile(`^(/|~/)[A-Za-z0-9._/-]{1,200}$`)
	reSSHUser       = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)
)

func (c *Config) readRunner(r *reader) {
	c.Label = r.get(InLabel)
	if c.Label != "" {
		if problem := LabelProblem(c.Label); problem != "" {
			r.fail(InLabel, "%s, got %q", problem, c.Label)
		}
	}
	for _, l := range r.list(InRunnerLabels) {
		if problem := LabelProblem(l); problem != "" {
			r.fail(InRunnerLabels, "each label %s, got %q", problem, l)
			continue
		}
		c.RunnerLabels = append(c.RunnerLabels, l)
	}
	c.RunnerGroup = r.matching(InRunnerGroup, reRunnerGroup, "a runner group name or numeric id")
	c.RunnerVersion = r.str(InRunnerVersion)
	if !reRunnerVersion.MatchString(c.RunnerVersion) {
		r.fail(InRunnerVersion, "must be latest or a version such as 2.338.0, got %q", c.RunnerVersion)
	}
	c.RunnerDownloadURL = r.httpURL(InRunnerDownloadURL, "")
	c.RunnerSHA256 = strings.ToLower(r.matching(InRunnerSHA256, reSHA256, "a SHA-256 checksum of 64 hex digits"))
	c.RunnerDir = r.matching(InRunnerDir, reRunnerDir, "an absolute path or one under ~/ (letters, digits and ._/-)")
	c.PreRunnerScript = r.get(InPreRunnerScript)
	c.SSHUser = r.str(InSSHUser)
	if !reSSHUser.MatchString(c.SSHUser) {
		r.fail(InSSHUser, "must be a user name such as root, got %q", c.SSHUser)
	}
	c.OnStop = oneOf(r, InOnStop, TerminatePod, StopPod)
	c.OnFailure = oneOf(r, InOnFailure, TerminatePod, StopPod, KeepPod)
	c.Scope = oneOf(r, InScope, ScopeAuto, ScopePod, ScopeLabel, ScopeRun)
	c.Force = r.boolean(InForce)
}

func (c *Config) readFanOut(r *reader) {
	c.Runners = r.integer(InRunners, 1, MaxRunners)
	c.FanOut = r.enum(InFanOut, FanOutNone, FanOutPerGPUType)
	c.MinRunners = c.Legs()
	if r.get(InMinRunners) != "" {
		c.MinRunners = r.integer(InMinRunners, 1, MaxRunners)
	}
}

// Legs is how many runners (each on its own pod) one start makes.
func (c *Config) Legs() int {
	if c.FanOut == FanOutPerGPUType {
		return c.Runners * max(1, len(c.GPUTypes))
	}
	return c.Runners
}

func (c *Config) readTargets(r *reader, getenv func(string) string) {
	repo := r.strOr(InRepository, c.Run.Repository)
	if owner, name, ok := strings.Cut(repo, "/"); ok && reRepository.MatchString(repo) {
		c.Owner, c.Repo = owner, name
	} else if repo != "" {
		r.fail(InRepository, "must be owner/name, got %q", repo)
	} else if c.Mode != ModePost {
		r.fail(InRepository, "is required outside GitHub Actions (GITHUB_REPOSITORY is not set)")
	}
	c.Organization = r.matching(InOrganization, reOrganization, "a GitHub organization login")
	c.RunPodAPI = r.enum(InRunPodAPI, APIREST, APIGraphQL)
	apiURL := "https://api.runpod.io"
	if c.RunPodAPI == APIGraphQL {
		apiURL += "/graphql"
	}
	c.RunPodAPIURL = r.apiURL(InRunPodAPIURL, apiURL)
	if c.RunPodAPI == APIREST {
		// RunPod's docs give REST v2's base URL with /v2 (https://docs.runpod.io/api-reference-v2/overview);
		// the paths add it, so a copied base URL would otherwise ask for /v2/v2/pods.
		c.RunPodAPIURL = strings.TrimSuffix(strings.TrimSuffix(c.RunPodAPIURL, "/"), "/v2")
	}
	def := getenv("GITHUB_API_URL")
	if def == "" {
		def = "https://api.github.com"
	}
	c.GitHubAPIURL = r.apiURL(InGitHubAPIURL, def)
}

// check applies the rules that involve more than one input.
func (c *Config) check(r *reader) {
	if c.Mode == ModeStop {
		c.checkStop(r)
	}
	if c.Mode != ModeStart {
		return
	}
	if c.Reuse && c.PodID == "" && c.PodName == "" && c.Label == "" {
		r.fail(InReuse, "needs pod-name or label: the name of the pod to look for must be the same in every run")
	}
	switch {
	case c.PodID != "" && c.TemplateID != "":
		r.fail(InTemplateID, "cannot be used with pod-id: an existing pod keeps its template")
	case c.PodID != "" && c.Image != "":
		r.fail(InImage, "cannot be used with pod-id: an existing pod keeps its image")
	case c.Image != "" && c.TemplateID != "":
		r.fail(InTemplateID, "cannot be used with image: give one or the other")
	}
	if r.ok(InRunners, InFanOut, InMinRunners, InGPUTypes) {
		c.checkFanOut(r)
	}
	if len(c.PodIDs) > 1 {
		r.fail(InPodID, "must name one pod for a start, got %d", len(c.PodIDs))
	}
	if c.PodID != "" && c.Reuse {
		r.fail(InReuse, "cannot be used with pod-id: reuse looks a stopped pod up by pod-name")
	}
	if c.Reuse && c.RunPodAPI == APIGraphQL && c.SSHPrivateKey == "" {
		r.fail(InSSHPrivateKey, "is required with reuse on runpod-api: graphql, which cannot give a stopped pod a new PUBLIC_KEY; "+
			"use the key the pod was created with, or runpod-api: rest")
	}
	if c.PodID == "" && len(c.GPUTypes) == 0 {
		r.fail(InGPUTypes, "is required to create a pod: one or more RunPod GPU type ids, in order of preference")
	}
	if c.Image == "" && c.TemplateID == "" && c.PodID == "" {
		c.Image = DefaultImage
	}
	if c.RunnerDownloadURL != "" && c.RunnerSHA256 == "" {
		r.fail(InRunnerSHA256, "is required with runner-download-url, to verify what is downloaded")
	}
	if r.get(InRunnerDownloadURL) == "" && c.RunnerSHA256 != "" && c.RunnerVersion == "latest" {
		r.fail(InRunnerSHA256, "needs runner-download-url or a runner-version other than latest")
	}
	if c.RunPodAPI == APIREST {
		if c.MinVCPUCount > 0 {
			r.fail(InMinVCPUCount, "works only with runpod-api: graphql; RunPod's REST API has no such filter")
		}
		if c.MinMemoryGB > 0 {
			r.fail(InMinMemoryGB, "works only with runpod-api: graphql; RunPod's REST API has no such filter")
		}
		if c.VolumeGB > 0 && c.VolumeGB < 10 {
			r.fail(InVolumeGB, "must be 0 or at least 10 with runpod-api: rest (RunPod's floor for a volume)")
		}
	}
	if r.ok(InStartupTimeoutMinutes, InMaxRuntimeMinutes) && c.StartupTimeout >= c.MaxRuntime {
		r.fail(InStartupTimeoutMinutes, "must be shorter than max-runtime-minutes")
	}
}

func (c *Config) checkFanOut(r *reader) {
	legs := c.Legs()
	switch {
	case legs > MaxRunners:
		r.fail(InRunners, "asks for %d runners in all; one start makes at most %d", legs, MaxRunners)
	case c.MinRunners > legs:
		r.fail(InMinRunners, "is %d, more than the %d runners this start makes", c.MinRunners, legs)
	case legs > 1 && (c.PodID != "" || c.Reuse):
		r.fail(InRunners, "must be 1 with pod-id or reuse, which use one pod")
	}
}

// checkStop applies the rules of a stop's scope.
func (c *Config) checkStop(r *reader) {
	switch {
	case c.Scope == ScopeLabel && c.Label == "":
		r.fail(InScope, "label needs the label input: the label whose pods and runners to remove")
	case c.Force && len(c.PodIDs) == 0:
		r.fail(InForce, "works only with pod-id: it lets a stop remove a pod this action did not make")
	}
}
