package intake

import (
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// parseDateEveryLayout is parseDate without skipping layouts: RFC 3339,
// then each layout in turn.
func parseDateEveryLayout(s string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	for _, layout := range dateLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseDate, which skips the layouts a date cannot match, reads every
// date as trying every layout would: dates written in each layout and in
// RFC 3339, the same cut short or with a character changed, and noise.
func TestParseDateAsEveryLayout(t *testing.T) {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	layouts := append([]string{time.RFC3339, time.RFC3339Nano, "2006-01-02t15:04:05Z07:00", "2006-01-02 3:04", "1/2/06"}, dateLayouts...)
	rapid.Check(t, func(t *rapid.T) {
		var s string
		switch rapid.IntRange(0, 6).Draw(t, "kind") {
		case 0:
			s = rapid.StringOfN(rapid.SampledFrom([]rune("0123456789-/: TtPAMZ+")), 0, 30, -1).Draw(t, "noise")
		case 1: // the ISO layouts, every field from 00 to 99 (months and days out of range, Feb 29)
			edges := rapid.SampledFrom([]int{0, 1, 12, 13, 23, 24, 28, 29, 30, 31, 32, 59, 60, 99})
			field := func(name string) int { return rapid.OneOf(edges, rapid.IntRange(0, 99)).Draw(t, name) }
			s = fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", rapid.IntRange(0, 9999).Draw(t, "year"),
				field("month"), field("day"), field("hour"), field("minute"), field("second"))
			s = s[:rapid.SampledFrom([]int{10, 16, 19}).Draw(t, "length")]
		default:
			at := time.Unix(rapid.Int64Range(0, 4e9).Draw(t, "unix"), 0).In(loc)
			s = at.Format(rapid.SampledFrom(layouts).Draw(t, "layout"))
			if len(s) > 0 && rapid.Bool().Draw(t, "damaged") {
				i := rapid.IntRange(0, len(s)-1).Draw(t, "at")
				s = s[:i] + rapid.SampledFrom([]string{"", "-", "/", ":", "1", " "}).Draw(t, "with") + s[i+1:]
			}
		}
		want, wantOK := parseDateEveryLayout(s, loc)
		got, err := parseDate(s, loc)
		if (err == nil) != wantOK || got.String() != want.String() {
			t.Fatalf("parseDate(%q) = %v, %v; every layout: %v, %v", s, got, err, want, wantOK)
		}
	})
}

// The ISO layouts' shortcut reads every value of each field, 00 to 99,
// and the last days of every month in leap and other years, as the
// layouts do.
func TestParseDateISOFieldsAsTheLayouts(t *testing.T) {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	check := func(s string) {
		t.Helper()
		want, wantOK := parseDateEveryLayout(s, loc)
		got, err := parseDate(s, loc)
		if (err == nil) != wantOK || got.String() != want.String() {
			t.Errorf("parseDate(%q) = %v, %v; every layout: %v, %v", s, got, err, want, wantOK)
		}
	}
	base := [6]int{2026, 3, 8, 2, 30, 15} // the spring clock change in Chicago
	for field := 1; field < 6; field++ {
		for v := range 100 {
			f := base
			f[field] = v
			s := fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", f[0], f[1], f[2], f[3], f[4], f[5])
			for _, n := range []int{10, 16, 19} {
				check(s[:n])
			}
		}
	}
	for _, year := range []int{1900, 2000, 2024, 2026} {
		for month := 1; month <= 12; month++ {
			for day := 28; day <= 32; day++ {
				check(fmt.Sprintf("%04d-%02d-%02d 10:00", year, month, day))
			}
		}
	}
	for _, s := range []string{"2026-11-01 08:00 ", " 2026-11-01", "2026-11-01T08:00", "2026/11/01 08:00", "2026-11-01 8:00:0", "+026-11-01", "2026-1a-01"} {
		check(s)
	}
}
