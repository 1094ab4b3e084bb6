package cadence

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// tableTestAgree checks that the table answers as c does about instants
// drawn around 2025–2028, asking one table several times so that it grows
// (and is reused) between questions.
func tableTestAgree(t *rapid.T, c Calendar, maxD time.Duration) {
	from, to := calTestDrawTime(t, "table from"), calTestDrawTime(t, "table to")
	if to.Sub(from) > 400*24*time.Hour {
		to = from.Add(400 * 24 * time.Hour)
	}
	tab := NewBusinessTable(c, from, to)
	for range rapid.IntRange(1, 6).Draw(t, "questions") {
		a := calTestDrawTime(t, "a")
		if rapid.Bool().Draw(t, "near a") {
			// Within a few days of a: weekends, holidays and clock
			// changes between the two instants.
			a2 := a.Add(time.Duration(rapid.Int64Range(-int64(maxD), int64(maxD)).Draw(t, "b-a")))
			if got, want := tab.BusinessBetween(a, a2), c.BusinessBetween(a, a2); got != want {
				t.Fatalf("BusinessBetween(%v, %v) = %v, the calendar says %v", a, a2, got, want)
			}
		}
		b := calTestDrawTime(t, "b")
		if got, want := tab.BusinessBetween(a, b), c.BusinessBetween(a, b); got != want {
			t.Fatalf("BusinessBetween(%v, %v) = %v, the calendar says %v", a, b, got, want)
		}
		d := time.Duration(rapid.Int64Range(-1, int64(maxD)).Draw(t, "d"))
		if rapid.Bool().Draw(t, "whole minutes") {
			d = d.Truncate(time.Minute)
		}
		tableTestSame(t, "AddBusiness", a, d, tab.AddBusiness(a, d), c.AddBusiness(a, d), c)
		n := rapid.IntRange(-1, 40).Draw(t, "n")
		tableTestSame(t, "AddBusinessDays", a, n, tab.AddBusinessDays(a, n), c.AddBusinessDays(a, n), c)
		tableTestSame(t, "NextOpen", a, "", tab.NextOpen(a), c.NextOpen(a), c)
		o := Offset{N: rapid.IntRange(0, 30).Draw(t, "offset"), Unit: Unit(rapid.IntRange(0, 3).Draw(t, "unit"))}
		tableTestSame(t, "Add", a, o, tab.Add(a, o), c.Add(a, o), c)
		if got, want := tab.DateOf(a), DateOf(a.In(c.calLoc())); got != want {
			t.Fatalf("DateOf(%v) = %v, the calendar's date is %v", a, got, want)
		}
	}
}

// tableTestSame fails unless got and want are the same instant in the
// calendar's location.
func tableTestSame(t *rapid.T, what string, at time.Time, arg any, got, want time.Time, c Calendar) {
	if !got.Equal(want) || got.Location() != c.calLoc() {
		t.Fatalf("%s(%v, %v) = %v, the calendar says %v", what, at, arg, got, want)
	}
}

func TestBusinessTableAgreesNewYork(t *testing.T) {
	c := calTestNY(t)
	rapid.Check(t, func(t *rapid.T) { tableTestAgree(t, c, 200*time.Hour) })
}

func TestBusinessTableAgreesAnyCalendar(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { tableTestAgree(t, calTestDrawCalendar(t), 80*time.Hour) })
}

// TestBusinessTableAroundClockChanges asks about every quarter hour of the
// days around New York's and Havana's (midnight) clock changes in 2026 and
// Lord Howe's half-hour one, for calendars whose hours start or end inside
// the change.
func TestBusinessTableAroundClockChanges(t *testing.T) {
	cases := []struct {
		zone        string
		day         Date
		open, close ClockTime
	}{
		{"America/New_York", Date{2026, 3, 8}, 1*60 + 30, 17 * 60},
		{"America/New_York", Date{2026, 11, 1}, 0, 2*60 + 30},
		{"America/Havana", Date{2026, 3, 8}, 0, 9 * 60},
		{"America/Havana", Date{2026, 11, 1}, 0, EndOfDay},
		{"Australia/Lord_Howe", Date{2026, 4, 5}, 1 * 60, 2*60 + 15},
		{"Australia/Lord_Howe", Date{2026, 10, 4}, 2 * 60, 23 * 60},
	}
	for _, tc := range cases {
		loc := calTestLoc(t, tc.zone)
		c := Calendar{Location: loc, Open: tc.open, Close: tc.close, Holidays: map[Date]bool{tc.day.AddDays(2): true}}
		for i := range c.Days {
			c.Days[i] = true
		}
		start := tc.day.AddDays(-2).In(loc, 0)
		tab := NewBusinessTable(c, start, start)
		for a := start; a.Before(start.Add(5 * 24 * time.Hour)); a = a.Add(15 * time.Minute) {
			for _, d := range []time.Duration{time.Minute, 30 * time.Minute, 90 * time.Minute, 26 * time.Hour} {
				if got, want := tab.AddBusiness(a, d), c.AddBusiness(a, d); !got.Equal(want) {
					t.Fatalf("%s: AddBusiness(%v, %v) = %v, the calendar says %v", tc.zone, a, d, got, want)
				}
				if got, want := tab.BusinessBetween(a, a.Add(d)), c.BusinessBetween(a, a.Add(d)); got != want {
					t.Fatalf("%s: BusinessBetween(%v, +%v) = %v, the calendar says %v", tc.zone, a, d, got, want)
				}
			}
			for n := 0; n <= 3; n++ {
				if got, want := tab.AddBusinessDays(a, n), c.AddBusinessDays(a, n); !got.Equal(want) {
					t.Fatalf("%s: AddBusinessDays(%v, %d) = %v, the calendar says %v", tc.zone, a, n, got, want)
				}
			}
			if got, want := tab.DateOf(a), DateOf(a); got != want {
				t.Fatalf("%s: DateOf(%v) = %v, want %v", tc.zone, a, got, want)
			}
		}
	}
}

// TestBusinessTableFarInstants falls back to the calendar for instants the
// table will not grow to cover.
func TestBusinessTableFarInstants(t *testing.T) {
	c := calTestNY(t)
	now := calTestAt(c.Location, 2026, 11, 23, 10, 0)
	tab := NewBusinessTable(c, now, now)
	far := calTestAt(c.Location, 1900, 1, 2, 10, 0)
	if got, want := tab.BusinessBetween(far, far.Add(48*time.Hour)), c.BusinessBetween(far, far.Add(48*time.Hour)); got != want {
		t.Errorf("BusinessBetween in 1900 = %v, want %v", got, want)
	}
	if got, want := tab.AddBusiness(time.Time{}, time.Hour), c.AddBusiness(time.Time{}, time.Hour); !got.Equal(want) {
		t.Errorf("AddBusiness(zero time) = %v, want %v", got, want)
	}
	if got, want := tab.AddBusinessDays(now, 20000), c.AddBusinessDays(now, 20000); !got.Equal(want) {
		t.Errorf("AddBusinessDays(now, 20000) = %v, want %v", got, want)
	}
}
