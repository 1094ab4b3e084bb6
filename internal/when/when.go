// Package when parses the dates and times a sales rep types, such as
// "tue 14:00", "+3d", "tomorrow 9am" or "2026-12-01", into time.Time values.
//
// Nothing in this package reads the clock: every function takes the current
// time and the location in which wall-clock words such as "tomorrow" or
// "9am" are meant (normally the team's time zone). Results are always
// expressed in that location.
package when

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultHour is the hour of day (in the caller's location) used when a
// date is given without a time, as in "tomorrow", "tue" or "2026-12-01".
const DefaultHour = 9

// Examples lists typical inputs, for help texts.
const Examples = "tue 14:00, +3d, tomorrow 9am, 2026-12-01"

// ErrInvalid is wrapped by every error Parse returns for input it cannot
// read; test for it with errors.Is.
var ErrInvalid = errors.New("not a date")

// ErrNotFuture is wrapped by the error Future returns for a valid date that
// is not after now; test for it with errors.Is.
var ErrNotFuture = errors.New("not in the future")

// tryHint ends the generic error message.
const tryHint = `try "tue 14:00", "+3d", "tomorrow 9am" or "2026-12-01"`

// dateError is a user-facing message that unwraps to ErrInvalid or
// ErrNotFuture.
type dateError struct {
	msg  string
	kind error
}

func (e *dateError) Error() string { return e.msg }
func (e *dateError) Unwrap() error { return e.kind }

func invalid(format string, args ...any) error {
	return &dateError{msg: fmt.Sprintf(format, args...), kind: ErrInvalid}
}

func notDate(in string) error {
	return invalid("%q is not a date; %s", in, tryHint)
}

func badDate(in, why string) error {
	return invalid(`%q is not a valid date: %s; try "2026-12-01", "12/01/2026" or "dec 1"`, in, why)
}

func badTime(in, why string) error {
	return invalid(`%q is not a valid time: %s; try "14:00", "2pm" or "2:30pm"`, in, why)
}

// Parse reads a plain-words date or time relative to now, in loc.
//
// Input is case-insensitive; surrounding spaces are trimmed, runs of spaces
// and commas separate words. Accepted forms:
//
//   - RFC 3339, "2026-12-01T14:00:00-05:00": that instant.
//   - "2026-12-01", "12/01/2026" (US order, MM/DD/YYYY), optionally followed
//     by a time: "2026-12-01 14:00", "12/01/2026 2pm", "2026-12-01T14:00".
//   - "+3d", "+2h", "+30m", "+1w", "in 3 days", "in 2 hours", "in a week":
//     days and weeks are calendar days at the same wall-clock time (so DST
//     changes do not shift the hour); hours and minutes are elapsed time.
//   - "now"; "today", "tomorrow" (or "tmrw").
//   - weekdays, "tue", "tuesday", "next tue": the first such day strictly
//     after today, so "tue" on a Tuesday means a week later.
//   - month and day, "dec 1", "december 1", "1 dec", "dec 1st", "dec 1 2027":
//     without a year, the next such date from today on (today counts;
//     "feb 29" skips to the next leap year).
//   - a time on its own, "14:00", "2pm", "2:30pm", "9am", "noon": today at
//     that time if it is still after now, else tomorrow.
//
// Any date form except RFC 3339 and the relative ones may be followed (or
// preceded) by a time, optionally joined by "at": "tue 14:00", "fri at 9am",
// "2pm tomorrow". Without a time the date means DefaultHour:00. "12am" is
// midnight at the start of the day and "12pm" is noon.
//
// Parse returns any valid time, past ones included; use Future to insist on
// a time after now. The result is in loc; a nil loc means now's location.
// Errors wrap ErrInvalid and are one sentence, meant to be shown to the user.
func Parse(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = now.Location()
	}
	in := strings.TrimSpace(s)
	if in == "" {
		return time.Time{}, invalid("no date given; %s", tryHint)
	}
	p := parser{in: in, now: now.In(loc), loc: loc}
	return p.parse()
}

// Future is Parse, but fails when the result is not after now.
//
// The error wraps ErrNotFuture, quotes the input and shows now in loc.
func Future(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = now.Location()
	}
	t, err := Parse(s, now, loc)
	if err != nil {
		return time.Time{}, err
	}
	if t.After(now) {
		return t, nil
	}
	what := "is in the past"
	if t.Equal(now) {
		what = "is not in the future"
	}
	return time.Time{}, &dateError{
		msg: fmt.Sprintf("%q %s; give a date after %s",
			strings.TrimSpace(s), what, now.In(loc).Format("2006-01-02 15:04")),
		kind: ErrNotFuture,
	}
}
