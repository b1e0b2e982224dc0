package action

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"

	"github.com/runpod-runner/runpod-runner/internal/marker"
	"github.com/runpod-runner/runpod-runner/internal/registration"
	"github.com/runpod-runner/runpod-runner/internal/remote"
	"github.com/runpod-runner/runpod-runner/internal/runpod"
)

// recorder keeps the calls a fake saw, in order.
type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) record(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, fmt.Sprintf(format, args...))
}

func (r *recorder) Calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

// fakePods is RunPod: pods appear with SSH after bootPolls gets; errors are set per call.
type fakePods struct {
	recorder
	big        sync.Mutex // one call at a time: legs of a fan-out call at once
	pods       map[string]*runpod.Pod
	created    int
	bootPolls  int
	polls      int
	createErrs map[string]error // by GPU type
	listErr    error
	typesErr   error
	resumeErr  error
	// terminateErr fails every terminate; terminateHangs makes it wait for its context, as a
	// call RunPod never answers.
	terminateErr   error
	terminateHangs bool
	// resumedWith is the GPU count the last resume asked for; as GraphQL's podResume, the
	// pod gets it (https://github.com/runpod/docs/blob/main/sdks/graphql/manage-pods.mdx).
	resumedWith int
	lastCreate  runpod.CreateRequest
	// stoppedPolls is how many reads after a resume still find the pod EXITED, as RunPod's
	// start only moves a pod "back toward RUNNING"
	// (https://github.com/runpod/docs/blob/main/api-reference-v2/openapi.json, podAction).
	stoppedPolls int
	graphQL      bool // no logs and no env updates, as RunPod's GraphQL API
	// noPublicIP lists GPU types whose pods run without a public port 22: booted, no SSH, as a
	// community pod may (https://github.com/runpod/docs/blob/main/api-reference/openapi.json,
	// supportPublicIp), or a secure one whose mapping is late.
	noPublicIP map[string]bool
	volumes    map[string]runpod.NetworkVolume // by id; see sources_test.go
	templates  map[string]runpod.Template      // by id
	logs       []string
}

var _ Pods = (*fakePods)(nil)

func newFakePods() *fakePods {
	return &fakePods{pods: map[string]*runpod.Pod{}, createErrs: map[string]error{}, bootPolls: 1}
}

func (f *fakePods) Create(_ context.Context, r runpod.CreateRequest) (*runpod.Pod, error) {
	f.big.Lock()
	defer f.big.Unlock()
	f.record("create %s", r.GPUTypeID)
	f.lastCreate = r
	if err := f.createErrs[r.GPUTypeID]; err != nil {
		return nil, err
	}
	f.created++
	env := map[string]string{}
	for _, e := range r.Env {
		env[e.Key] = e.Value
	}
	// An id of RunPod's form (lowercase letters and digits, e.g. "8y5rumuc28o0bp"), which the post
	// step checks before it trusts a saved one.
	p := &runpod.Pod{ID: fmt.Sprintf("podid%d", f.created), Name: r.Name, Status: runpod.StatusRunning, GPUCount: r.GPUCount,
		GPUType: r.GPUTypeID, CostPerHour: 0.5 * float64(r.GPUCount), Env: env, Community: r.CloudType == "COMMUNITY"}
	f.pods[p.ID] = p
	cp := *p
	return &cp, nil
}

func (f *fakePods) Get(_ context.Context, id string) (*runpod.Pod, error) {
	f.big.Lock()
	defer f.big.Unlock()
	f.record("get %s", id)
	p, ok := f.pods[id]
	if !ok {
		return nil, &runpod.Error{Op: "get pod", Class: runpod.NotFound, Message: "no such pod"}
	}
	f.polls++
	f.boot(p)
	cp := *p
	if f.stoppedPolls > 0 {
		f.stoppedPolls--
		cp.Status, cp.SSH = runpod.StatusExited, nil
	}
	return &cp, nil
}

// boot gives a running pod its SSH address once bootPolls polls have been made.
func (f *fakePods) boot(p *runpod.Pod) {
	if f.polls >= f.bootPolls && p.Status == runpod.StatusRunning {
		p.Booted, p.SSH = true, &runpod.Endpoint{Host: "203.0.113.7", Port: 22022}
		if f.noPublicIP[p.GPUType] {
			p.SSH = nil
		}
	}
}

func (f *fakePods) List(context.Context) ([]runpod.Pod, error) {
	f.big.Lock()
	defer f.big.Unlock()
	f.record("list")
	f.polls++
	var out []runpod.Pod
	for _, p := range f.pods {
		f.boot(p)
		out = append(out, *p)
	}
	return out, f.listErr
}

func (f *fakePods) Resume(_ context.Context, id string, gpuCount int) (*runpod.Pod, error) {
	f.big.Lock()
	defer f.big.Unlock()
	f.record("resume %s", id)
	f.resumedWith = gpuCount
	if f.resumeErr != nil {
		return nil, f.resumeErr
	}
	f.pods[id].Status = runpod.StatusRunning
	if gpuCount > 0 {
		f.pods[id].GPUCount = gpuCount
	}
	cp := *f.pods[id]
	return &cp, nil
}

func (f *fakePods) Stop(_ context.Context, id string) error {
	f.big.Lock()
	defer f.big.Unlock()
	f.record("stop %s", id)
	if p, ok := f.pods[id]; ok {
		p.Status, p.SSH = runpod.StatusExited, nil
	}
	return nil
}

func (f *fakePods) Terminate(ctx context.Context, id string) error {
	f.big.Lock()
	f.record("terminate %s", id)
	if f.terminateHangs {
		f.big.Unlock()
		<-ctx.Done()
		return ctx.Err()
	}
	defer f.big.Unlock()
	if f.terminateErr != nil {
		return f.terminateErr
	}
	delete(f.pods, id)
	return nil
}

func (f *fakePods) GPUTypes(_ context.Context, ids []string, _ int, _ bool) ([]runpod.GPUType, error) {
	f.big.Lock()
	defer f.big.Unlock()
	f.record("gpu-types")
	if f.typesErr != nil {
		return nil, f.typesErr
	}
	var out []runpod.GPUType
	for _, id := range ids {
		if !strings.HasPrefix(id, "UNKNOWN") {
			out = append(out, runpod.GPUType{ID: id, PricePerGPU: 0.5})
		}
	}
	return out, nil
}

func (f *fakePods) Logs(_ context.Context, id string, lines int) ([]string, error) {
	if f.graphQL {
		return nil, errors.ErrUnsupported
	}
	f.record("logs %s %d", id, lines)
	return f.logs, nil
}

func (f *fakePods) UpdateEnv(_ context.Context, id string, env map[string]string) error {
	if f.graphQL {
		return errors.ErrUnsupported
	}
	f.big.Lock()
	defer f.big.Unlock()
	f.record("update-env %s PUBLIC_KEY=%t run=%s", id, env["PUBLIC_KEY"] != "", env[marker.Run])
	f.pods[id].Env = env
	return nil
}

// fakeRunners is GitHub: runners come online after onlinePolls gets.
type fakeRunners struct {
	recorder
	big         sync.Mutex
	runners     map[int64]*registration.Runner
	next        int64
	onlinePolls int
	polls       int
	jitErr      error
	busyDeletes int
	vanish      bool   // the registration disappears when first polled
	onPoll      func() // called on each poll of a runner
	dlToken     string // the temp_download_token GitHub hands out with the package
}

var _ Runners = (*fakeRunners)(nil)

func newFakeRunners() *fakeRunners {
	return &fakeRunners{runners: map[int64]*registration.Runner{}, onlinePolls: 1}
}

func (f *fakeRunners) GroupID(context.Context, string) (int64, error) { return 1, nil }

func (f *fakeRunners) GenerateJIT(_ context.Context, name string, _ int64, labels []string) (*registration.JITConfig, error) {
	f.big.Lock()
	defer f.big.Unlock()
	f.record("jit %s %s", name, strings.Join(labels, ","))
	if f.jitErr != nil {
		return nil, f.jitErr
	}
	f.next++
	r := &registration.Runner{ID: f.next, Name: name, Status: "offline", Labels: labels}
	f.runners[r.ID] = r
	return &registration.JITConfig{Runner: *r, Encoded: "JIT-SECRET-" + name}, nil
}

func (f *fakeRunners) Runner(_ context.Context, id int64) (*registration.Runner, error) {
	f.big.Lock()
	defer f.big.Unlock()
	f.record("runner %d", id)
	if f.onPoll != nil {
		f.onPoll()
	}
	r, ok := f.runners[id]
	if f.vanish {
		delete(f.runners, id)
		ok = false
	}
	if !ok {
		return nil, &registration.Error{Op: "get runner", Class: registration.NotFound, Status: 404}
	}
	if f.polls++; f.onlinePolls > 0 && f.polls >= f.onlinePolls {
		r.Status = "online"
	}
	cp := *r
	return &cp, nil
}

func (f *fakeRunners) Delete(_ context.Context, id int64) error {
	f.big.Lock()
	defer f.big.Unlock()
	f.record("delete %d", id)
	if f.busyDeletes > 0 {
		f.busyDeletes--
		return &registration.Error{Op: "delete runner", Class: registration.Busy, Status: 422}
	}
	delete(f.runners, id)
	return nil
}

func (f *fakeRunners) List(_ context.Context, name string) ([]registration.Runner, error) {
	f.big.Lock()
	defer f.big.Unlock()
	f.record("list %s", name)
	f.polls++
	var out []registration.Runner
	for _, r := range f.runners {
		if f.onlinePolls > 0 && f.polls >= f.onlinePolls {
			r.Status = "online"
		}
		if name == "" || r.Name == name {
			out = append(out, *r)
		}
	}
	return out, nil
}

func (f *fakeRunners) Downloads(context.Context) ([]registration.Download, error) {
	f.big.Lock()
	defer f.big.Unlock()
	f.record("downloads")
	return []registration.Download{{OS: "linux", Arch: "x64", URL: "https://dl.example/actions-runner-linux-x64-2.338.0.tar.gz",
		Filename: "actions-runner-linux-x64-2.338.0.tar.gz", SHA256: strings.Repeat("c", 64), Token: f.dlToken}}, nil
}

// fakeShell is a pod's shell: it answers each script by name and records what it ran.
type fakeShell struct {
	recorder
	cmds    []string // every command line run
	stdin   []string
	answers map[string]string // script name -> stdout
	fail    map[string]error  // script name -> error
}

var _ Shell = (*fakeShell)(nil)

func newFakeShell() *fakeShell {
	return &fakeShell{
		answers: map[string]string{
			"preflight": "arch=x86_64\ngpus=1\ndisk_free_mb=20000\nhas_curl=1\nuid=0\n",
			"install":   "cached=0\n",
			"launch":    "listening pid=42\n",
			"logtail":   "==> runpod-runner.log <==\nrunner says hello\n",
			"watchdog":  "watchdog pid=7 deadline=1\n",
		},
		fail: map[string]error{},
	}
}

func scriptName(cmd string) string {
	for _, n := range []string{"preflight", "install", "launch", "logtail", "watchdog"} {
		if strings.Contains(cmd, n+".sh") || strings.Contains(cmd, "# "+scriptHeads[n]) {
			return n
		}
	}
	if cmd == "bash -e -s" {
		return "pre-runner"
	}
	return cmd
}

// scriptHeads are words from the first comment of each script, to tell them apart.
var scriptHeads = map[string]string{
	"preflight": "Reports what the pod offers",
	"install":   "Installs the runner package",
	"launch":    "Starts run.sh detached",
	"logtail":   "Prints the end of the runner's logs",
	"watchdog":  "Ends this pod at a deadline",
}

func (f *fakeShell) Run(ctx context.Context, cmd string, stdin io.Reader, stdout, stderr io.Writer) error {
	f.mu.Lock()
	f.cmds = append(f.cmds, cmd)
	f.mu.Unlock()
	if strings.Contains(cmd, "# "+setupHead) {
		return f.setup(cmd, stdin, stdout)
	}
	name := scriptName(cmd)
	f.record("%s", name)
	if stdin != nil {
		b, _ := io.ReadAll(stdin)
		f.mu.Lock()
		f.stdin = append(f.stdin, string(b))
		f.mu.Unlock()
	}
	if err := f.fail[name]; err != nil {
		return err
	}
	_, _ = io.WriteString(stdout, f.answers[name])
	return nil
}

// setupHead is from the first comment of the setup script.
const setupHead = "Does the whole of a start"

// setup answers the setup script as the pod would: each part in turn, by the answers and
// failures of its name, with the check on GPUs and disk the script makes.
func (f *fakeShell) setup(cmd string, stdin io.Reader, stdout io.Writer) error {
	f.record("setup")
	b, _ := io.ReadAll(stdin)
	f.mu.Lock()
	f.stdin = append(f.stdin, string(b))
	f.mu.Unlock()
	parts := []string{"preflight"}
	if strings.Contains(cmd, "'deadline=") {
		parts = append(parts, "watchdog")
	}
	if strings.Contains(cmd, "'pre=1'") {
		parts = append(parts, "pre-runner")
	}
	for _, part := range append(parts, "install", "launch") {
		f.record("%s", part)
		_, _ = io.WriteString(stdout, "phase="+part+"\n"+f.answers[part])
		if err := f.fail[part]; err != nil {
			return err
		}
		if part == "preflight" && (strings.Contains(f.answers[part], "gpus=0") || strings.Contains(f.answers[part], "disk_free_mb=100\n")) {
			return errors.New("exit status 6")
		}
	}
	return nil
}

func (f *fakeShell) Close() error { f.record("close"); return nil }

// podHostKey is the host key every fake pod presents.
var podHostKey = func() ssh.PublicKey {
	k, err := ssh.NewPublicKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)).Public())
	if err != nil {
		panic(err)
	}
	return k
}()

// fakeDialer hands out the shell, or fails.
type fakeDialer struct {
	recorder
	shell *fakeShell
	err   error
}

func (f *fakeDialer) Dial(_ context.Context, addr string, _ *remote.Key, pin *remote.Pin) (Shell, error) {
	f.record("dial %s", addr)
	if f.err != nil {
		return nil, f.err
	}
	if err := pin.HostKeyCallback()(addr, nil, podHostKey); err != nil { // the pod presents its host key
		return nil, err
	}
	return f.shell, nil
}
