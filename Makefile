# The README's two commands: make demo, make test.
GO ?= go
export CGO_ENABLED ?= 0

.PHONY: all build test demo bench vet clean

all: build

build:
	$(GO) build -trimpath -o bin/runpod-runner .

# Everything, including the end-to-end tests that run the compiled action against the stand-ins
# and pods that are real sshd processes (needs openssh-server and shellcheck; .ci/run installs them).
# The fault matrix (every phase of start x every fault, and what was left) is printed at the end.
# The end-to-end tests run after the others, on their own and without the race detector: they
# start many sandboxes at once and mostly wait on processes, and every package they drive has
# its own tests run with -race above.
test: vet
	@mkdir -p bin
	CGO_ENABLED=1 $(GO) test -race -count=1 -timeout 10m $$($(GO) list ./... | grep -v /e2e)
	FAULT_MATRIX_OUT=$(CURDIR)/bin/fault-matrix.txt $(GO) test -count=1 -parallel 16 -timeout 15m ./e2e
	@echo; echo "Fault matrix (e2e TestFaultMatrix):"; cat bin/fault-matrix.txt

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }

# The whole start -> job -> stop flow in the local sandbox. No account, no internet.
demo:
	$(GO) run ./cmd/demo

# Figures against the stand-ins: 1 and 32 starts at once, cold against warm starts.
bench:
	$(GO) run ./cmd/bench -n 1,32

clean:
	rm -rf bin
