package intake

import (
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
		if rapid.IntRange(0, 5).Draw(t, "kind") == 0 {
			s = rapid.StringOfN(rapid.SampledFrom([]rune("0123456789-/: TtPAMZ+")), 0, 30, -1).Draw(t, "noise")
		} else {
			at := time.Unix(rapid.Int64Range(0, 4e9).Draw(t, "unix"), 0).In(loc)
			s = at.Format(rapid.SampledFrom(layouts).Draw(t, "layout"))
			if len(s) > 0 && rapid.Bool().Draw(t, "damaged") {
				i := rapid.IntRange(0, len(s)-1).Draw(t, "at")
				s = s[:i] + rapid.SampledFrom([]string{"", "-", "/", ":", "1", " "}).Draw(t, "with") + s[i+1:]
			}
		}
		want, wantOK := parseDateEveryLayout(s, loc)
		got, err := parseDate(s, loc)
		if (err == nil) != wantOK || !got.Equal(want) {
			t.Fatalf("parseDate(%q) = %v, %v; every layout: %v, %v", s, got, err, want, wantOK)
		}
	})
}
