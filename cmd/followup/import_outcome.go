package main

// What an import (or its dry run) says of its rows: the counts, and the
// rejects file of the bad ones.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/intake"
	"github.com/followuphq/followup/store"
)

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
		if seen, _ := d.s.Seen(a); seen || d.inFile[fp] {
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
	noContact            int                     // new leads (not names) with neither email nor phone
	otherEmail           int                     // duplicates whose email is not their lead's
}

// add counts what became of a slice's arrivals (results[i] of arrivals[i]).
func (m *importSummary) add(arrivals []store.Arrival, results []store.ArrivalResult) {
	if m.perRep == nil {
		m.newNames, m.perRep = map[cadence.LeadID]bool{}, map[string]int{}
	}
	for i, r := range results {
		if l := &arrivals[i].Lead; r.New && !r.Name && l.Email == "" && l.Phone == "" {
			m.noContact++
		}
		if r.OtherEmail {
			m.otherEmail++
		}
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
	fmt.Fprintf(e.stdout, "%s %s: %s, %s merged, %d already imported, %d rejected\n",
		verb, file, plural(m.newLeads, "new lead"), plural(m.dups, "duplicate"), m.seen, rejected)
	if n := len(m.newNames); n > 0 {
		fmt.Fprintf(e.stdout, "  %s on the nurture list (fewer than %d interactions; see followup names)\n",
			agree(n, "new name waits", "new names wait"), minInteractions)
	}
	if n := m.noContact; n > 0 {
		fmt.Fprintf(e.stdout, "  %s neither email nor phone: %s cadence can only connect on social networks\n",
			agree(n, "new lead has", "new leads have"), forCount(n, "its", "their"))
	}
	if n := m.otherEmail; n > 0 {
		fmt.Fprintf(e.stdout, "  %s a lead by its phone though %s email is not the lead's (a shared line?): the lead keeps its own email, and %s is counted as another interaction of it\n",
			agree(n, "row joined", "rows joined"), forCount(n, "its", "their"), forCount(n, "the row", "each row"))
	}
	if n := m.qualifiedOld; n > 0 {
		fmt.Fprintf(e.stdout, "  %s\n", agree(n, "name from the nurture list reached out again and became a lead", "names from the nurture list reached out again and became leads"))
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

// errorColumn is the column a rejects file adds: what is wrong with the row.
const errorColumn = "followup error"

// writeRejects writes the bad rows of file with its header and an error
// column, ready to fix and import again, and returns where: the file's
// rejects file, FILE.rejects.csv, unless one is there already with other
// contents (the user may have been fixing it), then FILE.rejects-2.csv,
// -3 and so on. A rejects file imported again has its error column
// replaced, not repeated, and its own rejects beside it.
func writeRejects(file string, header []string, bad []intake.Row) (string, error) {
	cols := len(header)
	if cols > 0 && strings.EqualFold(strings.TrimSpace(header[cols-1]), errorColumn) {
		cols-- // the error column of an earlier rejects file
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(append(slices.Clone(header[:cols]), errorColumn))
	for _, r := range bad {
		cells := slices.Clone(r.Cells[:min(cols, len(r.Cells))])
		w.Write(append(cells, fmt.Sprintf("line %d: %v", r.Line, r.Err)))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return "", fmt.Errorf("write the rejects of %s: %w", file, err)
	}
	stem := file
	if m := rejectsName.FindStringSubmatch(file); m != nil {
		stem = m[1]
	}
	for n := 1; ; n++ {
		path := stem + ".rejects.csv"
		if n > 1 {
			path = fmt.Sprintf("%s.rejects-%d.csv", stem, n)
		}
		old, err := os.ReadFile(path)
		switch {
		case err == nil && bytes.Equal(old, b.Bytes()):
			return path, nil // the same rows, already there
		case err == nil || path == file:
			continue // someone's edits, or the file being imported
		case !errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("write the rejects of %s: %w", file, err)
		}
		return path, writeFileAtomic(path, b.Bytes())
	}
}

// rejectsName matches a rejects file's name; its first group is the
// name of the file whose rejects it holds.
var rejectsName = regexp.MustCompile(`^(.*)\.rejects(?:-\d+)?\.csv$`)

// writeFileAtomic writes data to path through a temporary file renamed
// over it, so that path is whole or absent.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	err := os.WriteFile(tmp, data, 0o600)
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
