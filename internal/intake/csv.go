package intake

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// Options say how to read a file.
type Options struct {
	Map      map[string]Field // header → field, over the recognised ones
	Region   string           // phone numbers without a country code are read here
	Location *time.Location   // dates without a zone are read here
	Now      time.Time        // received time of rows without one
	Source   string           // the source of every row (over a source column)
	// Workers is how many rows are made into leads at once (phone numbers
	// are the slow part); 0 means one per CPU, up to 4. Rows come back in
	// file order either way.
	Workers int
}

// Row is one record of a file: where it starts, its cells, and the lead it
// makes, or what is wrong with it.
type Row struct {
	Line  int // physical line the record starts on (quoted newlines count)
	Cells []string
	Lead  cadence.Lead
	Err   error
	// Fingerprint is store.Fingerprint of the record's cells (joined by
	// 0x1f), for a good row: how a later import knows it.
	Fingerprint []byte
}

// Reader reads leads from a CSV export, row by row (the file is never
// loaded whole). One goroutine reads records ahead in batches, workers make
// them into leads, and Next hands the rows back in file order. Call Close
// when stopping before io.EOF.
type Reader struct {
	csv    *csv.Reader
	header []string
	cols   []fieldColumn // the column that fills each field found (a few: a scan beats a map)
	opts   Options

	order chan *batch // batches in file order, as the reading goroutine made them
	free  chan *batch // batches Next has handed out whole, for the reading goroutine to fill again
	quit  chan struct{}
	cur   *batch
	next  int   // the next row of cur
	err   error // what stopped the reading goroutine (io.EOF at the end)
	once  sync.Once
}

// fieldColumn is the column that fills a field.
type fieldColumn struct {
	field  Field
	column int
}

// batch is rows read together; done is closed once each has its lead.
type batch struct {
	rows []Row
	done chan struct{}
}

// errClosed is what Next returns after Close.
var errClosed = errors.New("the reader was closed")

// batchRows is how many records a batch holds.
const batchRows = 256

// NewReader reads the header and works out which column fills which field.
func NewReader(r io.Reader, opts Options) (*Reader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("the file is empty; a CSV export starts with a header row")
	} else if err != nil {
		return nil, fmt.Errorf("line 1: the header does not read as CSV: %w", err)
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	rd := &Reader{csv: cr, header: header, opts: opts}
	found := map[Field]bool{}
	for i, h := range header {
		f, ok := opts.Map[fold(h)]
		if !ok {
			f, ok = headers[fold(h)]
		}
		if ok && !found[f] {
			rd.cols = append(rd.cols, fieldColumn{f, i})
			found[f] = true
		}
	}
	for h := range opts.Map {
		if !hasHeader(header, h) {
			return nil, fmt.Errorf("--map %s: the file has no column %q; its columns are %s", h, h, columnList(header))
		}
	}
	if !found[FieldName] && !found[FieldFirstName] && !found[FieldEmail] && !found[FieldPhone] && !found[FieldMobile] {
		return nil, fmt.Errorf("line 1: no column names the lead (name, first/last name, email or phone); its columns are %s; map one with --map HEADER=name", columnList(header))
	}
	rd.start()
	return rd, nil
}

// start runs the reading goroutine and the workers.
func (r *Reader) start() {
	workers := r.opts.Workers
	if workers <= 0 {
		// More than a few gain little and read further ahead.
		workers = min(runtime.GOMAXPROCS(0), 4)
	}
	r.order = make(chan *batch, 2*workers)
	r.free = make(chan *batch, 2*workers)
	r.quit = make(chan struct{})
	work := make(chan *batch, 2*workers)
	for range workers {
		go func() {
			for b := range work {
				for i := range b.rows {
					if row := &b.rows[i]; row.Err == nil {
						if row.Lead, row.Err = r.lead(row.Cells); row.Err == nil {
							row.Fingerprint = fingerprint(row.Cells)
						}
					}
				}
				close(b.done)
			}
		}()
	}
	go func() {
		defer close(r.order)
		defer close(work)
		for {
			var b *batch
			select {
			case b = <-r.free:
				b.rows, b.done = b.rows[:0], make(chan struct{})
			default:
				b = &batch{rows: make([]Row, 0, batchRows), done: make(chan struct{})}
			}
			var err error
			for len(b.rows) < batchRows {
				var row Row
				if row, err = r.read(); err != nil {
					break
				}
				b.rows = append(b.rows, row)
			}
			if len(b.rows) > 0 {
				select {
				case work <- b:
				case <-r.quit:
					r.err = errClosed
					return
				}
				select {
				case r.order <- b:
				case <-r.quit:
					r.err = errClosed
					return
				}
			}
			if err != nil {
				r.err = err // read by Next after order is closed
				return
			}
		}
	}()
}

// read reads the next record as a row without its lead.
func (r *Reader) read() (Row, error) {
	cells, err := r.csv.Read()
	if errors.Is(err, io.EOF) {
		return Row{}, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Row{Line: pe.StartLine, Cells: cells, Err: fmt.Errorf("the record does not read as CSV: %v", pe.Err)}, nil
	} else if err != nil {
		return Row{}, err
	}
	line, _ := r.csv.FieldPos(0) // a record read whole has a first field
	return Row{Line: line, Cells: cells}, nil
}

// Close stops reading ahead; rows not yet taken are dropped.
func (r *Reader) Close() {
	r.once.Do(func() { close(r.quit) })
}

// columnList lists a header's columns for a message, each as written,
// quoted when it is empty or holds what would not show (a newline in a
// quoted header cell would split the message).
func columnList(header []string) string {
	parts := make([]string, len(header))
	for i, h := range header {
		h = strings.TrimPrefix(h, "\ufeff")
		if h == "" || strings.ContainsFunc(h, func(r rune) bool { return !unicode.IsPrint(r) }) {
			h = strconv.Quote(h)
		}
		parts[i] = h
	}
	return strings.Join(parts, ", ")
}

func hasHeader(header []string, h string) bool {
	for _, x := range header {
		if fold(x) == fold(h) {
			return true
		}
	}
	return false
}

// Header returns the file's header row.
func (r *Reader) Header() []string { return r.header }

// Next returns the next row, in file order; io.EOF after the last.
func (r *Reader) Next() (Row, error) {
	select {
	case <-r.quit:
		return Row{}, errClosed
	default:
	}
	for r.cur == nil || r.next == len(r.cur.rows) {
		if r.cur != nil {
			select {
			case r.free <- r.cur: // its rows were all handed out, and zeroed
			default:
			}
			r.cur = nil
		}
		b, ok := <-r.order
		if !ok {
			return Row{}, r.err
		}
		<-b.done
		r.cur, r.next = b, 0
	}
	row := r.cur.rows[r.next]
	r.cur.rows[r.next] = Row{} // let the consumer own it alone
	r.next++
	return row, nil
}

// lead makes the lead of one record, or says (one sentence, naming each
// column) what is wrong with it.
func (r *Reader) lead(cells []string) (cadence.Lead, error) {
	l, errs := Build(func(f Field) (string, string) {
		for _, c := range r.cols {
			if c.field == f {
				if c.column < len(cells) {
					return strings.TrimSpace(cells[c.column]), r.header[c.column]
				}
				break
			}
		}
		return "", ""
	}, r.opts)
	switch len(errs) {
	case 0:
		return l, nil
	case 1:
		return l, errs[0]
	}
	return l, rowErrors(errs)
}

// rowErrors is everything wrong with a row, in one sentence: fixed in one
// go, not one import at a time.
type rowErrors []*FieldError

func (errs rowErrors) Error() string {
	parts := make([]string, len(errs))
	for i, e := range errs {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; and ")
}

// Unwrap returns the field errors.
func (errs rowErrors) Unwrap() []error {
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
	}
	return out
}

// truth reads a yes/no cell.
func truth(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "true", "1", "x", "opted in", "opt-in", "on":
		return true, nil
	case "no", "n", "false", "0", "", "opted out", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not yes or no", s)
}

// fingerprint is store.Fingerprint of cells joined by 0x1f (the unit
// separator): the bytes every import has hashed a row by.
func fingerprint(cells []string) []byte {
	n := len(cells)
	for _, c := range cells {
		n += len(c)
	}
	record := make([]byte, 0, n)
	for i, c := range cells {
		if i > 0 {
			record = append(record, 0x1f)
		}
		record = append(record, c...)
	}
	return store.Fingerprint(record)
}
