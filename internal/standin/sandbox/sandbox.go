// Package sandbox runs the whole product on one machine with no account and no internet: the
// RunPod and GitHub stand-ins, pods that are real sshd processes, a stand-in runner package
// served over local HTTP, and the action's binary run the way the Actions runner runs a
// container action (INPUT_* with hyphens kept, GITHUB_OUTPUT/GITHUB_STATE/GITHUB_STEP_SUMMARY
// files, STATE_* for the post step). The end-to-end tests and make demo use it.
package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/runpod-runner/runpod-runner/internal/standin/fakegithub"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakepod"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunner"
	"github.com/runpod-runner/runpod-runner/internal/standin/fakerunpod"
)

// Credentials the stand-ins accept.
const (
	RunPodKey   = "rpa_SANDBOXKEY0123456789abcdefghijklmnop"
	GitHubToken = "github_pat_SANDBOX0123456789abcdefghijklmnopqrstuvwxyz"
	// ReadOnlyToken may read the repository's runners but not register one.
	ReadOnlyToken = "github_pat_READONLY0123456789abcdefghijklmnopqrstuvwxyz"
	Repository    = "octo-org/gpu-lab"
	// OtherRepository is a second repository on the same accounts.
	OtherRepository = "octo-org/other-lab"
	// RunnerVersion is the version of the stand-in runner package.
	RunnerVersion = "2.338.0"
)

// Options shapes a sandbox.
type Options struct {
	Dir          string // working directory; pods live under it
	RunPodAPI    string // the API the action is told to use: rest (default) or graphql
	Listener     string // stand-in runner listener binary (fakerunner.BuildListener)
	RunPod       fakerunpod.Options
	GitHub       fakegithub.Options
	RunPodSchema string // the GraphQL schema; read from testdata when empty
}

// Sandbox is a running set of stand-ins.
type Sandbox struct {
	RunPod    *fakerunpod.Server
	GitHub    *fakegithub.Server
	Pods      *fakepod.Host
	RunPodURL string // the REST root; the GraphQL endpoint is RunPodURL + "/graphql"
	RunPodAPI string // rest or graphql
	GitHubURL string // the REST API root
	Dir       string
	// TarballSHA256 is the checksum of the stand-in runner package.
	TarballSHA256 string
	// Downloads is the runner package list the GitHub stand-in offers.
	Downloads []fakegithub.Download

	servers   []*httptest.Server
	closers   []func()
	downloads downloadFaults
}

// downloadFaults make the runner package's server misbehave.
type downloadFaults struct {
	mu    sync.Mutex
	fail  bool
	delay time.Duration
	count int
}

// TarballDownloads says how often the runner package was downloaded.
func (s *Sandbox) TarballDownloads() int {
	s.downloads.mu.Lock()
	defer s.downloads.mu.Unlock()
	return s.downloads.count
}

// BreakDownloads makes the runner package's server answer 500 (fail) or wait before answering.
func (s *Sandbox) BreakDownloads(fail bool, delay time.Duration) {
	s.downloads.mu.Lock()
	defer s.downloads.mu.Unlock()
	s.downloads.fail, s.downloads.delay = fail, delay
}

// Start starts the stand-ins.
func Start(opts Options) (*Sandbox, error) {
	s := &Sandbox{Dir: opts.Dir, RunPodAPI: opts.RunPodAPI}
	if s.RunPodAPI == "" {
		s.RunPodAPI = "rest"
	}
	host, err := fakepod.NewHost(filepath.Join(opts.Dir, "pods"))
	if err != nil {
		return nil, err
	}
	s.Pods = host
	if err := s.startRunPod(opts); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.startGitHub(opts); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Sandbox) startRunPod(opts Options) error {
	o := opts.RunPod
	o.Schema = opts.RunPodSchema
	if o.Schema == "" {
		root, err := fakerunner.ModuleRoot()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(filepath.Join(root, "testdata", "runpod", "schema.graphql"))
		if err != nil {
			return fmt.Errorf("reading the RunPod schema: %w", err)
		}
		o.Schema = string(b)
		if o.OpenAPI, err = os.ReadFile(filepath.Join(root, "testdata", "runpod", "rest-v2-openapi.json")); err != nil {
			return fmt.Errorf("reading RunPod's OpenAPI description: %w", err)
		}
	}
	if o.Keys == nil {
		o.Keys = map[string]fakerunpod.KeyAccess{RunPodKey: fakerunpod.ReadWrite}
	}
	o.Host = s.Pods
	srv, err := fakerunpod.New(o)
	if err != nil {
		return err
	}
	s.RunPod = srv
	s.RunPodURL = s.serve(srv)
	s.Pods.APIURL = s.RunPodURL
	return nil
}

func (s *Sandbox) startGitHub(opts Options) error {
	tarball, sum, err := fakerunner.Tarball(opts.Listener, RunnerVersion)
	if err != nil {
		return fmt.Errorf("packing the stand-in runner: %w", err)
	}
	s.TarballSHA256 = sum
	name := fakerunner.Filename(RunnerVersion, "linux", fakerunner.Arch(runtime.GOARCH))
	serveTarball := fakerunner.Handler("/"+name, tarball)
	files := s.serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.downloads.mu.Lock()
		fail, delay := s.downloads.fail, s.downloads.delay
		s.downloads.count++
		s.downloads.mu.Unlock()
		time.Sleep(delay)
		if fail {
			http.Error(w, "upstream unavailable", http.StatusInternalServerError)
			return
		}
		serveTarball.ServeHTTP(w, r)
	}))
	o := opts.GitHub
	if o.Tokens == nil {
		o.Tokens = map[string]fakegithub.Grant{
			GitHubToken: {Administration: map[string]fakegithub.Access{Repository: fakegithub.WriteAccess, OtherRepository: fakegithub.WriteAccess},
				Actions: map[string]fakegithub.Access{Repository: fakegithub.ReadAccess, OtherRepository: fakegithub.ReadAccess}},
			ReadOnlyToken: {Administration: map[string]fakegithub.Access{Repository: fakegithub.ReadAccess}},
		}
	}
	if o.Repos == nil {
		o.Repos = []string{Repository, OtherRepository}
	}
	if o.RunnerReleases == nil {
		o.RunnerReleases = []fakegithub.Release{{Version: RunnerVersion, Published: time.Now().AddDate(0, 0, -10)}}
	}
	o.Downloads = []fakegithub.Download{{OS: "linux", Architecture: fakerunner.Arch(runtime.GOARCH),
		DownloadURL: files + "/" + name, Filename: name, SHA256Checksum: sum}}
	s.Downloads = o.Downloads
	s.GitHub = fakegithub.New(o)
	s.GitHubURL = s.serve(s.GitHub)
	return nil
}

func (s *Sandbox) serve(h http.Handler) string {
	srv := httptest.NewServer(h)
	s.servers = append(s.servers, srv)
	return srv.URL
}

// Close stops every pod and stand-in.
func (s *Sandbox) Close() error {
	var errs []error
	if s.RunPod != nil {
		s.RunPod.Close()
	}
	if s.Pods != nil {
		errs = append(errs, s.Pods.Close())
	}
	for _, srv := range s.servers {
		srv.Close()
	}
	for _, c := range s.closers {
		c()
	}
	return errors.Join(errs...)
}

// SSHUser is the user the sandbox's pods let in: root when the tests run as root, as on RunPod,
// or else the current user, since an unprivileged sshd can only log in its own user.
func SSHUser() string {
	if os.Geteuid() == 0 {
		return "root"
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return os.Getenv("USER")
}
