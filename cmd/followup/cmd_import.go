package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/followuphq/followup/internal/assign"
	"github.com/followuphq/followup/internal/intake"
	"github.com/followuphq/followup/store"
)

func runImport(e *env, args []string) error {
	fs := e.newFlags("import", "import FILE.csv [--dry-run] [--strict] [--map HEADER=field ...] [--source S] [--owner REP] [--contact-me]\n\n"+
		"Reads a CRM export as it is (HubSpot, Salesforce, Pipedrive, Close). A person met again is another\n"+
		"interaction of their lead, and the same file twice changes nothing. Each bad row is named FILE:LINE\n"+
		"on stderr and kept in FILE.rejects.csv to fix and import (not with --dry-run or --strict); a rejects\n"+
		"file you may have edited is never overwritten: the next is FILE.rejects-2.csv, and so on. The good\n"+
		"rows are imported, and the exit status is 1 when any row was rejected (with --strict, nothing is).")
	dryRun := fs.Bool("dry-run", false, "say what would happen; write nothing")
	strict := fs.Bool("strict", false, "import nothing if any row is bad")
	source := fs.String("source", "", "the `source` of every lead in the file (over its source column)")
	owner := fs.String("owner", "", "give every new lead to this `rep` (default: a rep on duty, by the config's assign.method)")
	contactMe := fs.Bool("contact-me", false, "every row asked to be contacted (a contact-us form): each is a lead at once, whatever qualify.min_interactions says")
	var maps stringList
	fs.Var(&maps, "map", "read column `HEADER=field` (repeatable), e.g. --map \"Cell=phone\"")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("import", "name one file: import FILE.csv")
	}
	file := pos[0]
	opts := intake.Options{Map: map[string]intake.Field{}, Source: *source}
	for _, m := range maps {
		h, f, ok := strings.Cut(m, "=")
		if !ok {
			return usageError("import", "--map %q: write HEADER=field, e.g. --map \"Cell=phone\"", m)
		}
		field, err := intake.ParseField(f)
		if err != nil {
			return usageError("import", "--map %q: %v", m, err)
		}
		opts.Map[strings.ToLower(strings.TrimSpace(h))] = field
	}
	cfg, now, err := e.configAt()
	if err != nil {
		return err
	}
	opts.Region, opts.Location, opts.Now = cfg.Team.PhoneRegion, cfg.Location(), now

	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("open %s: %w", file, err)
	}
	defer f.Close()
	size := int64(0)
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	counted := &countingReader{r: f}
	rd, err := intake.NewReader(counted, opts)
	if err != nil {
		return fmt.Errorf("%s:%w", file, prefixLine(err))
	}
	defer rd.Close()

	// A lead takes a few times its CSV row in the file (the record, its
	// queue and contact keys, the row's fingerprint).
	s, err := e.openGrowing(map[bool]openMode{true: readOnly, false: writeOrCreate}[*dryRun], 8*size)
	if err != nil {
		return err
	}
	defer s.Close()
	owners, err := newAssigner(s, cfg.Assign.Method, *owner, now)
	if err != nil {
		return err
	}
	// Owners are chosen inside the transaction, only for the leads that
	// turn out new (or names that qualify now).
	arrive := store.ArriveOptions{MinInteractions: cfg.Qualify.MinInteractions, Assign: owners.next}

	// The file is written a slice at a time, so memory stays bounded
	// however long it is, as one import: until it is committed at the end,
	// a failure (or a crash: the next open) takes back all of it.
	var im *store.Import
	dry := newDryRun(s)
	if !*dryRun {
		if im, err = s.BeginImport(file, now); err != nil {
			return err
		}
		defer func() {
			if im != nil { // not committed
				fmt.Fprintf(e.stderr, "\nfollowup import: taking back what the import of %s wrote…\n", file)
				if err := im.Abort(); err != nil {
					fmt.Fprintf(e.stderr, "followup import: %v; the next followup command takes it back\n", err)
				}
			}
		}()
	}
	var sum importSummary
	writer := newSliceWriter(func(arrivals []store.Arrival) ([]store.ArrivalResult, error) {
		if *dryRun {
			return dry.results(arrivals, arrive), nil
		}
		return im.Arrive(arrivals, arrive)
	}, &sum)
	defer writer.wait() // before the import is taken back
	var arrivals []store.Arrival
	var bad []intake.Row  // only bad rows keep their cells, for the rejects file
	var owned []ownerCell // rows of the slice that name their owner
	write := func() error {
		for _, o := range owned {
			if name := arrivals[o.arrival].Lead.Owner; !owners.team.IsRep(name) {
				return fmt.Errorf("%s:%d: column owner: %q is not a rep on the team; nothing was imported; fix the file or leave the column out", file, o.line, name)
			}
		}
		if len(arrivals) == 0 {
			return nil
		}
		err := writer.write(arrivals)
		arrivals, owned = writer.buffer(importSlice), owned[:0]
		return err
	}
	// Progress for files long enough to wait on: a bar on a terminal, a
	// plain line at each quarter otherwise, so a long import never looks
	// like a hang.
	var progress *progressReport
	if size >= progressMinBytes {
		progress = newProgressReport(e)
	}
	// Ctrl-C (or a TERM) stops the import cleanly: all of it is taken back.
	stop, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	rows := 0
	for {
		if stop.Err() != nil {
			return fmt.Errorf("the import of %s was interrupted at row %d; nothing was imported", file, rows)
		}
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("read %s: %w; nothing was imported", file, err)
		}
		if rows++; progress != nil && rows%progressEvery == 0 {
			progress.show(float64(counted.n.Load())/float64(size), fmt.Sprintf("importing %s: %d rows", file, rows))
		}
		if row.Err != nil {
			if len(bad) < shownBadRows {
				fmt.Fprintf(e.stderr, "%s:%d: %v\n", file, row.Line, row.Err)
			}
			bad = append(bad, row)
			continue
		}
		l := row.Lead
		l.EnteredAt, l.AssignedAt = now, now
		l.ContactMe = l.ContactMe || *contactMe
		if l.Owner != "" {
			owned = append(owned, ownerCell{len(arrivals), row.Line})
		}
		arrivals = append(arrivals, store.Arrival{Lead: l, Fingerprint: row.Fingerprint})
		if len(arrivals) == importSlice {
			if err := write(); err != nil {
				return err
			}
		}
	}
	if err := write(); err != nil {
		return err
	}
	if err := writer.wait(); err != nil {
		return err
	}
	if n := len(bad) - shownBadRows; n > 0 {
		rest := "the rejects file has each, with what is wrong with it"
		if *dryRun || *strict {
			rest = "import without --dry-run or --strict to have each in a rejects file"
		}
		fmt.Fprintf(e.stderr, "%s: %s not shown; %s\n", file, agree(n, "more bad row", "more bad rows"), rest)
	}
	if *strict && len(bad) > 0 {
		return fmt.Errorf("%d of %d rows are bad; nothing was imported (--strict); fix them and import again", len(bad), rows)
	}
	if im != nil {
		if err := im.Commit(); err != nil {
			return err
		}
		im = nil
	}
	if progress != nil {
		progress.end(fmt.Sprintf("importing %s: %d rows, done", file, rows))
	}
	sum.print(e, file, len(bad), cfg.Qualify.MinInteractions, *dryRun)
	if len(bad) > 0 {
		if !*dryRun {
			path, err := writeRejects(file, rd.Header(), bad)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "the %s in %s: fix %s there and import that file\n",
				agree(len(bad), "bad row is", "bad rows are"), path, forCount(len(bad), "it", "them"))
		}
		return exitError(1)
	}
	return nil
}

// shownBadRows is how many bad rows an import names on stderr: the rest
// are counted, and every one is in the rejects file.
const shownBadRows = 100

// importSlice is how many rows an import writes in one transaction: its
// memory is that of a slice, not of the file.
const importSlice = 20_000

const (
	// progressEvery is how many rows an import reads between progress reports.
	progressEvery = 1000
	// progressMinBytes is the smallest file whose import reports progress.
	progressMinBytes = 64 << 10
)

// countingReader counts the bytes read through it (by the reader's
// goroutine, while the import reads the count).
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// prefixLine turns "line N: …" into "N: …" after a file name.
func prefixLine(err error) error {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		return errors.New(rest)
	}
	return errors.New(" " + msg)
}

// ownerCell is a row that names its owner: its arrival and its line.
type ownerCell struct{ arrival, line int }

// assigner gives new leads to a rep on duty by the team's method, or
// always to one rep.
type assigner struct {
	team  assign.Team
	fixed string
	by    *assign.Assigner // nil with a fixed rep: no need to count
}

func newAssigner(s *store.Store, method, fixed string, now time.Time) (*assigner, error) {
	team, err := assign.ReadTeam(s, now)
	if err != nil {
		return nil, err
	}
	if fixed != "" && !team.IsRep(fixed) {
		return nil, fmt.Errorf("--owner %s is not a rep on the team; see followup reps list", fixed)
	}
	if team.Len() == 0 {
		return nil, fmt.Errorf("there is no rep to give the leads to; add one with followup reps add NAME --role rep")
	}
	a := &assigner{team: team, fixed: fixed}
	if fixed == "" {
		if team.OnDuty() == 0 {
			return nil, fmt.Errorf("every rep is away; give the leads to one with --owner REP, or bring someone back with followup reps back NAME")
		}
		if a.by, err = assign.New(method, s, now); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (a *assigner) next() string {
	if a.fixed != "" {
		return a.fixed
	}
	return a.by.Next()
}
