package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/termtest"
	"github.com/followuphq/followup/store"
)

var ny = func() *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	return loc
}()

var monday = time.Date(2026, 11, 23, 10, 15, 0, 0, ny)

func newKey(t testing.TB) (gossh.Signer, string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return signer, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
}

type fixture struct {
	srv     *Server
	hostKey string
	addr    string
	store   *store.Store
	keys    map[string]gossh.Signer
}

// start runs a real server on 127.0.0.1 with a team (alice and bob, reps;
// maria, a manager) and two leads for alice.
func start(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	s, err := store.Open(filepath.Join(dir, "serve.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: s, keys: map[string]gossh.Signer{}, hostKey: filepath.Join(dir, "host_ed25519")}
	for name, role := range map[string]cadence.Role{"alice": cadence.RoleRep, "bob": cadence.RoleRep, "maria": cadence.RoleManager} {
		signer, line := newKey(t)
		f.keys[name] = signer
		if err := s.AddRep(cadence.Rep{Name: name, Role: role, Keys: []string{line}}); err != nil {
			t.Fatal(err)
		}
	}
	for i, name := range []string{"Dana Scully", "Fox Mulder"} {
		at := monday.Add(-time.Duration(2-i) * time.Hour)
		if _, err := s.AddLead(cadence.Lead{Name: name, Owner: "alice", Phone: "+13125550142", ReceivedAt: at, EnteredAt: at, AssignedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	keys := map[cadence.Outcome]string{}
	for _, o := range cadence.Outcomes {
		keys[o] = o.DefaultKey()
	}
	srv, err := New(Options{HostKeyPath: filepath.Join(dir, "host_ed25519"), Store: s, Policy: cadence.DefaultPolicy(ny),
		OutcomeKeys: keys, Now: func() time.Time { return monday }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.addr = ln.Addr().String()
	f.srv = srv
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		s.Close()
	})
	return f
}

func (f *fixture) dial(user string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", f.addr, &gossh.ClientConfig{User: user, Auth: auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
}

// terminal opens a session with a pty (120×40) as user.
func (f *fixture) terminal(t *testing.T, user string) (*termtest.Screen, io.Writer) {
	t.Helper()
	c, err := f.dial(user, gossh.PublicKeys(f.keys[user]))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	out := &termtest.Screen{}
	in, err := openShell(c, out)
	if err != nil {
		t.Fatal(err)
	}
	return out, in
}

// openShell starts the workstation on c: a session with a 120×40 pty
// whose output goes to out; it returns the session's keyboard.
func openShell(c *gossh.Client, out io.Writer) (io.Writer, error) {
	sess, err := c.NewSession()
	if err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		return nil, fmt.Errorf("pty: %w", err)
	}
	sess.Stdout, sess.Stderr = out, out
	in, err := sess.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("stdin: %w", err)
	}
	if err := sess.Shell(); err != nil {
		return nil, fmt.Errorf("shell: %w", err)
	}
	return in, nil
}

// waitFor waits up to 5 s for text on a session's screen.
func waitFor(t *testing.T, s *termtest.Screen, text string) {
	t.Helper()
	if !s.Await(text, time.Now().Add(5*time.Second)) {
		t.Fatalf("%q did not appear; the session showed:\n%q", text, s.String())
	}
}

func TestUnknownKeyIsRefusedWithAReason(t *testing.T) {
	f := start(t)
	stranger, _ := newKey(t)
	var told string
	_, err := f.dial("alice", gossh.PublicKeys(stranger), gossh.KeyboardInteractive(
		func(name, instruction string, questions []string, echos []bool) ([]string, error) {
			told = instruction
			return nil, nil
		}))
	if err == nil {
		t.Fatal("an unregistered key got in")
	}
	if !strings.Contains(told, `no key of yours is registered for "alice"`) {
		t.Errorf("the client was told %q", told)
	}
}

func TestKeyOfAnotherRepIsRefused(t *testing.T) {
	f := start(t)
	if _, err := f.dial("alice", gossh.PublicKeys(f.keys["bob"])); err == nil {
		t.Fatal("bob's key opened a session as alice")
	}
}

func TestSessionWithoutATerminalIsTold(t *testing.T) {
	f := start(t)
	c, err := f.dial("alice", gossh.PublicKeys(f.keys["alice"]))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("")
	if err == nil || !strings.Contains(string(out), "needs a terminal; connect with ssh -t") {
		t.Errorf("without a pty: %q, %v", out, err)
	}
}

// A rep logs an outcome over SSH: it is on disk, and another session of
// the same rep sees the queue change within a second.
func TestRepSessionWritesAndOtherSessionsSeeIt(t *testing.T) {
	f := start(t)
	one, keysOne := f.terminal(t, "alice")
	two, _ := f.terminal(t, "alice")
	waitFor(t, one, "Queue · 2 open")
	waitFor(t, two, "Queue · 2 open")
	keysOne.Write([]byte("8"))
	waitFor(t, one, "Log won · Dana Scully")
	keysOne.Write([]byte("\r"))
	waitFor(t, one, "logged won on Dana Scully")
	if l, err := f.store.Lead(1); err != nil || l.Status != cadence.StatusWon {
		t.Fatalf("lead 1 on disk: %s, %v", l.Status, err)
	}
	waitFor(t, two, "Queue · 1 open")
}

// snapshot is every lead and touch as stored, to compare byte for byte.
func snapshot(t *testing.T, s *store.Store) string {
	t.Helper()
	var b strings.Builder
	s.ForEachLead(func(l cadence.Lead) error { fmt.Fprintf(&b, "%+v\n", l); return nil })
	s.ForEachTouch(func(tc cadence.Touch) error { fmt.Fprintf(&b, "%+v\n", tc); return nil })
	for _, id := range []cadence.LeadID{1, 2} {
		notes, _ := s.Notes(id)
		draft, _ := s.Draft("maria", id)
		fmt.Fprintf(&b, "%+v %q\n", notes, draft)
	}
	return b.String()
}

// A manager gets the compliance view, read-only: every key of the rep's
// workstation, pressed in the view and in a rep's queue, changes nothing.
func TestManagerViewIsReadOnly(t *testing.T) {
	f := start(t)
	before := snapshot(t, f.store)
	out, keys := f.terminal(t, "maria")
	waitFor(t, out, "followup · compliance")
	waitFor(t, out, "alice")
	every := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "\r", "e", "x", "\x13", "a", "n", "\r", "\x1b"}
	press := func() {
		for _, k := range every {
			keys.Write([]byte(k))
			time.Sleep(20 * time.Millisecond)
		}
	}
	press()
	keys.Write([]byte("g\r")) // open the first rep's queue
	waitFor(t, out, "read-only view of")
	press()
	keys.Write([]byte("q"))
	time.Sleep(200 * time.Millisecond)
	if after := snapshot(t, f.store); after != before {
		t.Errorf("a manager's keys changed the store:\nbefore %s\nafter %s", before, after)
	}
}

// A rep's session shows that rep's queue only.
func TestRepSeesOnlyOwnLeads(t *testing.T) {
	f := start(t)
	out, _ := f.terminal(t, "bob")
	waitFor(t, out, "Your queue is empty")
	if strings.Contains(out.String(), "Dana Scully") {
		t.Error("bob's session shows alice's lead")
	}
}

// The host key is created once, private (0600), and kept.
func TestHostKeyIsPrivateAndKept(t *testing.T) {
	f := start(t)
	info, err := os.Stat(f.hostKey)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v, want 0600", info.Mode().Perm())
	}
	before, _ := os.ReadFile(f.hostKey)
	if _, err := New(Options{HostKeyPath: f.hostKey, Store: f.store}); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(f.hostKey); !bytes.Equal(before, after) {
		t.Error("a second start replaced the host key")
	}
}

// Shutdown tells each session, and a note being typed is kept as a draft.
func TestShutdownTellsSessionsAndKeepsNotes(t *testing.T) {
	f := start(t)
	out, keys := f.terminal(t, "alice")
	waitFor(t, out, "Queue · 2 open")
	keys.Write([]byte("e"))
	waitFor(t, out, "ctrl+s saves the note")
	keys.Write([]byte("call back after lunch"))
	waitFor(t, out, "call back after lunch")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go f.srv.Shutdown(ctx) // it waits for clients to hang up
	waitFor(t, out, "the server is shutting down; what you typed is saved")
	if d, err := f.store.Draft("alice", 1); err != nil || d != "call back after lunch" {
		t.Errorf("draft after shutdown: %q, %v", d, err)
	}
}

// A lead that arrives outside the sessions (the HTTP intake) shows in its
// rep's open session at once.
func TestArrivalShowsInOpenSession(t *testing.T) {
	f := start(t)
	out, _ := f.terminal(t, "alice")
	waitFor(t, out, "Queue · 2 open")
	l, err := f.store.AddLead(cadence.Lead{Name: "Walter Skinner", Owner: "alice", ReceivedAt: monday, EnteredAt: monday, AssignedAt: monday})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Announce(l.ID)
	waitFor(t, out, "Queue · 3 open")
}
