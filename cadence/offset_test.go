package cadence

import (
	"strings"
	"testing"
	"time"
)

func TestParseOffset(t *testing.T) {
	valid := map[string]Offset{
		"0d":      {0, Days},
		"30m":     {30, Minutes},
		"4h":      {4, Hours},
		"2d":      {2, Days},
		"5bd":     {5, BusinessDays},
		" 5bd\n":  {5, BusinessDays},
		"2 D":     {2, Days},
		"3BD":     {3, BusinessDays},
		"007h":    {7, Hours},
		"100000m": {MaxOffsetN, Minutes},
	}
	for s, want := range valid {
		got, err := ParseOffset(s)
		if err != nil || got != want {
			t.Errorf("ParseOffset(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	invalid := map[string]string{
		"3w":                    `"3w" is not an offset; write a number and a unit: m, h, d or bd (e.g. 2d)`,
		"":                      "is not an offset",
		"d":                     "is not an offset",
		"2":                     "is not an offset",
		"2.5h":                  "is not an offset",
		"2dd":                   "is not an offset",
		"b2d":                   "is not an offset",
		"+2d":                   "is not an offset",
		"--2d":                  "is not an offset",
		"-2d":                   `"-2d" is negative`,
		"100001d":               "at most 100000",
		"99999999999999999999d": "at most 100000",
	}
	for s, want := range invalid {
		if _, err := ParseOffset(s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseOffset(%q) error = %v, want one containing %q", s, err, want)
		}
	}
}

func TestOffsetRoundTrip(t *testing.T) {
	for _, o := range []Offset{{}, {30, Minutes}, {4, Hours}, {2, Days}, {5, BusinessDays}, {MaxOffsetN, BusinessDays}} {
		text, err := o.MarshalText()
		if err != nil || string(text) != o.String() {
			t.Errorf("%v: MarshalText = %q, %v", o, text, err)
		}
		var back Offset
		if err := back.UnmarshalText(text); err != nil || back != o {
			t.Errorf("%v: UnmarshalText(%q) = %v, %v", o, text, back, err)
		}
	}
	if s := (Offset{5, BusinessDays}).String(); s != "5bd" {
		t.Errorf("String = %q, want 5bd", s)
	}
	for _, bad := range []Offset{{2, Unit(9)}, {-1, Days}, {MaxOffsetN + 1, Hours}} {
		if _, err := bad.MarshalText(); err == nil {
			t.Errorf("MarshalText(%v) succeeded, want an error", bad)
		}
	}
}

func TestCalendarAddOffset(t *testing.T) {
	c := calTestNY(t)
	ny, la := c.Location, calTestLoc(t, "America/Los_Angeles")
	tests := []struct {
		name string
		from time.Time
		o    string
		want time.Time
	}{
		{"minutes are elapsed time, not moved into hours", calTestAt(ny, 2026, 1, 9, 16, 50), "30m", calTestAt(ny, 2026, 1, 9, 17, 20)},
		{"hours are elapsed time", calTestAt(ny, 2026, 1, 10, 22, 0), "4h", calTestAt(ny, 2026, 1, 11, 2, 0)},
		{"days keep the clock time", calTestAt(ny, 2026, 1, 9, 16, 50), "2d", calTestAt(ny, 2026, 1, 11, 16, 50)},
		{"days over a month end", calTestAt(ny, 2026, 1, 31, 10, 0), "1d", calTestAt(ny, 2026, 2, 1, 10, 0)},
		{"0d is the input", calTestAt(ny, 2026, 1, 10, 10, 0), "0d", calTestAt(ny, 2026, 1, 10, 10, 0)},
		{"1d across spring forward", calTestAt(ny, 2026, 3, 7, 10, 0), "1d", calTestAt(ny, 2026, 3, 8, 10, 0)},
		{"24h across spring forward", calTestAt(ny, 2026, 3, 7, 10, 0), "24h", calTestAt(ny, 2026, 3, 8, 11, 0)},
		{"1d across fall back", calTestAt(ny, 2026, 10, 31, 10, 0), "1d", calTestAt(ny, 2026, 11, 1, 10, 0)},
		{"1d onto a skipped clock time moves forward", calTestAt(ny, 2026, 3, 7, 2, 30), "1d", calTestAt(ny, 2026, 3, 8, 3, 30)},
		{"days use the team timezone", calTestAt(la, 2026, 1, 9, 22, 0), "1d", calTestAt(ny, 2026, 1, 11, 1, 0)},
		{"business days", calTestAt(ny, 2026, 1, 9, 10, 0), "2bd", calTestAt(ny, 2026, 1, 13, 10, 0)},
		{"business days skip holidays", calTestAt(ny, 2026, 1, 16, 10, 0), "1bd", calTestAt(ny, 2026, 1, 20, 10, 0)},
		{"0bd is NextOpen", calTestAt(ny, 2026, 1, 10, 10, 0), "0bd", calTestAt(ny, 2026, 1, 12, 9, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseOffset(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			calTestCheck(t, c, c.Add(tt.from, o), tt.want)
		})
	}
	// One calendar day is 23 hours when the clocks spring forward and 25
	// when they fall back.
	for _, tt := range []struct {
		from time.Time
		want time.Duration
	}{
		{calTestAt(ny, 2026, 3, 7, 10, 0), 23 * time.Hour},
		{calTestAt(ny, 2026, 10, 31, 10, 0), 25 * time.Hour},
	} {
		if got := c.Add(tt.from, Offset{1, Days}).Sub(tt.from); got != tt.want {
			t.Errorf("1d from %v took %v, want %v", tt.from, got, tt.want)
		}
	}
	from := calTestAt(ny, 2026, 1, 13, 10, 0)
	if got := c.Add(from, Offset{3, Unit(9)}); !got.Equal(from) {
		t.Errorf("unknown unit: got %v, want the input", got)
	}
	if got := c.Add(from, Offset{-3, Days}); !got.Equal(from) {
		t.Errorf("negative offset: got %v, want the input", got)
	}
}

func FuzzParseOffset(f *testing.F) {
	for _, s := range []string{"0d", "30m", "4h", "2d", "5bd", " 7 BD ", "-2d", "3w", "100001d", "0000000000001h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseOffset(s)
		if err != nil {
			return
		}
		if o.N < 0 || o.N > MaxOffsetN || o.Unit > BusinessDays {
			t.Fatalf("ParseOffset(%q) = %+v, out of range", s, o)
		}
		back, err := ParseOffset(o.String())
		if err != nil || back != o {
			t.Fatalf("ParseOffset(%q) = %v, but ParseOffset(%q) = %v, %v", s, o, o.String(), back, err)
		}
		if _, err := o.MarshalText(); err != nil {
			t.Fatalf("MarshalText(%v): %v", o, err)
		}
	})
}
