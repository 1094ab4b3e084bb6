package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An import names the first bad rows on stderr and counts the rest, all of
// which are in the rejects file: thousands of bad rows do not bury the
// summary.
func TestImportNamesTheFirstBadRowsAndCountsTheRest(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "leads.csv")
	var csv strings.Builder
	csv.WriteString("Name,Email\nDana Scully,dana@fbi.gov\n")
	for i := range shownBadRows + 5 {
		fmt.Fprintf(&csv, "Bad %d,not-an-email-%d\n", i, i)
	}
	if err := os.WriteFile(file, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), nil, 0o600); err != nil { // the defaults
		t.Fatal(err)
	}
	env := []string{"--db", filepath.Join(dir, "x.db"), "--config", filepath.Join(dir, "config.toml"), "--now", "2026-11-23T10:00:00-05:00"}
	var out, errOut bytes.Buffer
	if code := run(append([]string{"reps", "add", "alice", "--role", "rep"}, env...), &out, &errOut); code != 0 {
		t.Fatalf("reps add: %d\n%s", code, errOut.String())
	}
	out.Reset()
	errOut.Reset()
	if code := run(append([]string{"import", file}, env...), &out, &errOut); code != 1 {
		t.Fatalf("import: exit %d, want 1\n%s", code, errOut.String())
	}
	named := strings.Count(errOut.String(), `is not an email address`)
	if named != shownBadRows {
		t.Errorf("%d bad rows named on stderr, want %d", named, shownBadRows)
	}
	if !strings.Contains(errOut.String(), "5 more bad rows not shown; the rejects file has each") {
		t.Errorf("stderr does not count the rest:\n%s", errOut.String()[max(0, errOut.Len()-300):])
	}
	rejects, err := os.ReadFile(file + ".rejects.csv")
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if n := strings.Count(string(rejects), "\nBad "); n != shownBadRows+5 {
		t.Errorf("the rejects file holds %d bad rows, want %d", n, shownBadRows+5)
	}
	if !strings.Contains(out.String(), "1 new lead, 0 duplicates merged, 0 already imported, 105 rejected") {
		t.Errorf("summary:\n%s", out.String())
	}
}
