package ops

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/runpod-runner/runpod-runner/internal/standin/sandbox"
)

// TestPodsExecAndCopy against a pod that is a real sshd: the host key is refused until it is
// vouched for; exec streams stdin and passes the exit status through; cp copies both ways.
func TestPodsExecAndCopy(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "rest", true)
	file, key := w.identity(t)
	p := w.create(t, "gha-11-1-a", map[string]string{"PUBLIC_KEY": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherPerStartKeyxxxxxxxxxxxxxxxxxxxxxxxx start\n" + key.AuthorizedKey})
	ssh := []string{"--identity", file, "--user", sandbox.SSHUser()}

	r := w.podsCmd(t, "", append(append([]string{"exec"}, ssh...), p.ID, "--", "true")...)
	if r.code() != 1 || !strings.Contains(r.err.Error(), "SHA256:") || !strings.Contains(r.err.Error(), "--host-key") {
		t.Fatalf("exec with an unknown host key: %v, want a refusal showing the key", r.err)
	}
	fp := strings.Fields(r.err.Error()[strings.Index(r.err.Error(), "SHA256:"):])[0]
	r = w.podsCmd(t, "", append(append([]string{"exec", "--host-key", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, ssh...), p.ID, "--", "true")...)
	if r.code() != 1 || !strings.Contains(r.err.Error(), "not the expected one") {
		t.Fatalf("exec with a wrong host key: %v", r.err)
	}
	ssh = append(ssh, "--host-key", fp)

	r = w.podsCmd(t, "hello from stdin\n", append(append([]string{"exec"}, ssh...), p.ID, "--", "sh", "-c", `cat; echo "args: $0"; exit 3`, "it's one arg")...)
	if r.code() != 3 || r.stdout != "hello from stdin\nargs: it's one arg\n" {
		t.Fatalf("exec: exit %d (%v), stdout %q", r.code(), r.err, r.stdout)
	}
	if r := w.podsCmd(t, "", append(append([]string{"exec", "--accept-new"}, ssh[:4]...), p.ID, "--", "true")...); r.err != nil || !strings.Contains(r.stderr, fp) {
		t.Errorf("exec --accept-new: %v, stderr %q", r.err, r.stderr)
	}

	data := make([]byte, 256<<10)
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	local := filepath.Join(w.dir, "data.bin")
	if err := os.WriteFile(local, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := w.podsCmd(t, "", append(append([]string{"cp"}, ssh...), local, p.ID+":data.bin")...); r.err != nil {
		t.Fatalf("cp up: %v", r.err)
	}
	back := filepath.Join(w.dir, "back.bin")
	if r := w.podsCmd(t, "", append(append([]string{"cp"}, ssh...), p.ID+":data.bin", back)...); r.err != nil {
		t.Fatalf("cp down: %v", r.err)
	}
	if got, err := os.ReadFile(back); err != nil || !bytes.Equal(got, data) {
		t.Errorf("the file came back different (%d bytes, %v)", len(got), err)
	}
	if r := w.podsCmd(t, "", append(append([]string{"cp"}, ssh...), p.ID+":missing.bin", back+"2")...); r.code() != 1 {
		t.Errorf("cp of a missing file: %v", r.err)
	}
	if _, err := os.Stat(back + "2"); !os.IsNotExist(err) {
		t.Errorf("a failed cp left %s behind", back+"2")
	}
}
