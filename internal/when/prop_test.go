package when

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// genNow draws a current time between 2000 and 2099, in New York.
func genNow(t *rapid.T, loc *time.Location) time.Time {
	sec := rapid.Int64Range(946684800, 4102444799).Draw(t, "unix")
	return time.Unix(sec, 0).In(loc)
}

// TestClockForms checks that 24-hour and am/pm spellings of the same time
// agree, and land on the expected calendar day.
func TestClockForms(t *testing.T) {
	ny := newYork(t)
	rapid.Check(t, func(t *rapid.T) {
		now := genNow(t, ny)
		h := rapid.IntRange(0, 23).Draw(t, "hour")
		m := rapid.IntRange(0, 59).Draw(t, "minute")
		h12, suffix := h%12, "am"
		if h12 == 0 {
			h12 = 12
		}
		if h >= 12 {
			suffix = "pm"
		}
		a, errA := Parse(fmt.Sprintf("tomorrow %d:%02d", h, m), now, ny)
		b, errB := Parse(fmt.Sprintf("tomorrow %d:%02d%s", h12, m, suffix), now, ny)
		if errA != nil || errB != nil {
			t.Fatalf("errors: %v, %v", errA, errB)
		}
		if !a.Equal(b) {
			t.Fatalf("24-hour %v != am/pm %v", a, b)
		}
		y, mo, d := now.Date()
		want := time.Date(y, mo, d+1, h, m, 0, 0, ny)
		if !a.Equal(want) {
			t.Fatalf("tomorrow %d:%02d = %v, want %v", h, m, a, want)
		}
		// A bare time is the next such moment: after now, within a day
		// (plus an hour for a DST change).
		bare, err := Parse(fmt.Sprintf("%d:%02d", h, m), now, ny)
		if err != nil || !bare.After(now) || bare.Sub(now) > 25*time.Hour {
			t.Fatalf("bare %d:%02d = %v, %v (now %v)", h, m, bare, err, now)
		}
	})
}

// TestWeekdays checks that a weekday is 1 to 7 days ahead, on that weekday.
func TestWeekdays(t *testing.T) {
	ny := newYork(t)
	rapid.Check(t, func(t *rapid.T) {
		now := genNow(t, ny)
		wd := time.Weekday(rapid.IntRange(0, 6).Draw(t, "weekday"))
		name := wd.String()
		if rapid.Bool().Draw(t, "short") {
			name = name[:3]
		}
		got, err := Future(name, now, ny)
		if err != nil {
			t.Fatal(err)
		}
		if got.Weekday() != wd || got.Hour() != DefaultHour || got.Minute() != 0 {
			t.Fatalf("%s on %v = %v", name, now, got)
		}
		if days := calendarDays(now, got); days < 1 || days > 7 {
			t.Fatalf("%s on %v = %v, %d days ahead", name, now, got, days)
		}
	})
}

// calendarDays is the number of calendar days from a's date to b's.
func calendarDays(a, b time.Time) int {
	day := func(t time.Time) time.Time {
		y, m, d := t.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return int(day(b).Sub(day(a)).Hours() / 24)
}

// TestRelativeDays checks "+Nd" against time.AddDate, and "+Nh" against Add.
func TestRelativeDays(t *testing.T) {
	ny := newYork(t)
	rapid.Check(t, func(t *rapid.T) {
		now := genNow(t, ny)
		n := rapid.IntRange(0, 5000).Draw(t, "n")
		got, err := Parse(fmt.Sprintf("+%dd", n), now, ny)
		if err != nil || !got.Equal(now.AddDate(0, 0, n)) {
			t.Fatalf("+%dd = %v, %v; want %v", n, got, err, now.AddDate(0, 0, n))
		}
		got, err = Parse(fmt.Sprintf("in %d hours", n), now, ny)
		if err != nil || !got.Equal(now.Add(time.Duration(n)*time.Hour)) {
			t.Fatalf("in %d hours = %v, %v", n, got, err)
		}
	})
}

// TestISORoundTrip checks that every formatted date parses back.
func TestISORoundTrip(t *testing.T) {
	ny := newYork(t)
	rapid.Check(t, func(t *rapid.T) {
		now := genNow(t, ny)
		want := genNow(t, ny).Truncate(time.Minute)
		for _, layout := range []string{"2006-01-02 15:04", "01/02/2006 15:04", time.RFC3339} {
			s := want.Format(layout)
			got, err := Parse(s, now, ny)
			// Wall-clock layouts cannot tell apart the two 01:30s of a
			// fall-back night, so compare what they show.
			if err != nil || got.Format(layout) != s {
				t.Fatalf("Parse(%q) = %v, %v; want %v", s, got, err, want)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"2026-12-01T14:00:00-05:00", "2026-12-01", "2026-12-01 14:00",
		"2026-12-01 2pm", "2026-12-01T14:00", "12/01/2026", "12/01/2026 14:00",
		"+3d", "+2h", "+30m", "+1w", "in 3 days", "in 2 hours", "in 1 week",
		"in a week", "today", "tomorrow", "tomorrow 14:00", "tomorrow 2pm",
		"tomorrow 2:30pm", "tomorrow at 2 pm", "2pm tomorrow", "now", "tue",
		"tuesday", "tue 14:00", "fri 9am", "next tue", "mon 9:30", "14:00",
		"2pm", "2:30pm", "9am", "noon", "12am", "12pm", "dec 1", "december 1",
		"1 dec", "dec 1st", "dec 1 14:00", "dec 1, 2027", "feb 29", "jan 5",
		"tuesdy", "25:00", "13pm", "+3x", "2026-02-30", "", "13/01/2026",
		"+9999999d", "2026-12-01t", "t", "-t", "1:2:3:4pm", "at at",
	} {
		f.Add(s)
	}
	ny := newYork(f)
	now := time.Date(2026, 11, 23, 10, 15, 30, 0, ny)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s, now, ny)
		if err != nil {
			msg := err.Error()
			if !errors.Is(err, ErrInvalid) || !got.IsZero() {
				t.Fatalf("Parse(%q): bad error %v / result %v", s, err, got)
			}
			if !strings.HasPrefix(msg, `"`) && !strings.HasPrefix(msg, "no date given") {
				t.Fatalf("Parse(%q): error does not quote the input: %s", s, msg)
			}
			if strings.HasSuffix(msg, ".") || strings.Contains(msg, "\n") {
				t.Fatalf("Parse(%q): error is not one sentence: %s", s, msg)
			}
		} else if got.Location() != ny {
			t.Fatalf("Parse(%q) = %v, not in %v", s, got, ny)
		}
		fut, ferr := Future(s, now, ny)
		switch {
		case err != nil && ferr == nil:
			t.Fatalf("Future(%q) succeeded where Parse failed", s)
		case err == nil && got.After(now) && (ferr != nil || !fut.Equal(got)):
			t.Fatalf("Future(%q) = %v, %v; Parse gave %v", s, fut, ferr, got)
		case err == nil && !got.After(now) && !errors.Is(ferr, ErrNotFuture):
			t.Fatalf("Future(%q) error %v, want ErrNotFuture", s, ferr)
		}
	})
}
