package cadence

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ClockTime is a time of day in minutes since midnight (0..1440).
//
// 1440 ("24:00") is allowed as the end of a day, e.g. as a closing time.
type ClockTime int

// EndOfDay is the clock time "24:00", the end of a day.
const EndOfDay ClockTime = 24 * 60

// ParseClock parses a time of day written "HH:MM" or "H:MM", from "00:00"
// to "24:00".
func ParseClock(s string) (ClockTime, error) {
	bad := fmt.Errorf("%q is not a time of day; write HH:MM, e.g. 09:00", s)
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !allDigits(h) || !allDigits(m) {
		return 0, bad
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	if hh > 24 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, bad
	}
	return ClockTime(hh*60 + mm), nil
}

// allDigits reports whether s is made only of ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String returns the clock time as "HH:MM", e.g. "09:00".
func (c ClockTime) String() string {
	if c < 0 || c > EndOfDay {
		return fmt.Sprintf("ClockTime(%d)", int(c))
	}
	return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60)
}

// UnmarshalText parses a clock time written "HH:MM" (see ParseClock).
func (c *ClockTime) UnmarshalText(b []byte) error {
	v, err := ParseClock(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// MarshalText writes the clock time as "HH:MM".
func (c ClockTime) MarshalText() ([]byte, error) {
	if c < 0 || c > EndOfDay {
		return nil, fmt.Errorf("clock time %d is out of range; it must be between 00:00 and 24:00", int(c))
	}
	return []byte(c.String()), nil
}

// Date is a civil date (no time, no zone).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses a date written "YYYY-MM-DD", e.g. "2026-12-25".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date; write YYYY-MM-DD, e.g. 2026-12-25", s)
	}
	return DateOf(t), nil
}

// DateOf returns the date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// String returns the date as "YYYY-MM-DD".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// UnmarshalText parses a date written "YYYY-MM-DD" (see ParseDate).
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText writes the date as "YYYY-MM-DD".
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// AddDays returns the date n calendar days after d (before it if n < 0).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// In returns the instant at clock time at on date d in loc (nil means UTC).
//
// A clock time skipped by a daylight-saving change (02:30 on the day clocks
// jump from 02:00 to 03:00) moves forward by the length of the jump (03:30);
// a clock time that happens twice (when clocks fall back) is the first one.
func (d Date) In(loc *time.Location, at ClockTime) time.Time {
	return civilTime(loc, d.Year, d.Month, d.Day, int(at)/60, int(at)%60, 0, 0)
}

// civilTime is time.Date with defined daylight-saving behaviour: a
// nonexistent wall time moves forward by the length of the gap, and an
// ambiguous wall time resolves to the earlier instant. (time.Date leaves both
// choices unspecified and in practice moves some gap times backwards.)
func civilTime(loc *time.Location, y int, mo time.Month, d, h, mi, s, ns int) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	t := time.Date(y, mo, d, h, mi, s, ns, loc)
	// Fast path: the wall time exists as asked and no clock change lies in
	// the day before it, so it cannot be ambiguous either.
	if ty, tm, td := t.Date(); ty == y && tm == mo && td == d {
		if th, tmi, ts := t.Clock(); th == h && tmi == mi && ts == s && t.Nanosecond() == ns {
			if start, _ := t.ZoneBounds(); start.IsZero() || t.Sub(start) >= 24*time.Hour {
				return t
			}
		}
	}
	want := time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	got := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	if gap := want.Sub(got); gap > 0 {
		// In a gap, time.Date used the offset after the change and landed
		// before it; using the offset before the change moves forward.
		return t.Add(gap)
	}
	if !got.Equal(want) {
		return t // already moved forward over a gap
	}
	// If the wall time also exists in the zone period before t's, with a
	// larger offset (clocks fell back), prefer that earlier instant.
	start, _ := t.ZoneBounds()
	if start.IsZero() {
		return t
	}
	_, off := t.Zone()
	_, prevOff := start.Add(-time.Nanosecond).Zone()
	if prevOff > off {
		if alt := t.Add(-time.Duration(prevOff-off) * time.Second); alt.Before(start) {
			return alt
		}
	}
	return t
}

// maxIdleDays bounds how far the calendar looks for business time: after
// this many consecutive days without any, it gives up (see Calendar).
const maxIdleDays = 3700

// Calendar says when the team works: business hours on business days in the
// team's timezone, minus holidays.
//
// Every method returns times in Location. A calendar that has no business
// time at all (which Validate rejects) never hangs: methods give up after
// about ten years without business time and return their input time.
type Calendar struct {
	Location    *time.Location // team timezone; nil means UTC
	Open, Close ClockTime      // business hours, e.g. 09:00–17:00 (Open < Close)
	Days        [7]bool        // indexed by time.Weekday; true = business day
	Holidays    map[Date]bool  // whole days off
}

// DefaultCalendar returns a calendar open 09:00–17:00 Monday to Friday in loc,
// with no holidays.
func DefaultCalendar(loc *time.Location) Calendar {
	c := Calendar{Location: loc, Open: 9 * 60, Close: 17 * 60}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		c.Days[wd] = true
	}
	return c
}

// Validate reports whether the calendar has sensible business hours and at
// least one business day.
func (c Calendar) Validate() error {
	if c.Open < 0 || c.Open > EndOfDay || c.Close < 0 || c.Close > EndOfDay {
		return fmt.Errorf("business hours %d–%d are out of range; write times of day between 00:00 and 24:00", int(c.Open), int(c.Close))
	}
	if c.Open >= c.Close {
		return fmt.Errorf("business hours open at %s but close at %s; the opening time must be earlier than the closing time, e.g. 09:00–17:00", c.Open, c.Close)
	}
	for _, open := range c.Days {
		if open {
			return nil
		}
	}
	return fmt.Errorf("the calendar has no business days; mark at least one day of the week as a business day, e.g. Monday to Friday")
}

// calLoc returns the team timezone.
func (c Calendar) calLoc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// IsBusinessDay reports whether d is a business day that is not a holiday.
func (c Calendar) IsBusinessDay(d Date) bool {
	return c.Days[d.Weekday()] && !c.Holidays[d]
}

// calPeriod returns the business hours of date d as the instants [start, end),
// and false when d has none.
func (c Calendar) calPeriod(d Date) (start, end time.Time, ok bool) {
	if !c.IsBusinessDay(d) || c.Open < 0 || c.Close > EndOfDay {
		return time.Time{}, time.Time{}, false
	}
	loc := c.calLoc()
	start, end = d.In(loc, c.Open), d.In(loc, c.Close)
	return start, end, end.After(start)
}

// businessWalker yields the stretches of business time after an instant, in
// order, never overlapping.
type businessWalker struct {
	c    Calendar
	day  Date      // next date to look at
	cur  time.Time // business time before cur has been yielded
	idle int       // consecutive days that yielded nothing
}

// walkFrom starts a walk at t. It begins a day early so that business hours
// pushed past midnight by a daylight-saving change are not missed.
func (c Calendar) walkFrom(t time.Time) *businessWalker {
	t = t.In(c.calLoc())
	return &businessWalker{c: c, day: DateOf(t).AddDays(-1), cur: t}
}

// next returns the next stretch of business time [start, end), with start
// at or after the end of the previous stretch, and false after maxIdleDays
// days without business time.
func (w *businessWalker) next() (start, end time.Time, ok bool) {
	for w.idle <= maxIdleDays {
		d := w.day
		w.day = d.AddDays(1)
		start, end, ok := w.c.calPeriod(d)
		if !ok || !end.After(w.cur) {
			w.idle++
			continue
		}
		w.idle = 0
		if start.Before(w.cur) {
			start = w.cur
		}
		w.cur = end
		return start, end, true
	}
	return time.Time{}, time.Time{}, false
}

// IsOpen reports whether t falls inside business hours of a business day
// (opening time included, closing time excluded).
func (c Calendar) IsOpen(t time.Time) bool {
	if open, sure := c.openByClock(t); sure {
		return open
	}
	start, _, ok := c.walkFrom(t).next()
	return ok && start.Equal(t)
}

// NextOpen returns t itself if the calendar is open at t, and otherwise the
// start of the next business hours.
func (c Calendar) NextOpen(t time.Time) time.Time {
	if open, sure := c.openByClock(t); sure && open {
		return t.In(c.calLoc())
	}
	if start, _, ok := c.walkFrom(t).next(); ok {
		return start
	}
	return t.In(c.calLoc())
}

// openByClock answers IsOpen from t's wall clock alone, which is right
// unless a clock change happened in the two days before t (business hours
// could then have been pushed across midnight); sure is false in that case.
func (c Calendar) openByClock(t time.Time) (open, sure bool) {
	t = t.In(c.calLoc())
	if start, _ := t.ZoneBounds(); !start.IsZero() && t.Sub(start) < 48*time.Hour {
		return false, false
	}
	if !c.IsBusinessDay(DateOf(t)) {
		return false, true
	}
	h, m, _ := t.Clock()
	clock := ClockTime(h*60 + m)
	return clock >= c.Open && clock < c.Close, true
}

// AddBusiness adds d of business time to t: time outside business hours does
// not count. A lead received Friday 16:50 with 30m is due Monday 09:20.
//
// When d is used up exactly at a closing time, the result is that closing
// time (16:30 + 30m is 17:00 the same day). A d of zero or less returns t
// unchanged.
func (c Calendar) AddBusiness(t time.Time, d time.Duration) time.Time {
	t = t.In(c.calLoc())
	if d <= 0 {
		return t
	}
	// Fast path: t is open (by its wall clock, no clock change near) and d
	// ends before closing time the same day.
	if open, sure := c.openByClock(t); sure && open {
		if end := DateOf(t).In(c.calLoc(), c.Close); !t.Add(d).After(end) {
			return t.Add(d)
		}
	}
	w := c.walkFrom(t)
	for {
		start, end, ok := w.next()
		if !ok {
			return t
		}
		if left := end.Sub(start); d > left {
			d -= left
			continue
		}
		return start.Add(d)
	}
}

// BusinessBetween returns the business time elapsed from a to b. If b is
// before a the result is negative: -BusinessBetween(b, a).
func (c Calendar) BusinessBetween(a, b time.Time) time.Duration {
	if b.Before(a) {
		return -c.BusinessBetween(b, a)
	}
	w := c.walkFrom(a)
	var sum time.Duration
	for {
		start, end, ok := w.next()
		if !ok || !start.Before(b) {
			break
		}
		if end.After(b) {
			end = b
		}
		sum += end.Sub(start)
	}
	return sum
}

// AddBusinessDays returns the time n business days after t at the same local
// clock time, moved into business hours: the result is NextOpen of the nth
// business day after t's date at t's clock time. So Friday 10:00 + 1 is
// Monday 10:00, Friday 18:00 + 1 is Tuesday 09:00 (Monday 18:00 is after
// hours) and Saturday 10:00 + 1 is Monday 10:00. An n of zero or less returns
// NextOpen(t).
func (c Calendar) AddBusinessDays(t time.Time, n int) time.Time {
	loc := c.calLoc()
	t = t.In(loc)
	if n <= 0 {
		return c.NextOpen(t)
	}
	d, idle := DateOf(t), 0
	for n > 0 {
		d = d.AddDays(1)
		if c.IsBusinessDay(d) {
			n--
			idle = 0
		} else if idle++; idle > maxIdleDays {
			return t
		}
	}
	h, m, s := t.Clock()
	if start, _, ok := c.walkFrom(civilTime(loc, d.Year, d.Month, d.Day, h, m, s, t.Nanosecond())).next(); ok {
		return start
	}
	return t
}
