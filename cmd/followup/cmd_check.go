package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func runCheck(e *env, args []string) error {
	fs := e.newFlags("check", "check [DATABASE]\n\n"+
		"Reads the whole database (the --db file, or DATABASE) and checks it: every record decodes,\n"+
		"every touch holds the hash of the one before it, and the queue and contact indexes match the\n"+
		"leads. It changes nothing (but takes back an import that was cut short, as every command does).\n"+
		"The exit status is 1 when anything is wrong.")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageError("check", "check takes at most one file")
	}
	if len(pos) == 1 {
		e.dbPath = pos[0]
	}
	p, err := e.policy()
	if err != nil {
		return err
	}
	s, err := e.open(readOnly)
	if err != nil {
		return err
	}
	defer s.Close()
	problems, err := s.Check(p)
	if err != nil {
		return err
	}
	for _, pr := range problems {
		fmt.Fprintf(e.stderr, "%s: %s\n", s.Path(), pr)
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stderr, "followup check: %s has %s; stop followup and copy the latest good backup over it (check the backup first with followup check BACKUP)\n", s.Path(), plural(len(problems), "problem"))
		return exitError(1)
	}
	st, err := s.Stats()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ok: %s: %s (%d open), %s, %s, %s; every touch holds the hash of the one before it, and the queue index matches\n",
		s.Path(), plural(st.Leads, "lead"), st.Open, plural(st.Touches, "touch"), plural(st.Notes, "note"), plural(st.Reps, "rep"))
	return nil
}

func runBackup(e *env, args []string) error {
	fs := e.newFlags("backup", "backup FILE")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("backup", "name the file to write: backup FILE")
	}
	dst, err := filepath.Abs(pos[0])
	if err != nil {
		return err
	}
	if src, _ := filepath.Abs(e.db()); src == dst {
		return fmt.Errorf("%s is the database itself; back up to another file", pos[0])
	}
	if fi, err := os.Stat(filepath.Dir(dst)); err != nil || !fi.IsDir() {
		return fmt.Errorf("the folder %s does not exist; create it first (mkdir -p %s)", filepath.Dir(dst), filepath.Dir(dst))
	}
	s, err := e.open(readOnly)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.Backup(dst)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backed up %s (%s) to %s; check it with followup check %s\n", s.Path(), size(n), pos[0], pos[0])
	return nil
}

// plural writes a count with its noun: "1 lead", "2 leads", "3 touches".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "ch") || strings.HasSuffix(noun, "s") {
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// agree writes a count with the words that follow it, as one or as many
// take them: agree(1, "row is", "rows are") is "1 row is".
func agree(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, forCount(n, one, many))
}

// forCount is the word of one or of many that goes with a count of n:
// forCount(1, "it", "them") is "it".
func forCount(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// size writes a byte count for people: "512 KB", "536.0 MB".
func size(n int64) string {
	switch {
	case n < 1<<20:
		return fmt.Sprintf("%d KB", (n+1023)/1024)
	case n < 1<<30:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	}
}
