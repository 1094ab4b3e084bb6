package when

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func newYork(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	return loc
}

func at(loc *time.Location, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParse(t *testing.T) {
	ny := newYork(t)
	mon := at(ny, "2026-11-23 10:15")      // a Monday
	dst := at(ny, "2026-10-31 12:00")      // the day before clocks fall back
	spring := at(ny, "2026-03-07 12:00")   // the day before clocks spring forward
	december := at(ny, "2026-12-28 10:00") // a Monday near the year's end
	tests := []struct {
		in   string
		now  time.Time
		want string // RFC 3339, so the offset is checked too
	}{
		// RFC 3339 and ISO dates.
		{"2026-12-01T14:00:00-05:00", mon, "2026-12-01T14:00:00-05:00"},
		{"2026-12-01T19:00:00Z", mon, "2026-12-01T14:00:00-05:00"},
		{"2026-12-01t19:00:00z", mon, "2026-12-01T14:00:00-05:00"},
		{"2026-12-01", mon, "2026-12-01T09:00:00-05:00"},
		{"2026-12-01 14:00", mon, "2026-12-01T14:00:00-05:00"},
		{"2026-12-01 2pm", mon, "2026-12-01T14:00:00-05:00"},
		{"2026-12-01T14:00", mon, "2026-12-01T14:00:00-05:00"},
		{"2026-12-01 at 14:00:30", mon, "2026-12-01T14:00:30-05:00"},
		{"2026-7-4", mon, "2026-07-04T09:00:00-04:00"},
		// US dates.
		{"12/01/2026", mon, "2026-12-01T09:00:00-05:00"},
		{"12/01/2026 14:00", mon, "2026-12-01T14:00:00-05:00"},
		{"7/4/2027 9:30am", mon, "2027-07-04T09:30:00-04:00"},
		// Relative.
		{"+3d", mon, "2026-11-26T10:15:00-05:00"},
		{"+2h", mon, "2026-11-23T12:15:00-05:00"},
		{"+30m", mon, "2026-11-23T10:45:00-05:00"},
		{"+1w", mon, "2026-11-30T10:15:00-05:00"},
		{"+0d", mon, "2026-11-23T10:15:00-05:00"},
		{"+3 days", mon, "2026-11-26T10:15:00-05:00"},
		{"in 3 days", mon, "2026-11-26T10:15:00-05:00"},
		{"in 1 day", mon, "2026-11-24T10:15:00-05:00"},
		{"in 2 hours", mon, "2026-11-23T12:15:00-05:00"},
		{"in 30 minutes", mon, "2026-11-23T10:45:00-05:00"},
		{"in 1 week", mon, "2026-11-30T10:15:00-05:00"},
		{"in a week", mon, "2026-11-30T10:15:00-05:00"},
		{"in an hour", mon, "2026-11-23T11:15:00-05:00"},
		{"in 3d", mon, "2026-11-26T10:15:00-05:00"},
		// Today, tomorrow, now.
		{"now", mon, "2026-11-23T10:15:00-05:00"},
		{"today", mon, "2026-11-23T09:00:00-05:00"},
		{"today 14:00", mon, "2026-11-23T14:00:00-05:00"},
		{"tomorrow", mon, "2026-11-24T09:00:00-05:00"},
		{"tmrw", mon, "2026-11-24T09:00:00-05:00"},
		{"tomorrow 14:00", mon, "2026-11-24T14:00:00-05:00"},
		{"tomorrow 2pm", mon, "2026-11-24T14:00:00-05:00"},
		{"tomorrow 2:30pm", mon, "2026-11-24T14:30:00-05:00"},
		{"tomorrow at 2pm", mon, "2026-11-24T14:00:00-05:00"},
		{"2pm tomorrow", mon, "2026-11-24T14:00:00-05:00"},
		{"  TOMORROW   2 PM  ", mon, "2026-11-24T14:00:00-05:00"},
		{"tomorrow 2 p.m.", mon, "2026-11-24T14:00:00-05:00"},
		// Weekdays: always strictly after today.
		{"tue", mon, "2026-11-24T09:00:00-05:00"},
		{"tuesday", mon, "2026-11-24T09:00:00-05:00"},
		{"Tue 14:00", mon, "2026-11-24T14:00:00-05:00"},
		{"tue, 2pm", mon, "2026-11-24T14:00:00-05:00"},
		{"fri 9am", mon, "2026-11-27T09:00:00-05:00"},
		{"next tue", mon, "2026-11-24T09:00:00-05:00"},
		{"next friday at 3pm", mon, "2026-11-27T15:00:00-05:00"},
		{"mon", mon, "2026-11-30T09:00:00-05:00"},
		{"mon 9:30", mon, "2026-11-30T09:30:00-05:00"},
		{"sun", mon, "2026-11-29T09:00:00-05:00"},
		{"thurs", mon, "2026-11-26T09:00:00-05:00"},
		// Bare times: today if still ahead, else tomorrow.
		{"14:00", mon, "2026-11-23T14:00:00-05:00"},
		{"2pm", mon, "2026-11-23T14:00:00-05:00"},
		{"2:30pm", mon, "2026-11-23T14:30:00-05:00"},
		{"9am", mon, "2026-11-24T09:00:00-05:00"},
		{"9:05", mon, "2026-11-24T09:05:00-05:00"},
		{"10:15", mon, "2026-11-24T10:15:00-05:00"},
		{"10:16", mon, "2026-11-23T10:16:00-05:00"},
		{"noon", mon, "2026-11-23T12:00:00-05:00"},
		{"at noon", mon, "2026-11-23T12:00:00-05:00"},
		{"12pm", mon, "2026-11-23T12:00:00-05:00"},
		{"12:30pm", mon, "2026-11-23T12:30:00-05:00"},
		{"12am", mon, "2026-11-24T00:00:00-05:00"},
		{"12:30am", mon, "2026-11-24T00:30:00-05:00"},
		{"0:00", mon, "2026-11-24T00:00:00-05:00"},
		{"23:59", mon, "2026-11-23T23:59:00-05:00"},
		{"tue 12am", mon, "2026-11-24T00:00:00-05:00"},
		// Month and day.
		{"dec 1", mon, "2026-12-01T09:00:00-05:00"},
		{"december 1", mon, "2026-12-01T09:00:00-05:00"},
		{"1 dec", mon, "2026-12-01T09:00:00-05:00"},
		{"dec 1st", mon, "2026-12-01T09:00:00-05:00"},
		{"dec 1 14:00", mon, "2026-12-01T14:00:00-05:00"},
		{"Dec 1, 2027", mon, "2027-12-01T09:00:00-05:00"},
		{"nov 23", mon, "2026-11-23T09:00:00-05:00"}, // today counts
		{"nov 22", mon, "2027-11-22T09:00:00-05:00"},
		{"may 3", mon, "2027-05-03T09:00:00-04:00"},
		{"feb 29", mon, "2028-02-29T09:00:00-05:00"},
		// DST: calendar days keep the wall clock, hours are elapsed.
		{"+1d", dst, "2026-11-01T12:00:00-05:00"},
		{"tomorrow 9am", dst, "2026-11-01T09:00:00-05:00"},
		{"+24h", dst, "2026-11-01T11:00:00-05:00"},
		{"+1d", spring, "2026-03-08T12:00:00-04:00"},
		{"+24h", spring, "2026-03-08T13:00:00-04:00"},
		// Year rollover.
		{"jan 5", december, "2027-01-05T09:00:00-05:00"},
		{"5 january 14:00", december, "2027-01-05T14:00:00-05:00"},
		{"+5d", december, "2027-01-02T10:00:00-05:00"},
		{"fri", december, "2027-01-01T09:00:00-05:00"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, tt.now, ny)
		if err != nil {
			t.Errorf("Parse(%q) error: %v", tt.in, err)
			continue
		}
		if s := got.Format(time.RFC3339); s != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, s, tt.want)
		}
		if got.Location() != ny {
			t.Errorf("Parse(%q) location = %v, want %v", tt.in, got.Location(), ny)
		}
	}
}

func TestParseErrors(t *testing.T) {
	ny := newYork(t)
	now := at(ny, "2026-11-23 10:15")
	tests := []struct {
		in   string
		want string // the whole message, or "" to check only that it fails
	}{
		{"tuesdy", `"tuesdy" is not a date; try "tue 14:00", "+3d", "tomorrow 9am" or "2026-12-01"`},
		{"tuesdy 14:00", `"tuesdy 14:00" is not a date; try "tue 14:00", "+3d", "tomorrow 9am" or "2026-12-01"`},
		{"25:00", `"25:00" is not a valid time: hours run from 0 to 23; try "14:00", "2pm" or "2:30pm"`},
		{"13pm", `"13pm" is not a valid time: with am or pm, hours run from 1 to 12; try "14:00", "2pm" or "2:30pm"`},
		{"+3x", `"+3x" is not a date: "x" is not a unit; use d, h, m or w, as in "+3d" or "in 2 hours"`},
		{"2026-02-30", `"2026-02-30" is not a valid date: February 2026 has 28 days; try "2026-12-01", "12/01/2026" or "dec 1"`},
		{"13/01/2026", `"13/01/2026" is not a valid date: there is no month 13; slashed dates are MM/DD/YYYY; try "2026-12-01", "12/01/2026" or "dec 1"`},
		{"", `no date given; try "tue 14:00", "+3d", "tomorrow 9am" or "2026-12-01"`},
		{"   ", `no date given; try "tue 14:00", "+3d", "tomorrow 9am" or "2026-12-01"`},
		{"+3", `"+3" has no unit; add d, h, m or w, as in "+3d" or "in 2 hours"`},
		{"+9999999d", `"+9999999d" is too far away; use a number below 1000000, as in "+3d"`},
		{"24:00", ""},
		{"0am", ""},
		{"2:5pm", ""},
		{"2:60", ""},
		{"14:00pm", ""},
		{"tue 25:00", ""},
		{"dec 32", ""},
		{"feb 30", ""},
		{"apr 31 2027", ""},
		{"2026-00-10", ""},
		{"2026-12-00", ""},
		{"26-12-01", ""},
		{"12/01/26", ""},
		{"tomorrow 2pm please", ""},
		{"now please", ""},
		{"in", ""},
		{"in a while", ""},
		{"+", ""},
		{"+d", ""},
		{"-3d", ""},
		{"+3d 14:00", ""},
		{"at", ""},
		{"14", ""},
		{"tue tue", ""},
		{"14:00 15:00", ""},
		{"dec", ""},
		{"dec 1xx", ""},
		{"next", ""},
		{"next dec", ""},
		{"2026-12-01T25:00:00Z", ""},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, now, ny)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want an error", tt.in, got)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) error %v does not wrap ErrInvalid", tt.in, err)
		}
		if tt.want != "" && err.Error() != tt.want {
			t.Errorf("Parse(%q) error:\n got %s\nwant %s", tt.in, err, tt.want)
		}
		if !got.IsZero() {
			t.Errorf("Parse(%q) returned %v with its error", tt.in, got)
		}
	}
}

func TestFuture(t *testing.T) {
	ny := newYork(t)
	now := at(ny, "2026-11-23 10:15")
	tests := []struct{ in, want string }{
		{"2026-01-01", `"2026-01-01" is in the past; give a date after 2026-11-23 10:15`},
		{" today ", `"today" is in the past; give a date after 2026-11-23 10:15`},
		{"now", `"now" is not in the future; give a date after 2026-11-23 10:15`},
		{"+0m", `"+0m" is not in the future; give a date after 2026-11-23 10:15`},
	}
	for _, tt := range tests {
		_, err := Future(tt.in, now, ny)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Future(%q) error = %v, want %s", tt.in, err, tt.want)
		}
		if !errors.Is(err, ErrNotFuture) || errors.Is(err, ErrInvalid) {
			t.Errorf("Future(%q) error %v should wrap ErrNotFuture only", tt.in, err)
		}
	}
	for _, in := range []string{"tomorrow", "+1m", "10:16", "9am", "tue", "dec 1", "today 14:00"} {
		got, err := Future(in, now, ny)
		if err != nil || !got.After(now) {
			t.Errorf("Future(%q) = %v, %v; want a time after now", in, got, err)
		}
	}
	if _, err := Future("tuesdy", now, ny); !errors.Is(err, ErrInvalid) {
		t.Errorf("Future(%q) error %v should wrap ErrInvalid", "tuesdy", err)
	}
}

func TestNilLocation(t *testing.T) {
	ny := newYork(t)
	now := at(ny, "2026-11-23 10:15")
	got, err := Parse("tomorrow 2pm", now, nil)
	if err != nil || got.Format(time.RFC3339) != "2026-11-24T14:00:00-05:00" {
		t.Errorf("Parse with nil loc = %v, %v", got, err)
	}
	if _, err := Future("2026-01-01", now, nil); !errors.Is(err, ErrNotFuture) {
		t.Errorf("Future with nil loc: %v", err)
	}
}

// TestOtherLocation checks that wall-clock words follow loc, not now's zone.
func TestOtherLocation(t *testing.T) {
	ny := newYork(t)
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip(err)
	}
	now := at(ny, "2026-11-23 10:15") // 2026-11-24 00:15 in Tokyo
	got, err := Parse("tomorrow", now, tokyo)
	if err != nil || got.Format(time.RFC3339) != "2026-11-25T09:00:00+09:00" {
		t.Errorf("Parse(tomorrow) in Tokyo = %v, %v", got, err)
	}
}

func TestExamplesParse(t *testing.T) {
	ny := newYork(t)
	now := at(ny, "2026-11-23 10:15")
	for _, ex := range strings.Split(Examples, ", ") {
		if _, err := Parse(ex, now, ny); err != nil {
			t.Errorf("example %q: %v", ex, err)
		}
	}
}
