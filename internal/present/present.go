// Package present turns leads and touches into what the command line
// prints: queue rows (text and JSON) and exports (CSV and JSON). The JSON
// field names are a stable contract for scripts.
package present

import (
	"encoding/json"
	"io"
	"time"
)

// Time is a time that prints as RFC 3339 in seconds, in the zone it holds,
// and as null when zero.
type Time struct{ time.Time }

// At converts t to loc for printing.
func At(t time.Time, loc *time.Location) Time {
	if t.IsZero() {
		return Time{}
	}
	return Time{t.In(loc).Truncate(time.Second)}
}

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.Format(time.RFC3339) + `"`), nil
}

// String returns RFC 3339, or "" when zero.
func (t Time) String() string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// JSONArray streams values as a JSON array, one element per line, so an
// export of a million leads never sits in memory whole.
type JSONArray struct {
	w     io.Writer
	enc   *json.Encoder
	count int
	err   error
}

// NewJSONArray starts an array on w.
func NewJSONArray(w io.Writer) *JSONArray {
	a := &JSONArray{w: w, enc: json.NewEncoder(w)}
	a.enc.SetEscapeHTML(false)
	return a
}

// Add writes one element.
func (a *JSONArray) Add(v any) error {
	if a.err != nil {
		return a.err
	}
	sep := ",\n"
	if a.count == 0 {
		sep = "[\n"
	}
	if _, a.err = io.WriteString(a.w, sep); a.err != nil {
		return a.err
	}
	a.count++
	b, err := json.Marshal(v)
	if err != nil {
		a.err = err
		return err
	}
	_, a.err = a.w.Write(b)
	return a.err
}

// Close ends the array ("[]" when empty).
func (a *JSONArray) Close() error {
	if a.err != nil {
		return a.err
	}
	end := "\n]\n"
	if a.count == 0 {
		end = "[]\n"
	}
	_, a.err = io.WriteString(a.w, end)
	return a.err
}

// WriteJSONArray writes items as one JSON array, an element a line.
func WriteJSONArray[T any](w io.Writer, items []T) error {
	a := NewJSONArray(w)
	for _, item := range items {
		if err := a.Add(item); err != nil {
			return err
		}
	}
	return a.Close()
}
