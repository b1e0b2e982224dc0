# syntax=docker/dockerfile:1
FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /runpod-runner .

# distroless/static carries CA certificates and runs as root, as container actions must.
FROM gcr.io/distroless/static-debian12
COPY --from=build /runpod-runner /runpod-runner
ENTRYPOINT ["/runpod-runner"]
