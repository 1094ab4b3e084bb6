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
