package ui

import (
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/followuphq/followup/internal/report"
	"github.com/followuphq/followup/store"
)

// countingStore counts the reports read through it.
type countingStore struct {
	*store.Store
	scans *int
}

// ScanHistories counts one report and reads the store.
func (s countingStore) ScanHistories(want func(*store.LeadHistory) bool, fn func(*store.LeadHistory) error) error {
	*s.scans++
	return s.Store.ScanHistories(want, fn)
}

// complianceAt returns a compliance view over the ui fixture whose clock
// reads *now, and the number of reports it has read.
func complianceAt(t *testing.T, now *time.Time) (Compliance, *int) {
	t.Helper()
	s, p := fixture(t)
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	scans := 0
	c := NewCompliance(ComplianceOptions{Renderer: r, Store: countingStore{s, &scans}, Policy: p, Manager: "maria",
		Now: func() time.Time { return *now }})
	return c, &scans
}

// drainCompliance runs cmd and feeds what it returns back into c, the way the Bubble
// Tea runtime would, except commands from c.after (timers), which are
// recorded in *timers and not run.
func drainCompliance(t *testing.T, c Compliance, cmd tea.Cmd) Compliance {
	t.Helper()
	if cmd == nil {
		return c
	}
	msg := cmd()
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, cmd := range batch {
			c = drainCompliance(t, c, cmd)
		}
		return c
	}
	if msg == nil {
		return c
	}
	next, cmd := c.Update(msg)
	return drainCompliance(t, next.(Compliance), cmd)
}

// The charts' figures are the report's: response-time bands, contact
// attempts per lead and leads per week over the last twelve weeks.
func TestComplianceChartFigures(t *testing.T) {
	now := monday
	c, scans := complianceAt(t, &now)
	c = drainCompliance(t, c, c.Init())
	if *scans != 1 {
		t.Fatalf("%d reports on open, want 1", *scans)
	}
	f := c.charts.figs
	if f == nil {
		t.Fatalf("no figures; error %q", c.charts.err)
	}
	// Monica, received Friday 10:15 and called 11:15: 60 business minutes.
	// John, received Monday 08:15 and called 09:15 (hours open at 09:00):
	// 15 business minutes.
	if f.bands != [5]int{0, 0, 1, 0, 1} || f.contacted != 2 || f.leads != 5 {
		t.Errorf("bands %v, contacted %d, leads %d; want [0 0 1 0 1], 2, 5", f.bands, f.contacted, f.leads)
	}
	if f.attempts != [5]int{2, 0, 0, 0, 0} {
		t.Errorf("attempts %v, want both contacted leads at one attempt", f.attempts)
	}
	if len(f.weeks) != chartWeeks || f.weeks[chartWeeks-2] != 1 || f.weeks[chartWeeks-1] != 4 {
		t.Errorf("weeks %v, want %d weeks ending 1, 4", f.weeks, chartWeeks)
	}
	if want := time.Date(2026, 9, 7, 0, 0, 0, 0, ny); !f.since.Equal(want) {
		t.Errorf("since %v, want Monday %v (12 weeks including this one)", f.since, want)
	}
}

// Changes from other sessions recount the queues each time, but the report
// runs at most once a minute: a change within the minute is owed, and run
// when the minute is up.
func TestComplianceReportAtMostOncePerMinute(t *testing.T) {
	now := monday
	c, scans := complianceAt(t, &now)
	var timers []time.Duration
	c.after = func(d time.Duration, msg func(time.Time) tea.Msg) tea.Cmd {
		timers = append(timers, d)
		return nil
	}
	c = drainCompliance(t, c, c.Init())
	for i, step := range []time.Duration{10 * time.Second, 10 * time.Second, 30 * time.Second} {
		now = now.Add(step)
		next, cmd := c.Update(changedMsg{id: 1})
		c = drainCompliance(t, next.(Compliance), cmd)
		if *scans != 1 {
			t.Fatalf("change %d, %v after open: %d reports, want 1", i+1, now.Sub(monday), *scans)
		}
	}
	if len(timers) != 1 || timers[0] != 50*time.Second {
		t.Fatalf("timers %v, want one for the 50 s left of the minute", timers)
	}
	now = monday.Add(time.Minute)
	next, cmd := c.Update(reportDueMsg{})
	c = drainCompliance(t, next.(Compliance), cmd)
	if *scans != 2 {
		t.Fatalf("%d reports when the minute was up, want 2", *scans)
	}
	// Nothing owed: the next timer brings nothing; a change a minute later
	// reports at once.
	next, cmd = c.Update(reportDueMsg{})
	c = drainCompliance(t, next.(Compliance), cmd)
	now = now.Add(time.Minute)
	next, cmd = c.Update(changedMsg{id: 1})
	drainCompliance(t, next.(Compliance), cmd)
	if *scans != 3 {
		t.Fatalf("%d reports, want 3", *scans)
	}
}

// knownCharts is a compliance view with known counts and figures.
func knownCharts(t *testing.T, reps int) Compliance {
	t.Helper()
	now := monday
	c, _ := complianceAt(t, &now)
	rows := make([]RepStatus, reps)
	for i := range rows {
		rows[i] = RepStatus{Rep: "rep" + string(rune('a'+i)), Open: 10}
	}
	next, _ := c.Update(complianceMsg{rows: rows})
	next, _ = next.(Compliance).Update(reportMsg{figs: &chartFigures{asOf: now, leads: 60, contacted: 50,
		bands: [5]int{20, 15, 5, 5, 5}, attempts: [5]int{25, 10, 5, 5, 5},
		weeks: []int{0, 2, 4, 8, 16, 8, 4, 2, 1, 1, 5, 9}}})
	return next.(Compliance)
}

// sized renders c at w×h and checks that the screen fits.
func sized(t *testing.T, c Compliance, w, h int) []string {
	t.Helper()
	next, _ := c.Update(tea.WindowSizeMsg{Width: w, Height: h})
	lines := strings.Split(next.(Compliance).View(), "\n")
	if len(lines) > h {
		t.Errorf("%d×%d: %d lines:\n%s", w, h, len(lines), strings.Join(lines, "\n"))
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Errorf("%d×%d: line of %d cells: %q", w, h, ansi.StringWidth(l), l)
		}
	}
	if !strings.Contains(lines[len(lines)-1], "q quit") {
		t.Errorf("%d×%d: the footer is not the last line: %q", w, h, lines[len(lines)-1])
	}
	return lines
}

// lineWith returns the first line containing all of parts, or "".
func lineWith(lines []string, parts ...string) string {
	for _, l := range lines {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(l, p)
		}
		if ok {
			return l
		}
	}
	return ""
}

// At 100×30 the two charts stand side by side over the trend.
func TestComplianceChartsAt100x30(t *testing.T) {
	lines := sized(t, knownCharts(t, 3), 100, 30)
	screen := strings.Join(lines, "\n")
	if lineWith(lines, "response time, business min · 50 contacted", "contact attempts per lead · seeds: % of sales") == "" {
		t.Errorf("the chart titles are not side by side:\n%s", screen)
	}
	// 0-5m is the longest band (20 of 50): a full bar of 48-4-... cells;
	// 60m+ (5) is a quarter of it. Beside it, 1 attempt (25 of 50) and the
	// seeds' 2% of sales on the first contact.
	top := lineWith(lines, "0-5m ")
	if !strings.Contains(top, "█████████████████████████ 20  40%") || !strings.Contains(top, "1  ") || !strings.HasSuffix(top, "25  50%   2%") {
		t.Errorf("first chart row: %q", top)
	}
	if l := lineWith(lines, "60m+ ", "5+ "); !strings.HasSuffix(l, " 5  10%  81%") {
		t.Errorf("last chart row: %q", l)
	}
	if l := lineWith(lines, "leads/week"); !strings.Contains(l, " ▁▂▄█▄▂▁▁▁▃▅ 9 this week · 60 in 12 weeks") {
		t.Errorf("trend: %q", l)
	}
}

// At 80×24 the charts go one above the other; with a long team they fall
// back to a line each, and the trend stays.
func TestComplianceChartsAt80x24(t *testing.T) {
	lines := sized(t, knownCharts(t, 1), 80, 24)
	screen := strings.Join(lines, "\n")
	if lineWith(lines, "response time", "contact attempts") != "" || lineWith(lines, "contact attempts per lead") == "" {
		t.Errorf("want the charts one above the other:\n%s", screen)
	}
	if lineWith(lines, "0-5m ", "█") == "" || lineWith(lines, "5+ ", "81%") == "" || lineWith(lines, "leads/week") == "" {
		t.Errorf("a chart is missing:\n%s", screen)
	}

	lines = sized(t, knownCharts(t, 9), 80, 24)
	screen = strings.Join(lines, "\n")
	if lineWith(lines, "response 0-5m 40% · 5-15m 30% · 15-30m 10% · 30-60m 10% · 60m+ 10%") == "" ||
		lineWith(lines, "attempts 1: 50% · 2: 20%") == "" || lineWith(lines, "leads/week") == "" {
		t.Errorf("want a line per chart:\n%s", screen)
	}
	for _, rep := range []string{"repa", "repi"} {
		if lineWith(lines, rep) == "" {
			t.Errorf("rep %s is off the screen:\n%s", rep, screen)
		}
	}
}

// The headline over the charts gives the report's main figures with each
// goal marked: the manager sees at a glance which one is missed.
func TestComplianceHeadlineMarksGoals(t *testing.T) {
	v := func(f float64) *float64 { return &f }
	r := &report.Report{AsOf: monday, Figures: report.Figures{Leads: 60, Contacted: 57, FollowUpRate: v(95),
		Response: report.Response{Median: v(12), P90: v(47.5), SLABreached: 4}, QualifiedRate: v(20), WonRate: v(5)},
		Goals: []report.Goal{
			{Name: "follow_up_rate", Goal: 100, Actual: v(95), Unit: "percent", Status: report.GoalMissed},
			{Name: "median_response", Goal: 30, Actual: v(12), Unit: "minutes", Status: report.GoalMet},
		}}
	want := "60 leads · followed up 95% ✗ (goal 100%) · response median 12m ✓, p90 48m · SLA breached 4 · qualified 20% · won 5%"
	if got := headline(r); got != want {
		t.Errorf("headline:\n got %q\nwant %q", got, want)
	}
	c := knownCharts(t, 2)
	next, _ := c.Update(reportMsg{figs: figuresOf(r)})
	lines := sized(t, next.(Compliance), 140, 30)
	if lineWith(lines, "last 12 weeks: 60 leads · followed up 95% ✗ (goal 100%)") == "" {
		t.Errorf("no headline:\n%s", strings.Join(lines, "\n"))
	}
}
