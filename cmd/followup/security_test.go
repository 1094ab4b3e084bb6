package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/followuphq/followup/internal/termtest"
)

// servedBinary is the real followup in a directory of its own, with a team
// of one rep (alice, with an SSH key) and one lead of hers.
type servedBinary struct {
	t        *testing.T
	dir, bin string
	env      []string
	alice    gossh.Signer
}

func newServedBinary(t *testing.T, config string, umask0 bool) *servedBinary {
	t.Helper()
	dir := t.TempDir()
	sb := &servedBinary{t: t, dir: dir, bin: buildFollowup(t, dir),
		env: append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_DATA_HOME="+filepath.Join(dir, "data"))}
	if config != "" {
		cfg := filepath.Join(dir, "config", "followup", "config.toml")
		if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if sb.alice, err = gossh.NewSignerFromKey(priv); err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(sb.alice.PublicKey())))
	sb.run(umask0, "reps", "add", "alice", "--role", "rep", "--key", line)
	sb.run(umask0, "add", "--name", "Dana Scully", "--email", "dana@fbi.example", "--owner", "alice")
	return sb
}

// command is followup with args; with umask0 it runs under umask 0, so
// that a file's mode is what followup asked for, not what the umask left.
func (sb *servedBinary) command(umask0 bool, args ...string) *exec.Cmd {
	var cmd *exec.Cmd
	if umask0 {
		cmd = exec.Command("sh", append([]string{"-c", `umask 0 && exec "$0" "$@"`, sb.bin}, args...)...)
	} else {
		cmd = exec.Command(sb.bin, args...)
	}
	cmd.Env = sb.env
	cmd.Dir = sb.dir
	return cmd
}

func (sb *servedBinary) run(umask0 bool, args ...string) string {
	sb.t.Helper()
	out, err := sb.command(umask0, args...).CombinedOutput()
	if err != nil {
		sb.t.Fatalf("followup %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// serve starts followup serve (--ssh and --intake on free loopback ports)
// and returns the two addresses, everything it writes, and a stop func
// that sends SIGINT and waits for it to exit.
func (sb *servedBinary) serve(umask0 bool, extra ...string) (sshAddr, webAddr string, out *termtest.Screen, stop func()) {
	sb.t.Helper()
	free := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			sb.t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}
	sshAddr, webAddr = free(), free()
	cmd := sb.command(umask0, append([]string{"serve", "--ssh", sshAddr, "--intake", webAddr}, extra...)...)
	out = &termtest.Screen{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		sb.t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-exited
			sb.t.Errorf("serve did not exit within 20 s of SIGINT:\n%s", out.String())
		}
	}
	sb.t.Cleanup(stop)
	if !out.Await("reps connect with", time.Now().Add(20*time.Second)) {
		sb.t.Fatalf("serve did not start:\n%s", out.String())
	}
	return sshAddr, webAddr, out, stop
}

// post sends one intake request with the given Authorization header and
// returns the status.
func post(t *testing.T, webAddr, auth, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+webAddr+"/v1/leads", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestServeLogsNoSecretsOrNotes runs the real serve with its log captured:
// intake requests with the right token, a wrong one, one that shares the
// right one's first half, and none; a rep who logs an outcome with a note
// and writes a note over SSH; a stranger's key. The tokens and the notes'
// text never appear in what serve writes.
func TestServeLogsNoSecretsOrNotes(t *testing.T) {
	const token = "tok-3b9f2c71e4d8a6050f1e2d3c4b5a6978"
	sb := newServedBinary(t, "[intake]\ntoken = \""+token+"\"\n", false)
	sshAddr, webAddr, out, stop := sb.serve(false)

	if got := post(t, webAddr, "Bearer "+token, `{"name":"Fox Mulder","email":"fox@fbi.example","contact_me":true}`); got != http.StatusCreated {
		t.Fatalf("the right token: %d, want 201", got)
	}
	wrong := []string{"Bearer tok-wrong-0000000000000000000000000", "Bearer " + token[:len(token)/2] + "zzzzzzzzzzzzzzzzz", "Bearer " + token + "x", token, ""}
	for _, auth := range wrong {
		if got := post(t, webAddr, auth, `{"name":"Alex Krycek","email":"alex@example.com"}`); got != http.StatusUnauthorized {
			t.Errorf("Authorization %q: %d, want 401", auth, got)
		}
	}

	const outcomeNote, note = "NOTE-TEXT-a71 pricing sheet", "NOTE-TEXT-b42 competitor"
	c, err := gossh.Dial("tcp", sshAddr, &gossh.ClientConfig{User: "alice", Auth: []gossh.AuthMethod{gossh.PublicKeys(sb.alice)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	screen := &termtest.Screen{}
	sess.Stdout, sess.Stderr = screen, screen
	keys, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	step := func(send, want string) {
		t.Helper()
		keys.Write([]byte(send))
		if !screen.Await(want, time.Now().Add(10*time.Second)) {
			t.Fatalf("after %q the session never showed %q", send, want)
		}
	}
	step("", "Queue · ")
	step("3", "Log connected · ")
	step(outcomeNote, outcomeNote)
	step("\r", "logged connected on ")
	step("e", "ctrl+s saves the note")
	step(note, note)
	step("\x13", "note saved")
	c.Close()

	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	strangerSigner, err := gossh.NewSignerFromKey(stranger)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gossh.Dial("tcp", sshAddr, &gossh.ClientConfig{User: "alice", Auth: []gossh.AuthMethod{gossh.PublicKeys(strangerSigner)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second}); err == nil {
		t.Error("a stranger's key got in")
	}
	out.Await("session end", time.Now().Add(10*time.Second))
	stop()

	log := out.String()
	if !strings.Contains(log, "session start") {
		t.Fatalf("serve logged no session; the capture is broken:\n%s", log)
	}
	for _, secret := range []string{token, token[:len(token)/2], "tok-wrong", "NOTE-TEXT", "pricing sheet", "competitor"} {
		if strings.Contains(log, secret) {
			t.Errorf("serve logged %q:\n%s", secret, log)
		}
	}
	// What was written is there: the test did reach the store.
	touches := sb.run(false, "export", "touches", "--format", "json")
	if !strings.Contains(touches, outcomeNote) {
		t.Errorf("the outcome's note is not in the export: %s", touches)
	}
}

// TestFilesArePrivate runs followup under umask 0 and checks that every
// file it creates is readable by its owner only (0600) and every folder
// 0700: the config, the database, the SSH host key, the serve hint, a
// backup, an import's rejects file. (Scheduled snapshots are written by
// the same store.Backup as followup backup; internal/snapshot's
// TestScheduleKeepsTheNewest checks their mode.)
func TestFilesArePrivate(t *testing.T) {
	sb := newServedBinary(t, "", true) // the first run writes the default config
	checkMode(t, filepath.Join(sb.dir, "config", "followup", "config.toml"), 0o600)
	serveConfig := filepath.Join(sb.dir, "serve.toml")
	if err := os.WriteFile(serveConfig, []byte("[intake]\ntoken = \"files-are-private-token\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sb.run(true, "backup", filepath.Join(sb.dir, "copy.db"))
	csv := filepath.Join(sb.dir, "leads.csv")
	if err := os.WriteFile(csv, []byte("Name,Email\nGood Row,good@example.com\nBad Row,not-an-email\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := sb.command(true, "import", csv).CombinedOutput(); err == nil || !strings.Contains(string(out), "not an email") {
		t.Fatalf("import with a bad row: %v\n%s", err, out)
	}
	_, _, _, stop := sb.serve(true, "--config", serveConfig)
	hint := filepath.Join(sb.dir, "data", "followup", "followup.db.serve")
	checkMode(t, hint, 0o600)
	stop()

	want := map[string]bool{"config.toml": false, "followup.db": false, "ssh_host_ed25519": false, "copy.db": false, "leads.csv.rejects.csv": false}
	filepath.WalkDir(sb.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(sb.dir, path)
		switch {
		case d.IsDir() && rel != ".":
			checkMode(t, path, 0o700)
		case rel == "followup" || rel == "leads.csv" || rel == "serve.toml":
			// the test's binary and input
		case d.IsDir():
		default:
			checkMode(t, path, 0o600)
			want[d.Name()] = true
		}
		return nil
	})
	for name, seen := range want {
		if !seen {
			t.Errorf("%s was not created; the test did not check it", name)
		}
	}
}

func checkMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Error(err)
		return
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s: mode %v, want %v", path, got, want)
	}
}
