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
)

// TestWorkstationInARealTerminal drives the real binary in tmux: it opens
// the workstation, logs "no answer" on the top lead with one key and enter,
// quits, and checks the touch with followup export touches.
func TestWorkstationInARealTerminal(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (.ci/run installs it)")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "followup")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	env := []string{"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "XDG_DATA_HOME=" + filepath.Join(dir, "data"), "TZ=UTC"}
	const now = "2026-11-23T10:15:00-05:00"
	followup := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("followup %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	followup("reps", "add", "alice", "--role", "rep")
	followup("add", "--name", "Dana Scully", "--phone", "+1 312 555 0142", "--owner", "alice", "--now", "2026-11-23T10:00:00-05:00")
	followup("add", "--name", "Fox Mulder", "--phone", "+1 212 555 0100", "--owner", "alice", "--now", "2026-11-23T10:05:00-05:00")

	socket := fmt.Sprintf("followup-e2e-%d", os.Getpid())
	tmux := func(args ...string) (string, error) {
		out, err := exec.Command("tmux", append([]string{"-L", socket}, args...)...).CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { tmux("kill-server") })
	shell := fmt.Sprintf("env %s %s --as alice --now %s", strings.Join(env, " "), bin, now)
	if out, err := tmux("new-session", "-d", "-s", "w", "-x", "120", "-y", "40", shell); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	screen := func() string { out, _ := tmux("capture-pane", "-p", "-t", "w"); return out }
	waitFor := func(what string) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for !strings.Contains(screen(), what) {
			if time.Now().After(deadline) {
				t.Fatalf("%q did not appear on the screen:\n%s", what, screen())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitFor("Queue · 2 open")
	if !strings.Contains(screen(), "▸ ●   Dana Scully") {
		t.Fatalf("the oldest untouched lead is not on top:\n%s", screen())
	}
	tmux("send-keys", "-t", "w", "1")
	waitFor("Log no answer · Dana Scully")
	tmux("send-keys", "-t", "w", "-l", "left a voicemail? no, no answer")
	tmux("send-keys", "-t", "w", "Enter")
	waitFor("logged no answer on Dana Scully")
	if !strings.Contains(screen(), "▸ ●   Fox Mulder") {
		t.Errorf("Fox Mulder did not move to the top after Dana was logged:\n%s", screen())
	}
	tmux("send-keys", "-t", "w", "q")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := tmux("has-session", "-t", "w"); err != nil {
			break // the program quit, and its session with it
		}
		if time.Now().After(deadline) {
			t.Fatalf("q did not quit:\n%s", screen())
		}
		time.Sleep(50 * time.Millisecond)
	}

	var touches []struct {
		LeadID  int    `json:"lead_id"`
		Outcome string `json:"outcome"`
		Rep     string `json:"rep"`
		Note    string `json:"note"`
	}
	if err := json.Unmarshal([]byte(followup("export", "touches", "--format", "json")), &touches); err != nil {
		t.Fatal(err)
	}
	if len(touches) != 1 || touches[0].LeadID != 1 || touches[0].Outcome != "no-answer" || touches[0].Rep != "alice" ||
		touches[0].Note != "left a voicemail? no, no answer" {
		t.Errorf("touches on disk = %+v", touches)
	}
}
