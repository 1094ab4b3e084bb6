package report

import (
	"encoding/json"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// reportJSON computes the report of b's accumulator and returns it as
// JSON, for comparing whole reports.
func reportJSON(t testing.TB, b *builder) string {
	t.Helper()
	out, err := json.Marshal(b.report())
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// scanInto runs b over the fixture store.
func scanInto(t testing.TB, s Scanner, b *builder) {
	t.Helper()
	if err := s.ScanHistories(b.want, b.add); err != nil {
		t.Fatal(err)
	}
}

// TestSplitPeriodMerges: counting [since, mid) and [mid, until) apart and
// merging gives the counts of [since, until), for any mid and report time.
func TestSplitPeriodMerges(t *testing.T) {
	s := buildFixture(t)
	start, end := at(11, 16, 0, 0), at(12, 14, 0, 0)
	span := int64(end.Sub(start) / time.Minute)
	rapid.Check(t, func(rt *rapid.T) {
		now := start.Add(time.Duration(rapid.Int64Range(0, span).Draw(rt, "now")) * time.Minute)
		a := start.Add(time.Duration(rapid.Int64Range(0, span).Draw(rt, "since")) * time.Minute)
		m := a.Add(time.Duration(rapid.Int64Range(0, span).Draw(rt, "mid")) * time.Minute)
		o := fixtureOptions()
		o.Now, o.Since, o.Until, o.LeftAfter, o.Untouched = now, a, end, DefaultLeftAfter, -1
		whole := newBuilder(&o)
		scanInto(t, s, whole)
		first, second := o, o
		first.Until, second.Since = m, m
		b1, b2 := newBuilder(&first), newBuilder(&second)
		scanInto(t, s, b1)
		scanInto(t, s, b2)
		merged := newBuilder(&o)
		merged.acc.merge(b1.acc)
		merged.acc.merge(b2.acc)
		if got, want := reportJSON(t, merged), reportJSON(t, whole); got != want {
			rt.Fatalf("split at %v:\nmerged %s\nwhole  %s", m, got, want)
		}
	})
}

// TestAsOfIgnoresLater: the report as of T over the whole fixture equals
// the report as of T over the fixture as it stood at T (nothing entered,
// logged or handed off later written at all).
func TestAsOfIgnoresLater(t *testing.T) {
	full := buildFixture(t)
	start, end := at(11, 20, 0, 0), at(12, 12, 0, 0)
	span := int64(end.Sub(start) / time.Minute)
	rapid.Check(t, func(rt *rapid.T) {
		now := start.Add(time.Duration(rapid.Int64Range(0, span).Draw(rt, "now")) * time.Minute)
		cut := buildFixtureUntil(t, now)
		defer cut.Close()
		o := fixtureOptions()
		o.Now = now
		got, err := Build(full, o)
		if err != nil {
			rt.Fatal(err)
		}
		want, err := Build(cut, o)
		if err != nil {
			rt.Fatal(err)
		}
		// Ids are handed out in order of entry, so the cut fixture's differ.
		for _, r := range []*Report{got, want} {
			for i := range r.UntouchedLeads {
				r.UntouchedLeads[i].ID = 0
			}
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			rt.Fatalf("as of %v:\nfull %s\ncut  %s", now, g, w)
		}
	})
}

// serialScanner hides a store's range scans: Build then reads it in one pass.
type serialScanner struct{ Scanner }

// TestPartsMerge: a report computed in parts side by side (ranges of lead
// ids, each in its own read transaction, merged) equals the report read in
// one pass, for any report time, period start, rep and number of parts.
func TestPartsMerge(t *testing.T) {
	s := buildFixture(t)
	defer func(n, p int, c func() int) { minPartLeads, maxParts, cores = n, p, c }(minPartLeads, maxParts, cores)
	cores = func() int { return 8 }
	start, end := at(11, 16, 0, 0), at(12, 14, 0, 0)
	span := int64(end.Sub(start) / time.Minute)
	rapid.Check(t, func(rt *rapid.T) {
		minPartLeads, maxParts = 1, rapid.IntRange(2, 6).Draw(rt, "parts")
		o := fixtureOptions()
		o.Now = start.Add(time.Duration(rapid.Int64Range(0, span).Draw(rt, "now")) * time.Minute)
		o.Since = start.Add(time.Duration(rapid.Int64Range(0, span).Draw(rt, "since")) * time.Minute)
		o.Rep = rapid.SampledFrom([]string{"", "alice", "bob"}).Draw(rt, "rep")
		o.Untouched = rapid.IntRange(-1, 3).Draw(rt, "untouched")
		parts, err := Build(s, o)
		if err != nil {
			rt.Fatal(err)
		}
		whole, err := Build(serialScanner{s}, o)
		if err != nil {
			rt.Fatal(err)
		}
		g, _ := json.Marshal(parts)
		w, _ := json.Marshal(whole)
		if string(g) != string(w) {
			rt.Fatalf("in parts:\n%s\nin one pass:\n%s", g, w)
		}
	})
}
