package cadence

import (
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// calTestLoc loads a timezone or fails the test.
func calTestLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

// calTestAt is time.Date without seconds.
func calTestAt(loc *time.Location, y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, loc)
}

// calTestNY is the default calendar in New York with Martin Luther King Day
// 2026 (Monday 2026-01-19) as a holiday.
func calTestNY(t testing.TB) Calendar {
	c := DefaultCalendar(calTestLoc(t, "America/New_York"))
	c.Holidays = map[Date]bool{{2026, time.January, 19}: true}
	return c
}

// calTestCheck fails unless got is want, as an instant and as New York wall
// clock (which also checks that got is in the calendar's location).
func calTestCheck(t *testing.T, c Calendar, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) || got.Location() != c.Location || got.String() != want.In(c.Location).String() {
		t.Errorf("got %v, want %v", got, want.In(c.Location))
	}
}

func TestCalendarAddBusiness(t *testing.T) {
	c := calTestNY(t)
	ny, la := c.Location, calTestLoc(t, "America/Los_Angeles")
	tests := []struct {
		name string
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"Friday 16:50 rolls over the weekend", calTestAt(ny, 2026, 1, 9, 16, 50), 30 * time.Minute, calTestAt(ny, 2026, 1, 12, 9, 20)},
		{"Saturday arrival", calTestAt(ny, 2026, 1, 10, 10, 0), 30 * time.Minute, calTestAt(ny, 2026, 1, 12, 9, 30)},
		{"before opening", calTestAt(ny, 2026, 1, 12, 7, 0), 30 * time.Minute, calTestAt(ny, 2026, 1, 12, 9, 30)},
		{"after closing", calTestAt(ny, 2026, 1, 13, 19, 0), time.Hour, calTestAt(ny, 2026, 1, 14, 10, 0)},
		{"inside hours", calTestAt(ny, 2026, 1, 13, 10, 15), 2 * time.Hour, calTestAt(ny, 2026, 1, 13, 12, 15)},
		{"ends exactly at closing", calTestAt(ny, 2026, 1, 13, 16, 30), 30 * time.Minute, calTestAt(ny, 2026, 1, 13, 17, 0)},
		{"one minute past closing", calTestAt(ny, 2026, 1, 13, 16, 30), 31 * time.Minute, calTestAt(ny, 2026, 1, 14, 9, 1)},
		{"holiday Monday pushes to Tuesday", calTestAt(ny, 2026, 1, 16, 16, 50), 30 * time.Minute, calTestAt(ny, 2026, 1, 20, 9, 20)},
		{"zero returns the input", calTestAt(ny, 2026, 1, 10, 10, 0), 0, calTestAt(ny, 2026, 1, 10, 10, 0)},
		{"negative counts as zero", calTestAt(ny, 2026, 1, 13, 10, 0), -time.Hour, calTestAt(ny, 2026, 1, 13, 10, 0)},
		{"Los Angeles arrival in New York hours", calTestAt(la, 2026, 1, 9, 13, 50), 30 * time.Minute, calTestAt(ny, 2026, 1, 12, 9, 20)},
		{"Los Angeles morning is New York midday", calTestAt(la, 2026, 1, 13, 8, 0), time.Hour, calTestAt(ny, 2026, 1, 13, 12, 0)},
		{"spring forward weekend", calTestAt(ny, 2026, 3, 6, 16, 45), 30 * time.Minute, calTestAt(ny, 2026, 3, 9, 9, 15)},
		{"fall back weekend", calTestAt(ny, 2026, 10, 30, 16, 45), 30 * time.Minute, calTestAt(ny, 2026, 11, 2, 9, 15)},
		{"30 business days", calTestAt(ny, 2026, 1, 12, 9, 0), 240 * time.Hour, calTestAt(ny, 2026, 2, 23, 17, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calTestCheck(t, c, c.AddBusiness(tt.from, tt.d), tt.want)
		})
	}
}

func TestCalendarAddBusinessDSTInstants(t *testing.T) {
	c := calTestNY(t)
	// Friday 16:45 EST is 21:45 UTC; Monday 09:15 EDT is 13:15 UTC.
	got := c.AddBusiness(time.Date(2026, 3, 6, 21, 45, 0, 0, time.UTC), 30*time.Minute)
	if want := time.Date(2026, 3, 9, 13, 15, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("spring forward: got %v, want %v", got.UTC(), want)
	}
	if name, _ := got.Zone(); name != "EDT" {
		t.Errorf("spring forward: got zone %s, want EDT", name)
	}
	// Friday 16:45 EDT is 20:45 UTC; Monday 09:15 EST is 14:15 UTC.
	got = c.AddBusiness(time.Date(2026, 10, 30, 20, 45, 0, 0, time.UTC), 30*time.Minute)
	if want := time.Date(2026, 11, 2, 14, 15, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("fall back: got %v, want %v", got.UTC(), want)
	}
}

func TestCalendarIsOpenAndNextOpen(t *testing.T) {
	c := calTestNY(t)
	ny, la := c.Location, calTestLoc(t, "America/Los_Angeles")
	tests := []struct {
		name string
		at   time.Time
		open bool
		next time.Time
	}{
		{"at opening", calTestAt(ny, 2026, 1, 13, 9, 0), true, calTestAt(ny, 2026, 1, 13, 9, 0)},
		{"before opening", calTestAt(ny, 2026, 1, 13, 8, 59), false, calTestAt(ny, 2026, 1, 13, 9, 0)},
		{"last second", time.Date(2026, 1, 13, 16, 59, 59, 0, ny), true, time.Date(2026, 1, 13, 16, 59, 59, 0, ny)},
		{"at closing", calTestAt(ny, 2026, 1, 13, 17, 0), false, calTestAt(ny, 2026, 1, 14, 9, 0)},
		{"Friday evening", calTestAt(ny, 2026, 1, 9, 17, 0), false, calTestAt(ny, 2026, 1, 12, 9, 0)},
		{"Saturday", calTestAt(ny, 2026, 1, 10, 12, 0), false, calTestAt(ny, 2026, 1, 12, 9, 0)},
		{"holiday", calTestAt(ny, 2026, 1, 19, 12, 0), false, calTestAt(ny, 2026, 1, 20, 9, 0)},
		{"Los Angeles 06:30 is New York 09:30", calTestAt(la, 2026, 1, 13, 6, 30), true, calTestAt(ny, 2026, 1, 13, 9, 30)},
		{"Los Angeles 14:30 is New York 17:30", calTestAt(la, 2026, 1, 13, 14, 30), false, calTestAt(ny, 2026, 1, 14, 9, 0)},
		{"spring forward Sunday", calTestAt(ny, 2026, 3, 8, 12, 0), false, calTestAt(ny, 2026, 3, 9, 9, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsOpen(tt.at); got != tt.open {
				t.Errorf("IsOpen = %v, want %v", got, tt.open)
			}
			calTestCheck(t, c, c.NextOpen(tt.at), tt.next)
		})
	}
}

func TestCalendarBusinessBetween(t *testing.T) {
	c := calTestNY(t)
	ny, la := c.Location, calTestLoc(t, "America/Los_Angeles")
	tests := []struct {
		name string
		a, b time.Time
		want time.Duration
	}{
		{"across a weekend", calTestAt(ny, 2026, 1, 9, 16, 0), calTestAt(ny, 2026, 1, 12, 10, 0), 2 * time.Hour},
		{"backwards is negative", calTestAt(ny, 2026, 1, 12, 10, 0), calTestAt(ny, 2026, 1, 9, 16, 0), -2 * time.Hour},
		{"same instant", calTestAt(ny, 2026, 1, 12, 10, 0), calTestAt(ny, 2026, 1, 12, 10, 0), 0},
		{"weekend only", calTestAt(ny, 2026, 1, 10, 8, 0), calTestAt(ny, 2026, 1, 11, 20, 0), 0},
		{"a full week", calTestAt(ny, 2026, 1, 5, 9, 0), calTestAt(ny, 2026, 1, 12, 9, 0), 40 * time.Hour},
		{"a week with a holiday", calTestAt(ny, 2026, 1, 19, 9, 0), calTestAt(ny, 2026, 1, 26, 9, 0), 32 * time.Hour},
		{"outside hours on both ends", calTestAt(ny, 2026, 1, 12, 6, 0), calTestAt(ny, 2026, 1, 12, 20, 0), 8 * time.Hour},
		{"spring forward weekend", calTestAt(ny, 2026, 3, 6, 16, 0), calTestAt(ny, 2026, 3, 9, 10, 0), 2 * time.Hour},
		{"fall back weekend", calTestAt(ny, 2026, 10, 30, 16, 0), calTestAt(ny, 2026, 11, 2, 10, 0), 2 * time.Hour},
		{"mixed zones", calTestAt(la, 2026, 1, 9, 13, 0), calTestAt(ny, 2026, 1, 12, 10, 0), 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.BusinessBetween(tt.a, tt.b); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCalendarAddBusinessDays(t *testing.T) {
	c := calTestNY(t)
	ny := c.Location
	tests := []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"Friday to Monday", calTestAt(ny, 2026, 1, 9, 10, 0), 1, calTestAt(ny, 2026, 1, 12, 10, 0)},
		{"over a holiday", calTestAt(ny, 2026, 1, 16, 10, 0), 1, calTestAt(ny, 2026, 1, 20, 10, 0)},
		{"a week", calTestAt(ny, 2026, 1, 8, 11, 30), 5, calTestAt(ny, 2026, 1, 15, 11, 30)},
		{"after hours moves to the next opening", calTestAt(ny, 2026, 1, 9, 18, 0), 1, calTestAt(ny, 2026, 1, 13, 9, 0)},
		{"before hours moves to opening", calTestAt(ny, 2026, 1, 9, 7, 0), 1, calTestAt(ny, 2026, 1, 12, 9, 0)},
		{"from Saturday", calTestAt(ny, 2026, 1, 10, 10, 0), 1, calTestAt(ny, 2026, 1, 12, 10, 0)},
		{"Saturday across fall back", calTestAt(ny, 2026, 10, 31, 10, 0), 1, calTestAt(ny, 2026, 11, 2, 10, 0)},
		{"Friday across spring forward", calTestAt(ny, 2026, 3, 6, 14, 0), 1, calTestAt(ny, 2026, 3, 9, 14, 0)},
		{"zero is NextOpen", calTestAt(ny, 2026, 1, 10, 10, 0), 0, calTestAt(ny, 2026, 1, 12, 9, 0)},
		{"negative is NextOpen", calTestAt(ny, 2026, 1, 13, 10, 0), -3, calTestAt(ny, 2026, 1, 13, 10, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calTestCheck(t, c, c.AddBusinessDays(tt.from, tt.n), tt.want)
		})
	}
	// Saturday 10:00 EDT (14:00 UTC) + 1 business day is Monday 10:00 EST
	// (15:00 UTC): 49 hours later, because the clocks fell back on Sunday.
	from := calTestAt(ny, 2026, 10, 31, 10, 0)
	if got := c.AddBusinessDays(from, 1).Sub(from); got != 49*time.Hour {
		t.Errorf("Saturday across fall back took %v, want 49h", got)
	}
}

func TestCalendarValidate(t *testing.T) {
	ny := calTestLoc(t, "America/New_York")
	if err := DefaultCalendar(ny).Validate(); err != nil {
		t.Errorf("default calendar: %v", err)
	}
	if err := DefaultCalendar(nil).Validate(); err != nil {
		t.Errorf("default calendar in UTC: %v", err)
	}
	backwards := DefaultCalendar(ny)
	backwards.Open, backwards.Close = 17*60, 9*60
	closed := DefaultCalendar(ny)
	closed.Days = [7]bool{}
	late := DefaultCalendar(ny)
	late.Close = 25 * 60
	for name, tt := range map[string]struct {
		c    Calendar
		want string
	}{
		"open after close": {backwards, "open at 17:00 but close at 09:00"},
		"no business days": {closed, "no business days"},
		"close past 24:00": {late, "out of range"},
	} {
		err := tt.c.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error containing %q", name, err, tt.want)
		}
	}
}

func TestCalendarWithoutBusinessTimeDoesNotHang(t *testing.T) {
	ny := calTestLoc(t, "America/New_York")
	from := calTestAt(ny, 2026, 1, 13, 10, 0)
	closed := DefaultCalendar(ny)
	closed.Days = [7]bool{}
	backwards := DefaultCalendar(ny)
	backwards.Open, backwards.Close = 17*60, 9*60
	for name, c := range map[string]Calendar{"no days": closed, "open after close": backwards} {
		if c.IsOpen(from) {
			t.Errorf("%s: IsOpen = true", name)
		}
		if got := c.NextOpen(from); !got.Equal(from) {
			t.Errorf("%s: NextOpen = %v, want the input", name, got)
		}
		if got := c.AddBusiness(from, time.Hour); !got.Equal(from) {
			t.Errorf("%s: AddBusiness = %v, want the input", name, got)
		}
		if got := c.AddBusinessDays(from, 2); !got.Equal(from) {
			t.Errorf("%s: AddBusinessDays = %v, want the input", name, got)
		}
		if got := c.BusinessBetween(from, from.AddDate(0, 0, 10)); got != 0 {
			t.Errorf("%s: BusinessBetween = %v, want 0", name, got)
		}
	}
}

// TestDateInDST checks the clock times that daylight-saving changes skip or
// repeat, in zones with negative and positive offsets and a midnight change.
func TestDateInDST(t *testing.T) {
	tests := []struct {
		zone string
		date Date
		at   ClockTime
		want time.Time // in UTC
	}{
		{"America/New_York", Date{2026, 3, 8}, 2*60 + 30, time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)},   // 03:30 EDT
		{"America/New_York", Date{2026, 3, 8}, 3 * 60, time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC)},       // 03:00 EDT
		{"America/New_York", Date{2026, 11, 1}, 1*60 + 30, time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)}, // first 01:30, EDT
		{"Europe/Berlin", Date{2026, 3, 29}, 2*60 + 30, time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},    // 03:30 CEST
		{"Europe/Berlin", Date{2026, 10, 25}, 2*60 + 30, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)},  // first 02:30, CEST
		{"America/Havana", Date{2026, 3, 8}, 0, time.Date(2026, 3, 8, 5, 0, 0, 0, time.UTC)},              // 01:00 CDT
		{"America/Havana", Date{2026, 3, 7}, EndOfDay, time.Date(2026, 3, 8, 5, 0, 0, 0, time.UTC)},       // 24:00 is the next 00:00
		{"UTC", Date{2026, 12, 31}, EndOfDay, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		loc := calTestLoc(t, tt.zone)
		if got := tt.date.In(loc, tt.at); !got.Equal(tt.want) || got.Location() != loc {
			t.Errorf("%s %s %s: got %v (%v), want %v", tt.zone, tt.date, tt.at, got, got.UTC(), tt.want)
		}
	}
	if got := (Date{2026, 1, 2}).In(nil, 9*60); !got.Equal(time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("nil location: got %v, want 09:00 UTC", got)
	}
}

func TestParseClock(t *testing.T) {
	valid := map[string]ClockTime{"09:00": 540, "9:00": 540, "17:30": 1050, "00:00": 0, "24:00": 1440, " 08:15 ": 495, "23:59": 1439}
	for s, want := range valid {
		got, err := ParseClock(s)
		if err != nil || got != want {
			t.Errorf("ParseClock(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"25:00", "24:01", "9", "9:0", "09:60", "ab:cd", "", "-1:00", "+9:00", "009:00", "09:00:00", "9h"} {
		if _, err := ParseClock(s); err == nil {
			t.Errorf("ParseClock(%q) succeeded, want an error", s)
		}
	}
	_, err := ParseClock("25:00")
	if want := `"25:00" is not a time of day; write HH:MM, e.g. 09:00`; err == nil || err.Error() != want {
		t.Errorf("ParseClock(25:00) error = %v, want %s", err, want)
	}
	for c := ClockTime(0); c <= EndOfDay; c++ {
		text, err := c.MarshalText()
		var back ClockTime
		if err != nil || back.UnmarshalText(text) != nil || back != c {
			t.Fatalf("%d: marshal %q, %v; unmarshal %v", int(c), text, err, back)
		}
	}
	if _, err := ClockTime(-1).MarshalText(); err == nil {
		t.Error("MarshalText(-1) succeeded, want an error")
	}
}

func TestParseDate(t *testing.T) {
	d, err := ParseDate("2026-12-25")
	if err != nil || d != (Date{2026, time.December, 25}) || d.String() != "2026-12-25" {
		t.Errorf("ParseDate(2026-12-25) = %v, %v", d, err)
	}
	for _, s := range []string{"2026-13-01", "2026-02-30", "26-12-25", "2026/12/25", "2026-1-5", "", "Dec 25"} {
		if _, err := ParseDate(s); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
			t.Errorf("ParseDate(%q) error = %v, want one that shows YYYY-MM-DD", s, err)
		}
	}
	var back Date
	if text, _ := d.MarshalText(); back.UnmarshalText(text) != nil || back != d {
		t.Errorf("round trip: got %v, want %v", back, d)
	}
	// 03:00 UTC on New Year's Day is still New Year's Eve in Los Angeles.
	at := time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC)
	if got := DateOf(at.In(calTestLoc(t, "America/Los_Angeles"))); got != (Date{2025, 12, 31}) {
		t.Errorf("DateOf in Los Angeles = %v, want 2025-12-31", got)
	}
	if got := (Date{2026, 2, 27}).AddDays(2); got != (Date{2026, 3, 1}) {
		t.Errorf("AddDays = %v, want 2026-03-01", got)
	}
	if got := (Date{2026, 1, 9}).Weekday(); got != time.Friday {
		t.Errorf("Weekday = %v, want Friday", got)
	}
}

// calTestZones are the timezones the property tests draw from: no DST, DST at
// 02:00 west and east of UTC, at midnight (Havana) and by 30 minutes.
var calTestZones = []string{"UTC", "America/New_York", "America/Los_Angeles", "Europe/Berlin", "America/Havana", "Australia/Lord_Howe", "Asia/Kolkata"}

// calTestDrawTime draws an instant in 2025–2028 in one of calTestZones.
func calTestDrawTime(t *rapid.T, name string) time.Time {
	lo, hi := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(2028, 12, 31, 0, 0, 0, 0, time.UTC).Unix()
	sec := rapid.Int64Range(lo, hi).Draw(t, name)
	nsec := rapid.SampledFrom([]int64{0, 0, 1, 999_999_999}).Draw(t, name+"ns")
	loc, _ := time.LoadLocation(rapid.SampledFrom(calTestZones).Draw(t, name+"zone"))
	return time.Unix(sec, nsec).In(loc)
}

// calTestDrawCalendar draws any valid calendar, with hours that may start or
// end inside a daylight-saving change.
func calTestDrawCalendar(t *rapid.T) Calendar {
	loc, _ := time.LoadLocation(rapid.SampledFrom(calTestZones).Draw(t, "team zone"))
	c := Calendar{Location: loc}
	c.Open = ClockTime(rapid.IntRange(0, int(EndOfDay)-1).Draw(t, "open"))
	c.Close = ClockTime(rapid.IntRange(int(c.Open)+1, int(EndOfDay)).Draw(t, "close"))
	for wd := range c.Days {
		c.Days[wd] = rapid.Bool().Draw(t, "day")
	}
	c.Days[rapid.IntRange(0, 6).Draw(t, "sure day")] = true
	c.Holidays = map[Date]bool{}
	for range rapid.IntRange(0, 10).Draw(t, "holidays") {
		c.Holidays[DateOf(calTestDrawTime(t, "holiday"))] = true
	}
	return c
}

// calTestProperties checks AddBusiness against BusinessBetween for c.
func calTestProperties(t *rapid.T, c Calendar, maxD time.Duration) {
	from := calTestDrawTime(t, "from")
	d1 := time.Duration(rapid.Int64Range(0, int64(maxD)).Draw(t, "d1"))
	d2 := time.Duration(rapid.Int64Range(0, int64(maxD)).Draw(t, "d2"))
	if d2 < d1 {
		d1, d2 = d2, d1
	}
	r1, r2 := c.AddBusiness(from, d1), c.AddBusiness(from, d2)
	if got := c.BusinessBetween(from, r1); got != d1 {
		t.Fatalf("BusinessBetween(%v, AddBusiness(.., %v) = %v) = %v", from, d1, r1, got)
	}
	if got := c.BusinessBetween(r1, from); got != -d1 {
		t.Fatalf("BusinessBetween backwards = %v, want %v", got, -d1)
	}
	if r2.Before(r1) || r1.Before(from) {
		t.Fatalf("not monotone: from %v, +%v = %v, +%v = %v", from, d1, r1, d2, r2)
	}
	if r1.Location() != c.Location {
		t.Fatalf("result in %v, want %v", r1.Location(), c.Location)
	}
	next := c.NextOpen(from)
	if next.Before(from) || !c.IsOpen(next) || c.BusinessBetween(from, next) != 0 {
		t.Fatalf("NextOpen(%v) = %v, open %v", from, next, c.IsOpen(next))
	}
	if n := rapid.IntRange(0, 30).Draw(t, "n"); !c.IsOpen(c.AddBusinessDays(from, n)) {
		t.Fatalf("AddBusinessDays(%v, %d) = %v is not open", from, n, c.AddBusinessDays(from, n))
	}
}

func TestCalendarPropertiesNewYork(t *testing.T) {
	c := calTestNY(t)
	rapid.Check(t, func(t *rapid.T) { calTestProperties(t, c, 200*time.Hour) })
}

func TestCalendarPropertiesAnyCalendar(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { calTestProperties(t, calTestDrawCalendar(t), 50*time.Hour) })
}
