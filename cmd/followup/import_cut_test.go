package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// importSetup builds the binary and writes a 60,000-row export; flags name
// a new database and the default config.
func importSetup(t *testing.T) (bin, file string, flags []string) {
	t.Helper()
	dir := t.TempDir()
	bin = buildFollowup(t, dir)
	file = filepath.Join(dir, "export.csv")
	writeExport(t, file, 60_000)
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return bin, file, []string{"--db", filepath.Join(dir, "followup.db"), "--config", cfg, "--now", "2026-11-23T10:00:00-05:00"}
}

// importHalfway starts the import of file and returns once it says it is
// halfway ("50% importing …": a slice of 20,000 rows is written), with the
// rest of what it says on stderr.
func importHalfway(t *testing.T, bin, file string, flags []string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"import", file}, flags...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "50% ") {
			return cmd, lines
		}
	}
	cmd.Wait()
	t.Fatal("the import ended before it said it was halfway")
	return nil, nil
}

// TestKilledImportIsTakenBack kills the real binary halfway through a
// 60,000-row import (after it has written slices of it): the next command
// takes the unfinished import back and says so, nothing of it remains, the
// database checks clean, and importing the file again imports all of it.
func TestKilledImportIsTakenBack(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 60,000-row import")
	}
	bin, file, flags := importSetup(t)
	followup := func(args ...string) (string, string) {
		t.Helper()
		cmd := exec.Command(bin, append(args, flags...)...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("followup %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
		}
		return string(out), stderr.String()
	}
	followup("reps", "add", "alice", "--role", "rep")
	followup("add", "--name", "Before", "--email", "before@example.com", "--owner", "alice")

	cmd, _ := importHalfway(t, bin, file, flags)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	out, notice := followup("export", "leads", "--format", "json")
	if !strings.Contains(notice, "the import of "+file) || !strings.Contains(notice, "did not finish") {
		t.Errorf("no word of the unfinished import; stderr: %q", notice)
	}
	var leads []map[string]any
	if err := json.Unmarshal([]byte(out), &leads); err != nil {
		t.Fatal(err)
	}
	if len(leads) != 1 || leads[0]["name"] != "Before" {
		t.Errorf("%d leads after the unfinished import was taken back, want only the one from before", len(leads))
	}
	if out, _ := followup("check"); !strings.HasPrefix(out, "ok:") {
		t.Errorf("check: %s", out)
	}
	out, _ = followup("import", file)
	var fresh, dups, seen, rejected int
	if _, err := fmt.Sscanf(strings.TrimPrefix(out, "imported "+file+": "), "%d new leads, %d duplicates merged, %d already imported, %d rejected",
		&fresh, &dups, &seen, &rejected); err != nil || fresh+dups+seen != 60_000 || seen > 1000 {
		t.Errorf("the import again (%v): %s", err, out)
	}
}

// TestInterruptedImportTakesItselfBack stops an import with Ctrl-C (SIGINT)
// halfway: it says nothing was imported, exits non-zero, and leaves nothing
// for the next command to take back.
func TestInterruptedImportTakesItselfBack(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 60,000-row import")
	}
	bin, file, flags := importSetup(t)
	if out, err := exec.Command(bin, append([]string{"reps", "add", "alice", "--role", "rep"}, flags...)...).CombinedOutput(); err != nil {
		t.Fatalf("reps add: %v\n%s", err, out)
	}
	cmd, lines := importHalfway(t, bin, file, flags)
	cmd.Process.Signal(os.Interrupt)
	var said strings.Builder
	for lines.Scan() {
		said.WriteString(lines.Text() + "\n")
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("an interrupted import exited 0")
	}
	if !strings.Contains(said.String(), "was interrupted at row") || !strings.Contains(said.String(), "nothing was imported") {
		t.Errorf("stderr: %q", said.String())
	}
	out, err := exec.Command(bin, append([]string{"export", "leads", "--format", "json"}, flags...)...).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "[]" {
		t.Errorf("after the interrupted import: %v %s", err, out)
	}
}
