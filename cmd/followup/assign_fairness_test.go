package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/followuphq/followup/store"
)

// TestImportSpreadsLeadsEvenly imports 301 new leads for a team where one rep
// already has ten open leads: every rep ends within one lead of the others
// (the busy rep gets fewer new ones), and the manager gets none.
func TestImportSpreadsLeadsEvenly(t *testing.T) {
	dir := t.TempDir()
	db, cfg := filepath.Join(dir, "followup.db"), filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil { // the defaults
		t.Fatal(err)
	}
	followup := func(args ...string) string {
		t.Helper()
		var out, errs bytes.Buffer
		args = append(args, "--db", db, "--config", cfg, "--now", "2026-11-23T10:00:00-05:00")
		if code := run(args, &out, &errs); code != 0 {
			t.Fatalf("followup %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errs.String())
		}
		return out.String()
	}
	for _, r := range []string{"alice", "bob", "carol"} {
		followup("reps", "add", r, "--role", "rep")
	}
	followup("reps", "add", "dana", "--role", "manager")
	for i := range 10 {
		followup("add", "--name", fmt.Sprintf("Earlier %d", i), "--email", fmt.Sprintf("earlier%d@example.com", i), "--owner", "alice")
	}
	var csv strings.Builder
	csv.WriteString("name,email\n")
	for i := range 301 {
		fmt.Fprintf(&csv, "Lead %d,lead%d@example.com\n", i, i)
	}
	file := filepath.Join(dir, "leads.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	followup("import", file)

	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	open := map[string]int{}
	for _, r := range []string{"alice", "bob", "carol", "dana"} {
		if open[r], err = s.QueueLen(r); err != nil {
			t.Fatal(err)
		}
	}
	if open["dana"] != 0 {
		t.Errorf("the manager was given %d leads", open["dana"])
	}
	if total := open["alice"] + open["bob"] + open["carol"]; total != 311 {
		t.Errorf("%d open leads in the queues, want 311: %v", total, open)
	}
	least, most := min(open["alice"], open["bob"], open["carol"]), max(open["alice"], open["bob"], open["carol"])
	if most-least > 1 {
		t.Errorf("the queues are uneven after the import: %v", open)
	}
}

// TestRoundRobinSkipsTheAwayRep imports 300 leads in three files with
// assign.method = "round-robin" while bob is away for the second: each
// file is spread evenly over the reps on duty (the turn carries over from
// one import to the next), and bob gets none while away.
func TestRoundRobinSkipsTheAwayRep(t *testing.T) {
	dir := t.TempDir()
	db, cfg := filepath.Join(dir, "followup.db"), filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte("[assign]\nmethod = \"round-robin\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	followup := func(now string, args ...string) string {
		t.Helper()
		var out, errs bytes.Buffer
		args = append(args, "--db", db, "--config", cfg, "--now", now)
		if code := run(args, &out, &errs); code != 0 {
			t.Fatalf("followup %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errs.String())
		}
		return out.String()
	}
	const mon, tue, wed = "2026-11-23T10:00:00-05:00", "2026-11-24T10:00:00-05:00", "2026-11-25T10:00:00-05:00"
	for _, r := range []string{"alice", "bob", "carol"} {
		followup(mon, "reps", "add", r, "--role", "rep")
	}
	lead := 0
	importFile := func(now string, n int) map[string]int {
		t.Helper()
		var csv strings.Builder
		csv.WriteString("name,email\n")
		for range n {
			fmt.Fprintf(&csv, "Lead %d,lead%d@example.com\n", lead, lead)
			lead++
		}
		file := filepath.Join(dir, fmt.Sprintf("leads%d.csv", lead))
		if err := os.WriteFile(file, []byte(csv.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, line := range strings.Split(followup(now, "import", file), "\n") {
			var rep string
			var k int
			if _, err := fmt.Sscanf(line, "  %s %d new", &rep, &k); err == nil {
				got[strings.TrimSuffix(rep, ":")] = k
			}
		}
		return got
	}
	if got := importFile(mon, 100); got["alice"] != 34 || got["bob"] != 33 || got["carol"] != 33 {
		t.Errorf("100 leads for three reps: %v", got)
	}
	followup(mon, "reps", "away", "bob", "--until", wed)
	if got := importFile(tue, 100); got["bob"] != 0 || got["alice"] != 50 || got["carol"] != 50 {
		t.Errorf("100 leads with bob away: %v, want 50 each to alice and carol", got)
	}
	// Wednesday bob is back; the turn goes on after the last lead given.
	if got := importFile(wed, 99); got["alice"] != 33 || got["bob"] != 33 || got["carol"] != 33 {
		t.Errorf("99 leads with bob back: %v", got)
	}
}
