package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/followuphq/followup/internal/config"
	"github.com/followuphq/followup/internal/demo"
	"github.com/followuphq/followup/store"
)

func runDemo(e *env, args []string) error {
	fs := e.newFlags("demo", "demo [--leads N] [--no-tui] [--seed S]")
	leads := demo.DefaultLeads
	fs.Func("leads", fmt.Sprintf("how many leads (default %d); 1e6 works", demo.DefaultLeads), func(s string) error {
		n, err := demo.ParseCount(s)
		leads = n
		return err
	})
	noTUI := fs.Bool("no-tui", false, "write the database and exit")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and --now build the same database")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("demo", "demo takes flags only, not %q", pos[0])
	}
	if e.dbPath == "" {
		e.dbPath = filepath.Join(filepath.Dir(config.DefaultDBPath()), "demo.db")
	}
	// Hold the earlier demo's lock while rebuilding: nobody may write to a
	// file that is about to be replaced (they are told it is in use).
	held, err := lockEarlierDemo(e.dbPath)
	if err != nil {
		return err
	}
	if held != nil {
		defer held.Close()
	}
	p, err := e.policy()
	if err != nil {
		return err
	}
	now, err := e.now()
	if err != nil {
		return err
	}
	// Build beside the target and rename: an interrupted build leaves the
	// old demo (or nothing) in place, never half a database.
	if err := os.MkdirAll(filepath.Dir(e.dbPath), 0o700); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(e.dbPath), err)
	}
	tmp := e.dbPath + ".building"
	os.Remove(tmp)
	s, err := store.Open(tmp, store.Options{NoSync: true, InitialMmapSize: demo.MmapSize(leads)})
	if err != nil {
		return err
	}
	// Building allocates and drops a lot, fast; collect garbage less often.
	defer debug.SetGCPercent(debug.SetGCPercent(1000))
	start := time.Now()
	// Progress on a terminal, for builds long enough to wait on: one line
	// rewritten in place, at most a hundred times.
	shown := 0
	progress := func(done, total int) {
		if total < 200_000 || !e.stderrIsTerminal() || done-shown < total/100 && done < total {
			return
		}
		shown = done
		fmt.Fprintf(e.stderr, "\rbuilding the demo: %d%% (%d of %d leads)", done*100/total, done, total)
		if done == total {
			fmt.Fprintln(e.stderr)
		}
	}
	err = demo.Build(s, demo.Options{Leads: leads, Now: now, Seed: *seed, Policy: p, Progress: progress})
	if err == nil {
		err = s.MarkDemo()
	}
	if err == nil {
		err = s.Sync()
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, e.dbPath)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(e.stdout, "wrote %d demo leads for %d reps to %s in %s (%.0f leads/s)\n",
		leads, len(demo.Reps), e.dbPath, elapsed.Round(time.Millisecond), float64(leads)/elapsed.Seconds())
	if *noTUI {
		return nil
	}
	if e.as == "" {
		e.as = demo.Reps[0]
	}
	return runTUI(e, nil)
}

// lockEarlierDemo opens the demo database at path for writing (nil when
// there is none), and fails when path holds anything but a demo.
func lockEarlierDemo(path string) (*store.Store, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	s, err := store.Open(path, store.Options{})
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("the demo database %s is in use by another followup process; close it first", path)
	} else if err != nil {
		return nil, fmt.Errorf("%s exists and is not a demo database (%v); name a new file with --db", path, err)
	}
	if isDemo, err := s.IsDemo(); err != nil || !isDemo {
		s.Close()
		return nil, fmt.Errorf("%s holds real data, not a demo; name a new file with --db", path)
	}
	return s, nil
}
