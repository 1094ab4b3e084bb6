package main

import (
	"errors"
	"flag"
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
	fresh := fs.Bool("fresh", false, "build a new demo even when one exists (what was done in it is lost)")
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
	if e.as == "" {
		e.as = demo.Reps[0]
	}
	// Coming back to the demo opens it as it was left: rebuilding would
	// throw away what was done in it. A new one takes --fresh (or --leads
	// or --seed, which only a new build can honour).
	asked := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { asked[f.Name] = true })
	_, statErr := os.Stat(e.dbPath)
	existed := statErr == nil
	if existed && !*fresh && !*noTUI && !asked["leads"] && !asked["seed"] {
		fmt.Fprintf(e.stderr, "followup: opening the demo at %s as it was left; followup demo --fresh builds a new one\n", e.dbPath)
		return runTUI(e, nil)
	}
	// Hold the earlier demo's lock while rebuilding: nobody may write to a
	// file that is about to be replaced (they are told it is in use).
	held, err := lockEarlierDemo(e.dbPath)
	if err != nil {
		return err
	}
	defer func() {
		if held != nil {
			held.Close()
		}
	}()
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
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	start := time.Now()
	// Progress for builds long enough to wait on, at most a hundred times.
	shown, report := 0, newProgressReport(e)
	progress := func(done, total int) {
		if total < 200_000 || done-shown < total/100 && done < total {
			return
		}
		shown = done
		label := fmt.Sprintf("building the demo: %d of %d leads", done, total)
		if done == total {
			report.end(label)
			return
		}
		report.show(float64(done)/float64(total), label)
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
	verb := "wrote"
	if existed {
		verb = "replaced the earlier demo with"
	}
	fmt.Fprintf(e.stdout, "%s %d demo leads for %d reps at %s in %s (%.0f leads/s)\n",
		verb, leads, len(demo.Reps), e.dbPath, elapsed.Round(time.Millisecond), float64(leads)/elapsed.Seconds())
	if *noTUI {
		fmt.Fprintf(e.stdout, "open it with: followup --db %s --as %s\n", e.dbPath, e.as)
		return nil
	}
	if held != nil {
		held.Close() // the replaced file: its lock is of no use now
		held = nil
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
