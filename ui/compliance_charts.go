package ui

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/report"
)

// The compliance view's pictures come from internal/report over the last
// chartWeeks weeks. A report reads every lead, so the view computes it when
// it opens and then at most once every reportEvery, however many changes
// other sessions make; frames are drawn from the figures kept.

// reportEvery is the least time between two reports of one view.
const reportEvery = time.Minute

// chartWeeks is how many weeks the charts cover, this one included.
const chartWeeks = 12

// chartFigures are the figures the charts draw, kept between reports.
type chartFigures struct {
	asOf      time.Time
	since     time.Time
	leads     int
	contacted int
	bands     [len(report.BandNames)]int
	attempts  [5]int // contacted leads by contact attempts: 1, 2, 3, 4, 5 or more
	weeks     []int  // leads received per week, oldest first
	headline  string // the report's main figures, goals marked
}

// chartsState is what the view knows of its report: the figures, when
// they were asked for, and whether a report runs or is owed.
type chartsState struct {
	figs    *chartFigures
	err     string
	askedAt time.Time // when the last report was started (the view's clock)
	running bool
	stale   bool // other sessions wrote since the last report started
	waiting bool // a reportDueMsg is on its way
}

// reportMsg carries a finished report's figures.
type reportMsg struct {
	figs *chartFigures
	err  error
}

// reportDueMsg says that the minute between reports may have passed.
type reportDueMsg struct{}

// figuresOf keeps what the charts draw of r.
func figuresOf(r *report.Report) *chartFigures {
	f := &chartFigures{asOf: r.AsOf, leads: r.Leads, contacted: r.Contacted, bands: r.Response.Bands}
	if r.Since != nil {
		f.since = *r.Since
	}
	for n, count := range r.Depth.Contacts {
		if n > 0 {
			f.attempts[min(n, 5)-1] += count
		}
	}
	for _, w := range r.Weeks {
		f.weeks = append(f.weeks, w.Leads)
	}
	f.headline = headline(r)
	return f
}

// headline is the report's main figures on one line, each goal marked ✓
// (met) or ✗ (missed) after its figure.
func headline(r *report.Report) string {
	mark := map[string]string{}
	for _, g := range r.Goals {
		switch g.Status {
		case report.GoalMet:
			mark[g.Name] = " ✓"
		case report.GoalMissed:
			unit := "%"
			if g.Unit == "minutes" {
				unit = "m"
			}
			mark[g.Name] = fmt.Sprintf(" ✗ (goal %g%s)", g.Goal, unit)
		}
	}
	rate := func(v *float64) string {
		if v == nil {
			return "–"
		}
		return fmt.Sprintf("%.0f%%", *v)
	}
	minutes := func(v *float64) string {
		if v == nil {
			return "–"
		}
		m := int(*v + 0.5)
		if m < 60 {
			return fmt.Sprintf("%dm", m)
		}
		return fmt.Sprintf("%dh%02dm", m/60, m%60)
	}
	return fmt.Sprintf("%d leads · followed up %s%s · response median %s%s, p90 %s · SLA breached %d · qualified %s%s · won %s%s",
		r.Leads, rate(r.FollowUpRate), mark["follow_up_rate"], minutes(r.Response.Median), mark["median_response"],
		minutes(r.Response.P90), r.Response.SLABreached, rate(r.QualifiedRate), mark["qualified_rate"], rate(r.WonRate), mark["won_rate"])
}

// reportCmd computes the report of the last chartWeeks weeks as of now.
func (c Compliance) reportCmd(now time.Time) tea.Cmd {
	s, p := c.opts.Store, c.opts.Policy
	return func() tea.Msg {
		loc := p.Calendar.Location
		d := cadence.DateOf(now.In(loc))
		monday := d.AddDays(-((int(d.Weekday()) + 6) % 7) - 7*(chartWeeks-1))
		r, err := report.Build(s, report.Options{Policy: p, Now: now, Since: monday.In(loc, 0), Goals: c.opts.Goals})
		if err != nil {
			return reportMsg{err: err}
		}
		return reportMsg{figs: figuresOf(r)}
	}
}

// startReport starts a report now.
func (c *Compliance) startReport() tea.Cmd {
	now := c.opts.Now()
	c.charts.running, c.charts.stale, c.charts.askedAt = true, false, now
	return c.reportCmd(now)
}

// reportAfterChange owes a report to a change made by another session:
// it starts one if the last started a minute ago or more, and otherwise
// has one start when the minute is up.
func (c *Compliance) reportAfterChange() tea.Cmd {
	c.charts.stale = true
	return c.reportIfDue()
}

// reportIfDue starts the report owed if the minute is up and none runs,
// or makes sure a reportDueMsg comes when the minute will be up.
func (c *Compliance) reportIfDue() tea.Cmd {
	if !c.charts.stale || c.charts.running {
		return nil
	}
	wait := c.charts.askedAt.Add(reportEvery).Sub(c.opts.Now())
	if wait <= 0 {
		return c.startReport()
	}
	if c.charts.waiting {
		return nil
	}
	c.charts.waiting = true
	return c.after(wait, func(time.Time) tea.Msg { return reportDueMsg{} })
}

// updateCharts handles the report's messages; handled is false for any
// other message.
func (c *Compliance) updateCharts(msg tea.Msg) (cmd tea.Cmd, handled bool) {
	switch msg := msg.(type) {
	case reportMsg:
		c.charts.running = false
		if msg.err != nil {
			c.charts.err = msg.err.Error()
		} else {
			c.charts.figs, c.charts.err = msg.figs, ""
		}
		return c.reportIfDue(), true
	case reportDueMsg:
		c.charts.waiting = false
		return c.reportIfDue(), true
	}
	return nil, false
}

// chartLines draws the charts in width columns and at most avail lines:
// side by side when there is room, one above the other when there is
// height but not width, then as one line each, then the trend alone.
func (c Compliance) chartLines(width, avail int) []string {
	st := &c.styles
	f := c.charts.figs
	if avail <= 0 || width <= 0 {
		return nil
	}
	if f == nil {
		switch {
		case c.charts.err != "":
			return []string{st.Error.Render(clip("charts: "+c.charts.err, width))}
		default:
			return []string{st.Dim.Render(clip(fmt.Sprintf("charts: reading the leads of the last %d weeks…", chartWeeks), width))}
		}
	}
	paint := func(s string) string { return st.render("bar", st.Title, s) }
	bands := make([]barRow, len(f.bands))
	for i, n := range f.bands {
		bands[i] = barRow{label: report.BandNames[i], value: n}
	}
	attempts := make([]barRow, len(f.attempts))
	for i, n := range f.attempts {
		label := fmt.Sprint(i + 1)
		if i == len(f.attempts)-1 {
			label += "+"
		}
		attempts[i] = barRow{label: label, value: n, note: fmt.Sprintf("%2.0f%%", report.SeedsWonAt[i])}
	}
	bandsTitle := func(w int) string {
		return st.Header.Render(clip(fmt.Sprintf("response time, business min · %d contacted", f.contacted), w))
	}
	attemptsTitle := func(w int) string {
		return st.Header.Render(clip("contact attempts per lead · seeds: % of sales", w))
	}
	trend := c.trendLine(width)
	lines, more := c.headlineLines(width, avail)
	if more == 0 {
		return lines
	}
	return append(lines, c.charted(width, more, bands, attempts, bandsTitle, attemptsTitle, paint, trend)...)
}

// headlineLines are the report's figures over the charts, with what room
// is left for the charts.
func (c Compliance) headlineLines(width, avail int) ([]string, int) {
	f := c.charts.figs
	title := fmt.Sprintf("last %d weeks: ", chartWeeks)
	line := c.styles.Header.Render(title) + clip(f.headline, width-len([]rune(title)))
	if avail < 4 || f.headline == "" { // the trend matters more than the line when room is short
		return nil, avail
	}
	return []string{line}, avail - 1
}

// charted lays the charts out in avail lines of width.
func (c Compliance) charted(width, avail int, bands, attempts []barRow, bandsTitle, attemptsTitle func(int) string,
	paint func(string) string, trend string) []string {
	switch {
	case width >= 96 && avail >= 8:
		colW := (width - 4) / 2
		left := append([]string{bandsTitle(colW)}, barChart(bands, colW, paint)...)
		right := append([]string{attemptsTitle(colW)}, barChart(attempts, colW, paint)...)
		return append(append(sideBySide(left, colW, right, 4), ""), trend)
	case avail >= 2*(len(bands)+1)+3:
		w := min(width, 72)
		lines := append([]string{bandsTitle(w)}, barChart(bands, w, paint)...)
		lines = append(append(lines, "", attemptsTitle(w)), barChart(attempts, w, paint)...)
		return append(append(lines, ""), trend)
	case avail >= 3:
		return []string{c.compactBands(width), c.compactAttempts(width), trend}
	}
	return []string{trend}
}

// trendLine is the leads-received sparkline, one cell a week.
func (c Compliance) trendLine(width int) string {
	f := c.charts.figs
	st := &c.styles
	last, sum := 0, 0
	for _, n := range f.weeks {
		sum += n
	}
	if len(f.weeks) > 0 {
		last = f.weeks[len(f.weeks)-1]
	}
	label := "leads/week "
	tail := fmt.Sprintf(" %d this week · %d in %d weeks", last, sum, len(f.weeks))
	spark := sparkline(f.weeks, max(width-len(label)-len(tail), 0))
	if spark == "" {
		return clip(st.Header.Render("leads/week")+tail, width)
	}
	return st.Header.Render(label) + st.render("spark", st.Title, spark) + clip(tail, width-len(label)-len([]rune(spark)))
}

// compactBands is the response-time bands on one line.
func (c Compliance) compactBands(width int) string {
	f := c.charts.figs
	parts := make([]string, len(f.bands))
	for i, n := range f.bands {
		parts[i] = fmt.Sprintf("%s %s", report.BandNames[i], pct(n, f.contacted))
	}
	return clip(c.styles.Header.Render("response ")+strings.Join(parts, " · "), width)
}

// compactAttempts is the contact attempts per lead on one line, against
// the seeds' share of sales made on the 5th contact or later.
func (c Compliance) compactAttempts(width int) string {
	f := c.charts.figs
	parts := make([]string, len(f.attempts))
	for i, n := range f.attempts {
		label := fmt.Sprint(i + 1)
		if i == len(f.attempts)-1 {
			label += "+"
		}
		parts[i] = fmt.Sprintf("%s: %s", label, pct(n, f.contacted))
	}
	return clip(c.styles.Header.Render("attempts ")+strings.Join(parts, " · ")+
		fmt.Sprintf(" (seeds: %.0f%% of sales at 5+)", report.SeedsWonAt[4]), width)
}

// pct is n of total as a whole percentage, "–" of none.
func pct(n, total int) string {
	if total == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(n)/float64(total))
}
