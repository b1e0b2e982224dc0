// Package marker names the env entries that runpod-runner puts on every pod it creates, so that
// the action's stop and post steps, the autoscaler and the operator's tools find the pods it made
// and only those. Users cannot set entries with this prefix.
package marker

// Prefix starts the name of every marker.
const Prefix = "RUNPOD_RUNNER_"

// The markers. Every value is also checked where it is read: a pod's env is not trusted.
const (
	Repo     = Prefix + "REPO"      // OWNER/REPO of the workflow run that made the pod
	Run      = Prefix + "RUN"       // the workflow run id
	Attempt  = Prefix + "ATTEMPT"   // the attempt of the workflow run that made (or resumed) the pod
	Label    = Prefix + "LABEL"     // the runner label the pod serves
	Group    = Prefix + "GROUP"     // the label of a fan-out, on each of its pods
	ScaleSet = Prefix + "SCALE_SET" // the runner scale set an autoscaled pod serves
	Runner   = Prefix + "RUNNER"    // the name of the runner registered on the pod, the only one a stop by pod id removes
)
