package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/config"
	"github.com/followuphq/followup/store"
)

// env is what every command shares: the global flags and the outputs.
type env struct {
	stdout, stderr io.Writer

	dbPath     string
	configPath string
	as         string
	nowFlag    string

	cfg *config.Config
	// notice is what opening the database had to say (an import taken
	// back), for a screen that would hide stderr.
	notice string
}

func (e *env) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&e.dbPath, "db", e.dbPath, "the database `file`")
	fs.StringVar(&e.configPath, "config", e.configPath, "the config `file`")
	fs.StringVar(&e.as, "as", e.as, "act as this `rep`")
	fs.StringVar(&e.nowFlag, "now", e.nowFlag, "evaluate as of this `time` (RFC 3339)")
}

// now returns the time commands run as of: --now, or the clock.
func (e *env) now() (time.Time, error) {
	if e.nowFlag == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.RFC3339, e.nowFlag)
	if err != nil {
		return t, fmt.Errorf("--now %q is not an RFC 3339 time; write e.g. 2026-11-23T17:00:00-05:00: %w", e.nowFlag, errUsage)
	}
	return t, nil
}

// config loads the configuration, creating the commented default on first
// run.
func (e *env) config() (*config.Config, error) {
	if e.cfg != nil {
		return e.cfg, nil
	}
	path := e.configPath
	if path == "" {
		path = config.DefaultPath()
	} else if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		// A named file that is not there is a typo, not a first run.
		return nil, fmt.Errorf("--config %s: no such file; check the path, or leave --config out to use %s", path, config.DefaultPath())
	}
	cfg, created, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	if created {
		fmt.Fprintf(e.stderr, "followup: wrote the default config to %s; edit it to match your team\n", path)
	}
	e.cfg = cfg
	return cfg, nil
}

// configAt returns the configuration and the time to run as of: what most
// commands need first.
func (e *env) configAt() (*config.Config, time.Time, error) {
	cfg, err := e.config()
	if err != nil {
		return nil, time.Time{}, err
	}
	now, err := e.now()
	return cfg, now, err
}

// policy returns the configured cadence policy.
func (e *env) policy() (cadence.Policy, error) {
	cfg, err := e.config()
	if err != nil {
		return cadence.Policy{}, err
	}
	return cfg.Policy(), nil
}

func (e *env) db() string {
	if e.dbPath != "" {
		return e.dbPath
	}
	return config.DefaultDBPath()
}

// openMode says how a command opens the database.
type openMode int

const (
	readOnly      openMode = iota // read; the file must exist
	writeExisting                 // write; the file must exist (a write that needs records)
	writeOrCreate                 // write; create the file on first use
)

// open opens the database, turning the store's errors into sentences that
// say what to do.
func (e *env) open(mode openMode) (*store.Store, error) { return e.openGrowing(mode, 0) }

// openGrowing opens the database for a write that grows it by about
// growth bytes: the file is mapped that much larger from the start, so
// bbolt does not remap it (and copy every page written so far) as it grows
// inside the one transaction.
func (e *env) openGrowing(mode openMode, growth int64) (*store.Store, error) {
	opts := store.Options{ReadOnly: mode == readOnly}
	if growth > 0 {
		size := growth
		if fi, err := os.Stat(e.db()); err == nil {
			size += fi.Size()
		}
		opts.InitialMmapSize = int(min(size, 1<<40))
	}
	if mode == writeExisting {
		if _, err := os.Stat(e.db()); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("there is no database at %s yet; add a lead with followup add, or try followup demo", e.db())
		}
	}
	s, err := store.Open(e.db(), opts)
	if errors.Is(err, store.ErrImportCutShort) {
		// Take the unfinished import back first, then read.
		var w *store.Store
		if w, err = store.Open(e.db(), store.Options{}); err == nil {
			e.sayCutShort(w.CutShort())
			w.Close()
			s, err = store.Open(e.db(), opts)
		}
	} else if err == nil {
		e.sayCutShort(s.CutShort())
	}
	switch {
	case errors.Is(err, store.ErrLocked):
		if hint, rerr := os.ReadFile(serveHintPath(e.db())); rerr == nil {
			return nil, fmt.Errorf("followup serve holds the database %s; connect with %s", e.db(), strings.TrimSpace(string(hint)))
		}
		return nil, fmt.Errorf("the database %s is in use by another followup process; wait for it to finish and try again", e.db())
	case errors.Is(err, store.ErrNoDatabase):
		return nil, fmt.Errorf("there is no database at %s; check the path (followup reps add, followup import, followup add and followup demo make one)", e.db())
	case errors.Is(err, store.ErrNotDatabase):
		return nil, fmt.Errorf("%v; check the path, or restore a backup", err)
	}
	return s, err
}

// sayCutShort tells of an import that never finished, taken back on
// opening, so the user knows to run it again.
func (e *env) sayCutShort(cut *store.CutShortImport) {
	if cut == nil {
		return
	}
	loc := time.Local
	if e.cfg != nil {
		loc = e.cfg.Location()
	}
	e.notice = fmt.Sprintf("the import of %s started %s did not finish (the process was stopped); its %s and its changes to %s were taken back; import the file again",
		cut.Name, cut.Started.In(loc).Format("2006-01-02 15:04"), plural(cut.Leads, "new lead"), plural(cut.Changed, "other"))
	fmt.Fprintf(e.stderr, "followup: %s\n", e.notice)
}

// rep returns who is acting: --as, else the config's team.rep.
func (e *env) rep() string {
	if e.as != "" {
		return e.as
	}
	if e.cfg != nil {
		return e.cfg.Team.Rep
	}
	return ""
}

// termWidth is the width of the terminal stdout is, or 0 when it is not one
// (a pipe or a file gets whole lines).
func (e *env) termWidth() int {
	f, ok := e.stdout.(*os.File)
	if !ok {
		return 0
	}
	w, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return w
}

// stderrIsTerminal reports whether stderr is a terminal (where progress
// lines belong; a log file would only fill up with them).
func (e *env) stderrIsTerminal() bool {
	f, ok := e.stderr.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
