package fakerunpod

import (
	"math/rand/v2"
	"time"
)

// Messages the simulated API answers with, in RunPod's words. Tests may
// pass them to Fault.GraphQLError.
const (
	// MsgNoInstances is the answer to a create that finds no capacity.
	MsgNoInstances = "There are no longer any instances available with the requested specifications. Please refresh and try again."
	// MsgNotEnoughGPUs is the answer to a resume whose host has lost its GPUs.
	MsgNotEnoughGPUs = "There are not enough free GPUs on the host machine to start this pod."
	// MsgPodNotFoundToTerminate is the answer to terminating a pod that is gone.
	MsgPodNotFoundToTerminate = "pod not found to terminate"
	// MsgUnauthorized is the answer to a key that may not do what it asks.
	MsgUnauthorized = "Unauthorized"
	// MsgSomethingWentWrong is RunPod's answer to an internal failure.
	MsgSomethingWentWrong = "Something went wrong. Please try again later or contact support."
	// MsgNoSpotInstances is the answer to every spot (interruptible) request:
	// RunPod is removing spot pods.
	MsgNoSpotInstances = "There are no instances available with the request specifications. Please try again later."
	// MsgNotPlaced is REST v2's answer to a create that finds no capacity.
	MsgNotPlaced = "This GPU and data center combination could not be placed: there are no longer any instances available with the requested specifications."
	// MsgActionNotValid is REST v2's answer to an action the pod's status does not allow.
	MsgActionNotValid = "Action not valid for current pod status"
	// MsgPodNotFound is REST v2's answer about a pod that does not exist.
	MsgPodNotFound = "pod not found"
)

// failureKind classifies a failure of the simulated API, so that each
// transport can map it to its own status codes.
type failureKind int

const (
	failInvalid     failureKind = iota + 1 // the request breaks a rule of the API
	failNoCapacity                         // nothing can place the pod
	failNotFound                           // the pod does not exist
	failUnavailable                        // the pod's host cannot run it now
	failInternal                           // the simulated machinery failed
	failConflict                           // the pod's status does not allow the request
)

// failure is an error the simulated API answers a request with. Its
// message is RunPod's text, shown to the client as is.
type failure struct {
	kind    failureKind
	message string
}

func (f *failure) Error() string { return f.message }

func fail(kind failureKind, message string) *failure {
	return &failure{kind: kind, message: message}
}

// runpodTime formats t as RunPod's DateTime output does (Go's time.String
// of a UTC time in milliseconds), e.g. "2025-12-16 17:44:56.726 +0000 UTC".
func runpodTime(t time.Time) string {
	return t.UTC().Truncate(time.Millisecond).Format("2006-01-02 15:04:05.999 -0700 MST")
}

// statusTime formats t as lastStatusChange does (JavaScript's
// Date.toString), e.g. "Fri Jul 12 2024 15:14:40 GMT+0000 (Coordinated Universal Time)".
func statusTime(t time.Time) string {
	return t.UTC().Format("Mon Jan 02 2006 15:04:05 GMT-0700") + " (Coordinated Universal Time)"
}

// randomString returns n random lowercase letters and digits.
func randomString(n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[rand.IntN(len(chars))]
	}
	return string(b)
}
