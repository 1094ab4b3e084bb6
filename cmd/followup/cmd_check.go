package main

import (
	"fmt"
	"path/filepath"
)

func runCheck(e *env, args []string) error {
	fs := e.newFlags("check", "check [FILE]")
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
		fmt.Fprintf(e.stderr, "followup check: %s has %d problem(s); restore a backup (followup backup) or report the file\n", s.Path(), len(problems))
		return exitError(1)
	}
	st, err := s.Stats()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ok: %s: %d leads (%d open), %d touches, %d notes, %d reps; the queue index matches\n",
		s.Path(), st.Leads, st.Open, st.Touches, st.Notes, st.Reps)
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
	s, err := e.open(readOnly)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.Backup(dst)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backed up %s (%.1f MB) to %s; check it with followup check %s\n", s.Path(), float64(n)/1e6, pos[0], pos[0])
	return nil
}
