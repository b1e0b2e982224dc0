# The README's two commands: make demo, make test. Also: make bench, make build.
GO ?= go
export CGO_ENABLED ?= 0
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: all build test test-packages test-e2e demo demo-scale bench vet style staticcheck clean setup-demo setup-test

all: build

# The binary as the image has it: static, trimmed, stamped.
build:
	$(GO) build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o bin/runpod-runner .

# The style checks first (a second each), then three parts at once, each printed whole when it
# ends: staticcheck, the package tests with the race detector, and the end-to-end tests on their
# own and without it (they start many sandboxes at once and mostly wait on processes, and every
# package they drive has its own tests run with -race). Run one after the other they leave the
# cores idle most of the time. The fault matrix (every phase of start x every fault, and what was
# left) is printed at the end. .ci/setup first installs openssh-server, shellcheck, nix-bin and
# curl (as root with apt-get), or says how.
test: setup-test style
	@mkdir -p bin
	@$(MAKE) --no-print-directory -j3 --output-sync=target staticcheck test-packages test-e2e
	@echo; echo "Fault matrix (e2e TestFaultMatrix):"; cat bin/fault-matrix.txt

test-packages:
	CGO_ENABLED=1 $(GO) test -race -count=1 -timeout 10m $$($(GO) list ./... | grep -v /e2e)

test-e2e:
	@mkdir -p bin
	FAULT_MATRIX_OUT=$(CURDIR)/bin/fault-matrix.txt $(GO) test -count=1 -parallel 16 -timeout 15m ./e2e

vet: style staticcheck

style:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) mod tidy -diff

staticcheck:
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# The whole start -> job -> stop flow in the local sandbox. No account, no internet. -trimpath as
# the demo builds the action and the stand-in runner, so that the three builds share one build
# cache instead of compiling the standard library and the shared modules twice.
demo: setup-demo
	$(GO) run -trimpath -tags nocontract ./cmd/demo

# What the two commands need beyond Go (sshd, curl; shellcheck and nix-bin for the tests).
setup-demo setup-test:
	@.ci/setup $(@:setup-%=%)

# The autoscaler (runpod-runner scale) in the local sandbox: two waves of jobs on a runs-on
# label, cold then warm, the metrics, and a clean shutdown. No account, no internet.
demo-scale: setup-demo
	$(GO) run -trimpath -tags nocontract ./cmd/demoscale

# Figures against the stand-ins: 1 and 32 starts at once, cold against warm starts; then the
# autoscaler: 16 jobs queued at once under a 1 request/s RunPod quota, cold then warm.
bench:
	$(GO) run ./cmd/bench -n 1,32
	$(GO) run ./cmd/bench -scale 16 -scale-rate 1

clean:
	rm -rf bin
