module github.com/runpod-runner/runpod-runner

go 1.26.0

require (
	github.com/cenkalti/backoff/v4 v4.3.0
	github.com/google/go-cmp v0.7.0
	github.com/google/go-github/v62 v62.0.0
	github.com/hasura/go-graphql-client v0.15.0
	github.com/sethvargo/go-githubactions v1.4.0
	github.com/vektah/gqlparser/v2 v2.5.64
	golang.org/x/crypto v0.59.0
)

require (
	github.com/agnivade/levenshtein v1.2.2 // indirect
	github.com/coder/websocket v1.8.13 // indirect
	github.com/google/go-querystring v1.1.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
