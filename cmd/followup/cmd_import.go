package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/assign"
	"github.com/followuphq/followup/internal/intake"
	"github.com/followuphq/followup/store"
)

func runImport(e *env, args []string) error {
	fs := e.newFlags("import", "import FILE.csv [--dry-run] [--strict] [--map HEADER=field ...] [--source S] [--owner REP] [--contact-me]")
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
				if err := im.Abort(); err != nil {
					fmt.Fprintf(e.stderr, "followup import: %v; the next followup command takes it back\n", err)
				}
			}
		}()
	}
	var sum importSummary
	var arrivals []store.Arrival
	var bad []intake.Row  // only bad rows keep their cells, for the rejects file
	var owned []ownerCell // rows of the slice that name their owner
	write := func() error {
		for _, o := range owned {
			if name := arrivals[o.arrival].Lead.Owner; !owners.team.IsRep(name) {
				return fmt.Errorf("%s:%d: column owner: %q is not a rep on the team; nothing was imported; fix the file or leave the column out", file, o.line, name)
			}
		}
		var results []store.ArrivalResult
		if *dryRun {
			results = dry.results(arrivals, arrive)
		} else if len(arrivals) > 0 {
			if results, err = im.Arrive(arrivals, arrive); err != nil {
				return err
			}
		}
		sum.add(results)
		arrivals, owned = arrivals[:0], owned[:0]
		return nil
	}
	var record []byte
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
			fmt.Fprintf(e.stderr, "%s:%d: %v\n", file, row.Line, row.Err)
			bad = append(bad, row)
			continue
		}
		l := row.Lead
		l.EnteredAt, l.AssignedAt = now, now
		l.ContactMe = l.ContactMe || *contactMe
		if l.Owner != "" {
			owned = append(owned, ownerCell{len(arrivals), row.Line})
		}
		record = record[:0]
		for i, c := range row.Cells {
			if i > 0 {
				record = append(record, 0x1f)
			}
			record = append(record, c...)
		}
		arrivals = append(arrivals, store.Arrival{Lead: l, Fingerprint: store.Fingerprint(record)})
		if len(arrivals) == importSlice {
			if err := write(); err != nil {
				return err
			}
		}
	}
	if err := write(); err != nil {
		return err
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
			if err := writeRejects(file+".rejects.csv", rd.Header(), bad); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "the %d bad rows are in %s: fix them there and import that file\n", len(bad), file+".rejects.csv")
		}
		return exitError(1)
	}
	return nil
}

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

// dryRun says what Arrive would do, reading only; it remembers the
// contacts and records of the rows it has seen, so later rows find them.
// It does not work out which names would qualify.
type dryRun struct {
	s      *store.Store
	inFile map[string]bool
	next   cadence.LeadID // a made-up id for each new lead, for the counts
}

func newDryRun(s *store.Store) *dryRun { return &dryRun{s: s, inFile: map[string]bool{}} }

func (d *dryRun) results(arrivals []store.Arrival, o store.ArriveOptions) []store.ArrivalResult {
	out := make([]store.ArrivalResult, len(arrivals))
	for i, a := range arrivals {
		fp := "f" + string(a.Fingerprint)
		if seen, _ := d.s.Seen(a.Fingerprint); seen || d.inFile[fp] {
			out[i] = store.ArrivalResult{Seen: true}
			continue
		}
		d.inFile[fp] = true
		keys := []string{"e" + a.Lead.Email, "p" + a.Lead.Phone}
		_, found, _ := d.s.FindContact(a.Lead.Email, a.Lead.Phone)
		dup := found || a.Lead.Email != "" && d.inFile[keys[0]] || a.Lead.Phone != "" && d.inFile[keys[1]]
		out[i] = store.ArrivalResult{New: !dup, Duplicate: dup}
		if !dup {
			d.next++
			out[i].ID = d.next
			if out[i].Name = !a.Lead.Qualifies(o.MinInteractions); !out[i].Name {
				if out[i].Owner = a.Lead.Owner; out[i].Owner == "" {
					out[i].Owner = o.Assign()
				}
			}
		}
		for _, k := range keys {
			if len(k) > 1 {
				d.inFile[k] = true
			}
		}
	}
	return out
}

// importSummary counts what became of an import's rows, slice by slice.
type importSummary struct {
	newLeads, dups, seen int
	qualifiedOld         int                     // names from before that became leads
	newNames             map[cadence.LeadID]bool // names this import entered, still names
	perRep               map[string]int          // leads given out, per rep
}

func (m *importSummary) add(results []store.ArrivalResult) {
	if m.perRep == nil {
		m.newNames, m.perRep = map[cadence.LeadID]bool{}, map[string]int{}
	}
	for _, r := range results {
		switch {
		case r.Seen:
			m.seen++
		case r.Duplicate && !r.Qualified: // a name's row that qualifies it counts as a new lead
			m.dups++
		case r.New && r.Name:
			m.newNames[r.ID] = true
		case r.New:
			m.newLeads++
			m.perRep[r.Owner]++
		}
		if r.Qualified {
			m.newLeads++
			m.perRep[r.Owner]++
			if !m.newNames[r.ID] {
				m.qualifiedOld++
			}
			delete(m.newNames, r.ID)
		}
	}
}

func (m *importSummary) print(e *env, file string, rejected, minInteractions int, dryRun bool) {
	verb := "imported"
	if dryRun {
		verb = "would import (dry run, nothing written)"
	}
	fmt.Fprintf(e.stdout, "%s %s: %d new leads, %d duplicates merged, %d already imported, %d rejected\n",
		verb, file, m.newLeads, m.dups, m.seen, rejected)
	if n := len(m.newNames); n > 0 {
		fmt.Fprintf(e.stdout, "  %d new names wait on the nurture list (fewer than %d interactions; see followup names)\n", n, minInteractions)
	}
	if m.qualifiedOld > 0 {
		fmt.Fprintf(e.stdout, "  %d names from the nurture list reached out again and became leads\n", m.qualifiedOld)
	}
	reps := make([]string, 0, len(m.perRep))
	for r := range m.perRep {
		reps = append(reps, r)
	}
	sort.Strings(reps)
	for _, r := range reps {
		fmt.Fprintf(e.stdout, "  %s: %d new\n", r, m.perRep[r])
	}
}

// writeRejects writes the bad rows with the file's header and an error
// column, ready to fix and import again.
func writeRejects(path string, header []string, bad []intake.Row) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	w := csv.NewWriter(f)
	w.Write(append(append([]string{}, header...), "followup error"))
	for _, r := range bad {
		w.Write(append(append([]string{}, r.Cells...), fmt.Sprintf("line %d: %v", r.Line, r.Err)))
	}
	w.Flush()
	err = w.Error()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
