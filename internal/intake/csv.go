package intake

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/followuphq/followup/cadence"
)

// Options say how to read a file.
type Options struct {
	Map      map[string]Field // header → field, over the recognised ones
	Region   string           // phone numbers without a country code are read here
	Location *time.Location   // dates without a zone are read here
	Now      time.Time        // received time of rows without one
	Source   string           // the source of every row (over a source column)
}

// Row is one record of a file: where it starts, its cells, and the lead it
// makes, or what is wrong with it.
type Row struct {
	Line  int // physical line the record starts on (quoted newlines count)
	Cells []string
	Lead  cadence.Lead
	Err   error
}

// Reader reads leads from a CSV export, row by row (the file is never
// loaded whole).
type Reader struct {
	csv    *csv.Reader
	header []string
	cols   map[int]Field
	opts   Options
}

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
	rd := &Reader{csv: cr, header: header, cols: map[int]Field{}, opts: opts}
	found := map[Field]bool{}
	for i, h := range header {
		f, ok := opts.Map[fold(h)]
		if !ok {
			f, ok = headers[fold(h)]
		}
		if ok && !found[f] {
			rd.cols[i] = f
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
	return rd, nil
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

// Next reads the next row; io.EOF after the last.
func (r *Reader) Next() (Row, error) {
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
	row := Row{Line: line, Cells: cells}
	row.Lead, row.Err = r.lead(cells)
	return row, nil
}

// lead makes the lead of one record, or says (one sentence, naming the
// column) what is wrong with it.
func (r *Reader) lead(cells []string) (cadence.Lead, error) {
	l, errs := Build(func(f Field) (string, string) {
		for i, cf := range r.cols {
			if cf == f && i < len(cells) {
				return strings.TrimSpace(cells[i]), r.header[i]
			}
		}
		return "", ""
	}, r.opts)
	if len(errs) > 0 {
		return l, errs[0]
	}
	return l, nil
}

// dateLayouts are the formats CRM exports write dates in.
var dateLayouts = []string{
	"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02",
	"01/02/2006 15:04:05", "01/02/2006 15:04", "1/2/2006 15:04", "01/02/2006 3:04 PM", "1/2/2006 3:04 PM",
	"01/02/2006", "1/2/2006",
}

// parseDate reads a date in RFC 3339 or a common export layout (US
// month/day order for slashes), in loc when it has no zone.
func parseDate(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range dateLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
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
