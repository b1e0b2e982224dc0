package action

import (
	"errors"
	"strings"

	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// Hint says what a user can do about an error, or "" when there is nothing specific.
func Hint(err error) string {
	var pe *PhaseError
	phase := ""
	if errors.As(err, &pe) {
		phase = pe.Phase
	}
	var ge *registration.Error
	var libs *MissingLibsError
	switch {
	case errors.As(err, &libs):
		return "The pod's image lacks " + strings.Join(libs.Libs, ", ") + ", which the runner's .NET runtime needs (its config.sh checks this; a just-in-time runner skips it): use an image that has them, run as root on an image with apt-get (the runner's bin/installdependencies.sh is then run), or install them in pre-runner-script."
	case errors.As(err, &ge) && ge.Hint != "":
		return ge.Hint
	case runpod.ClassOf(err) == runpod.Auth:
		return "RunPod refused the key in runpod-api-key: check that the secret is set and the key has read/write (All) permission."
	case runpod.ClassOf(err) == runpod.Capacity:
		return "RunPod had no capacity for any candidate: list more GPU types in gpu-types, add data-center-ids, or set cloud-type to ALL."
	case errors.Is(err, remote.ErrHostKeyChanged):
		return "The pod's SSH host key changed between connections; something may be intercepting traffic. The pod was not used."
	case phase == "wait-ready":
		return "The pod never published port 22: the image pull or the container's start failed, or the pod got no public IP (community cloud); see the pod log above."
	case phase == "ssh":
		return "The pod did not accept the SSH key: the image must append PUBLIC_KEY to ~/.ssh/authorized_keys and start sshd, as RunPod's /start.sh does."
	case phase == "wait-online" || phase == "launch":
		return "The runner did not come online: read the runner log tail above; check that the token's repository or organization matches and that the pod can reach github.com."
	case strings.Contains(phase, "install"):
		return "Installing the runner failed: check that the pod can reach the download URL and has curl, tar and sha256sum (pre-runner-script can install them)."
	}
	return ""
}
