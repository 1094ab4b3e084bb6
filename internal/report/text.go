package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText writes the report as plain text for a terminal: one section a
// figure, goals first.
func WriteText(w io.Writer, r *Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	scope := "all leads"
	if r.Rep != "" {
		scope = r.Rep + "'s leads"
	}
	if r.Source != "" {
		scope += " from " + r.Source
	}
	from := "the start"
	if r.Since != nil {
		from = r.Since.Format("Mon Jan 2 2006 15:04")
	}
	p("Report on %s received from %s to %s (as of %s)\n", scope, from, r.Until.Format("Mon Jan 2 2006 15:04"), r.AsOf.Format("Mon Jan 2 2006 15:04 MST"))
	if r.Leads == 0 {
		p("\nNo leads were received in this period.\n")
		return tw.Flush()
	}

	if len(r.Goals) > 0 {
		p("\nGoals\n")
		for _, g := range r.Goals {
			actual := "—"
			if g.Actual != nil {
				actual = num(*g.Actual, g.Unit)
			}
			cmp := "at least"
			if g.Unit == "minutes" {
				cmp = "at most"
			}
			p("  %s\t%s\tgoal %s %s\t%s\n", strings.ReplaceAll(g.Name, "_", " "), actual, cmp, num(g.Goal, g.Unit), g.Status)
		}
	}

	p("\nLeads received per week\n")
	most := 0
	for _, wk := range r.Weeks {
		most = max(most, wk.Leads)
	}
	for _, wk := range r.Weeks {
		p("  %s\t%d\t%s\n", wk.Start, wk.Leads, bar(wk.Leads, most, 40))
	}

	p("\nResponse time (receipt to first contact attempt, business time)\n")
	p("  contacted\t%d of %d\n", r.Contacted, r.Leads)
	p("  median\t%s\n", optMinutes(r.Response.Median))
	p("  90th percentile\t%s\n", optMinutes(r.Response.P90))
	for i, n := range r.Response.Bands {
		p("  %s\t%d\t%s\n", r.ResponseBand[i], n, bar(n, r.Contacted, 40))
	}
	p("  SLA %s\t%d met, %d breached, %d untouched not yet due\n", fmtMinutes(r.SLAMinutes), r.Response.SLAMet, r.Response.SLABreached, r.Response.SLAPending)

	p("\nFollow-up\n")
	p("  follow-up rate\t%s\t(%d of %d leads had a contact attempt)\n", optPercent(r.FollowUpRate), r.Contacted, r.Leads)
	p("  untouched\t%d\n", r.Figures.Untouched)
	for _, u := range r.UntouchedLeads {
		breach := ""
		if u.SLABreached {
			breach = "SLA breached"
		}
		p("    #%d %s\t%s\t%s old\t%s\n", u.ID, u.Name, u.Owner, fmtMinutes(u.AgeMinutes), breach)
	}
	if more := r.Figures.Untouched - len(r.UntouchedLeads); more > 0 && len(r.UntouchedLeads) > 0 {
		p("    … and %d more\n", more)
	}

	p("\nConversion\n")
	p("  \tleads\tcontacted\tqualified\twon\tfollow-up\tqualified\twon\tmedian response\n")
	row := func(name string, f *Figures) {
		p("  %s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n", name, f.Leads, f.Contacted, f.Qualified, f.Won,
			optPercent(f.FollowUpRate), optPercent(f.QualifiedRate), optPercent(f.WonRate), optMinutes(f.Response.Median))
	}
	row("all", &r.Figures)
	for _, g := range r.Reps {
		row("rep "+orNone(g.Name), &g.Figures)
	}
	for _, g := range r.Sources {
		row("source "+orNone(g.Name), &g.Figures)
	}

	p("\nFollow-up depth (contact attempts)\n")
	p("  contacts per lead\t%s\n", histogram(r.Depth.Contacts[:], DepthCap))
	p("  abandoned\t%d\t(%d lost without the prospect's reason, %d left with the next touch over %s overdue)\n",
		r.Depth.LostNoReason+r.Depth.Left, r.Depth.LostNoReason, r.Depth.Left, r.LeftAfter)
	p("  \tafter 1\t2\t3\t4\t5+\n")
	p("  gave up (%% of abandoned)\t%s\n", curve(r.Depth.GaveUpAt))
	p("  seeds: reps who quit\t%s\n", seeds(r.SeedsGaveUp))
	for _, g := range r.Reps {
		if n := g.Depth.LostNoReason + g.Depth.Left; n > 0 {
			p("  %s gave up\t%s\n", orNone(g.Name), curve(g.Depth.GaveUpAt))
		}
	}
	p("  won on contact (%% of won)\t%s\n", curve(r.Depth.WonAt))
	p("  seeds: sales closed\t%s\n", seeds(r.SeedsWonAt))

	p("\nLead map (median wall-clock minutes)\n")
	p("  \treceived→entered\tentered→assigned\tassigned→first contact\treceived→first contact\thand-offs per lead\n")
	lm := func(name string, m *LeadMap) {
		per := "—"
		if m.HandOffsPerLead != nil {
			per = fmt.Sprintf("%.2f", *m.HandOffsPerLead)
		}
		p("  %s\t%s\t%s\t%s\t%s\t%s\n", name, optMinutes(m.ReceivedToEntered), optMinutes(m.EnteredToAssigned),
			optMinutes(m.AssignedToFirstContact), optMinutes(m.ReceivedToFirstContact), per)
	}
	lm("all", &r.LeadMap)
	for _, g := range r.Sources {
		lm("source "+orNone(g.Name), &g.LeadMap)
	}

	p("\nMoney\n")
	p("  \tcost per lead\tleads\tspend\torders\tcost per order\tspent on untouched\n")
	mo := func(name string, f *Figures, m *Money) {
		p("  %s\t%s\t%d\t%.2f\t%d\t%s\t%.2f\n", name, optMoney(m.CostPerLead), f.Leads, m.Spend, f.Won, optMoney(m.CostPerOrder), m.UntouchedSpend)
	}
	mo("all", &r.Figures, &r.Money)
	for _, g := range r.Sources {
		mo("source "+orNone(g.Name), &g.Figures, &g.Money)
	}
	if r.Money.UnknownCost > 0 {
		p("  %d leads come from sources without a cost; add [[source]] name and cost to the config\n", r.Money.UnknownCost)
	}
	return tw.Flush()
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// bar draws n of most as a bar of at most width blocks.
func bar(n, most, width int) string {
	if most == 0 || n == 0 {
		return ""
	}
	return strings.Repeat("█", max(1, n*width/most))
}

func histogram(counts []int, capAt int) string {
	parts := make([]string, len(counts))
	for i, n := range counts {
		label := fmt.Sprint(i)
		if i == capAt {
			label += "+"
		}
		parts[i] = fmt.Sprintf("%s:%d", label, n)
	}
	return strings.Join(parts, "  ")
}

// curve prints counts as percentages of their sum, tab-separated.
func curve(counts [5]int) string {
	sum := 0
	for _, n := range counts {
		sum += n
	}
	parts := make([]string, len(counts))
	for i, n := range counts {
		if sum == 0 {
			parts[i] = "—"
			continue
		}
		parts[i] = fmt.Sprintf("%.0f%% (%d)", 100*float64(n)/float64(sum), n)
	}
	return strings.Join(parts, "\t")
}

func seeds(pct [5]float64) string {
	parts := make([]string, len(pct))
	for i, v := range pct {
		parts[i] = fmt.Sprintf("%.0f%%", v)
	}
	return strings.Join(parts, "\t")
}

func num(v float64, unit string) string {
	if unit == "minutes" {
		return fmtMinutes(v)
	}
	return fmt.Sprintf("%.1f%%", v)
}

func optPercent(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *v)
}

func optMinutes(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmtMinutes(*v)
}

func optMoney(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f", *v)
}

// fmtMinutes writes minutes as "12m", "12m30s", "3h05m" or "2d04h".
func fmtMinutes(m float64) string {
	d := time.Duration(m * float64(time.Minute)).Round(time.Second)
	switch {
	case d < time.Hour:
		if d%time.Minute == 0 {
			return fmt.Sprintf("%dm", int(d.Minutes()))
		}
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	default:
		return fmt.Sprintf("%dd%02dh", int(d.Hours())/24, int(d.Hours())%24)
	}
}
