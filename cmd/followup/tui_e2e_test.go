package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup/store"
)

// terminal is the real binary running in tmux on a fresh database.
type terminal struct {
	t      *testing.T
	dir    string
	bin    string
	env    []string
	socket string
}

// newTerminal builds the binary, makes a team of one (alice) with two
// leads, and opens alice's workstation in a 120×40 tmux session.
func newTerminal(t *testing.T) *terminal {
	t.Helper()
	term := newShell(t)
	term.followup("reps", "add", "alice", "--role", "rep")
	term.followup("add", "--name", "Dana Scully", "--phone", "+1 312 555 0142", "--owner", "alice", "--now", "2026-11-23T10:00:00-05:00")
	term.followup("add", "--name", "Fox Mulder", "--phone", "+1 212 555 0100", "--owner", "alice", "--now", "2026-11-23T10:05:00-05:00")
	term.open("--as alice --now 2026-11-23T10:15:00-05:00")
	term.waitFor("Queue · 2 open")
	return term
}

// newShell builds the binary for a fresh database; nothing runs in tmux yet.
func newShell(t *testing.T) *terminal {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (.ci/run installs it)")
	}
	dir := t.TempDir()
	term := &terminal{t: t, dir: dir, bin: buildFollowup(t, dir),
		env:    []string{"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "XDG_DATA_HOME=" + filepath.Join(dir, "data"), "TZ=UTC"},
		socket: fmt.Sprintf("followup-e2e-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-"))}
	t.Cleanup(func() { term.tmux("kill-server") })
	return term
}

// buildFollowup builds the real binary into dir and returns its path.
func buildFollowup(t testing.TB, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "followup")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// open runs the binary with args (a shell word list) in a 120×40 tmux
// session (the session ends with the program).
func (term *terminal) open(args string) {
	term.t.Helper()
	shell := fmt.Sprintf("cd %s && env %s %s %s", term.dir, strings.Join(term.env, " "), term.bin, args)
	if out, err := term.tmux("new-session", "-d", "-s", "w", "-x", "120", "-y", "40", shell); err != nil {
		term.t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
}

func (term *terminal) followup(args ...string) string {
	term.t.Helper()
	cmd := exec.Command(term.bin, args...)
	cmd.Env = append(os.Environ(), term.env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		term.t.Fatalf("followup %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (term *terminal) tmux(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", term.socket}, args...)...).CombinedOutput()
	return string(out), err
}

func (term *terminal) keys(keys ...string) {
	term.tmux(append([]string{"send-keys", "-t", "w"}, keys...)...)
}

func (term *terminal) screen() string {
	out, _ := term.tmux("capture-pane", "-p", "-t", "w")
	return out
}

// waitFor polls the screen until text shows (a real terminal: there is no
// message to wait on).
func (term *terminal) waitFor(text string) {
	term.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(term.screen(), text) {
		if time.Now().After(deadline) {
			term.t.Fatalf("%q did not appear on the screen:\n%s", text, term.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitGone waits until the program has ended (its tmux session with it).
func (term *terminal) waitGone() {
	term.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := term.tmux("has-session", "-t", "w"); err != nil {
			return
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("the program did not end:\n%s", term.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestWorkstationInARealTerminal logs "no answer" on the top lead with one
// key and enter, quits, and checks the touch with followup export touches.
func TestWorkstationInARealTerminal(t *testing.T) {
	term := newTerminal(t)
	if !strings.Contains(term.screen(), "▸ ●   Dana Scully") {
		t.Fatalf("the oldest untouched lead is not on top:\n%s", term.screen())
	}
	term.keys("1")
	term.waitFor("Log no answer · Dana Scully")
	term.keys("-l", "left a voicemail? no, no answer")
	term.keys("Enter")
	term.waitFor("logged no answer on Dana Scully")
	if !strings.Contains(term.screen(), "▸ ●   Fox Mulder") {
		t.Errorf("Fox Mulder did not move to the top after Dana was logged:\n%s", term.screen())
	}
	term.keys("q")
	term.waitGone()

	var touches []struct {
		LeadID  int    `json:"lead_id"`
		Outcome string `json:"outcome"`
		Rep     string `json:"rep"`
		Note    string `json:"note"`
	}
	if err := json.Unmarshal([]byte(term.followup("export", "touches", "--format", "json")), &touches); err != nil {
		t.Fatal(err)
	}
	if len(touches) != 1 || touches[0].LeadID != 1 || touches[0].Outcome != "no-answer" || touches[0].Rep != "alice" ||
		touches[0].Note != "left a voicemail? no, no answer" {
		t.Errorf("touches on disk = %+v", touches)
	}
}

// TestClosedTerminalKeepsTheNote closes the terminal in the middle of a
// note: everything typed is on disk as a draft.
func TestClosedTerminalKeepsTheNote(t *testing.T) {
	term := newTerminal(t)
	term.keys("e")
	term.waitFor("ctrl+s saves the note")
	term.keys("-l", "promised a quote by friday")
	term.waitFor("promised a quote by friday")
	term.tmux("kill-session", "-t", "w") // the terminal goes away: SIGHUP
	term.waitGone()

	deadline := time.Now().Add(10 * time.Second)
	for {
		s, err := store.Open(filepath.Join(term.dir, "data", "followup", "followup.db"), store.Options{ReadOnly: true})
		if err == nil {
			draft, err := s.Draft("alice", 1)
			s.Close()
			if err != nil || draft != "promised a quote by friday" {
				t.Fatalf("draft on disk = %q, %v", draft, err)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the database stayed locked after the terminal closed: %v", err)
		}
		time.Sleep(50 * time.Millisecond) // the program may still be saving
	}
}

// TestImportShowsProgressOnATerminal imports a file long enough to wait on
// in a real terminal: the reading shows as it goes, and the summary after.
func TestImportShowsProgressOnATerminal(t *testing.T) {
	term := newShell(t)
	term.followup("reps", "add", "alice", "--role", "rep")
	var csv strings.Builder
	csv.WriteString("name,email\n")
	for i := range 5000 {
		fmt.Fprintf(&csv, "Lead %d,lead%d@example.com\n", i, i)
	}
	if err := os.WriteFile(filepath.Join(term.dir, "leads.csv"), []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	term.open("import leads.csv --now 2026-11-23T10:00:00-05:00; sleep 600")
	term.waitFor("imported leads.csv: 5000 new leads")
	if !strings.Contains(term.screen(), "█ 100% importing leads.csv: 5000 rows, done") {
		t.Errorf("no progress bar on the terminal:\n%s", term.screen())
	}
	// In a pipe, a plain line at each quarter instead of a bar.
	out := term.followup("import", filepath.Join(term.dir, "leads.csv"), "--now", "2026-11-23T10:05:00-05:00")
	if strings.Count(out, "% importing ") != 4 || strings.Contains(out, "\r") || strings.Contains(out, "█") {
		t.Errorf("progress in a pipe is not four plain lines:\n%s", out)
	}
}
