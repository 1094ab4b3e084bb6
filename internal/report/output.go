package report

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/followuphq/followup/cadence"
)

// Report is the computed report. Its JSON form is a stable contract,
// documented in the README's "Reports" section. Durations are minutes
// (business minutes for response times); rates are percentages; a figure
// that cannot be computed (a rate of no leads) is null.
type Report struct {
	AsOf      time.Time  `json:"as_of"`
	Since     *time.Time `json:"since"`
	Until     time.Time  `json:"until"`
	Rep       string     `json:"rep,omitempty"`
	Source    string     `json:"source,omitempty"`
	LeftAfter string     `json:"left_after"`

	Figures
	Weeks          []Week      `json:"weeks"`
	UntouchedLeads []Untouched `json:"untouched_leads"`
	Depth          Depth       `json:"depth"`
	LeadMap        LeadMap     `json:"lead_map"`
	Money          Money       `json:"money"`
	Reps           []Group     `json:"by_rep"`
	Sources        []Group     `json:"by_source"`
	Goals          []Goal      `json:"goals"`
	GoalsMissed    int         `json:"goals_missed"`
	SLAMinutes     float64     `json:"sla_minutes"`
	SeedsGaveUp    [5]float64  `json:"seeds_gave_up"`
	SeedsWonAt     [5]float64  `json:"seeds_won_at"`
	ResponseBand   [5]string   `json:"response_band_names"`
}

// Figures are the counts and rates of one group of leads.
type Figures struct {
	Leads         int      `json:"leads"`
	Contacted     int      `json:"contacted"`
	Untouched     int      `json:"untouched_count"`
	FollowUpRate  *float64 `json:"follow_up_rate"`
	Response      Response `json:"response"`
	Qualified     int      `json:"qualified"`
	Won           int      `json:"won"`
	Lost          int      `json:"lost"`
	DoNotContact  int      `json:"do_not_contact"`
	QualifiedRate *float64 `json:"qualified_rate"`
	WonRate       *float64 `json:"won_rate"`
}

// Response is the response time of contacted leads, in business minutes,
// and the SLA.
type Response struct {
	Median *float64 `json:"median_minutes"`
	P90    *float64 `json:"p90_minutes"`
	Bands  [5]int   `json:"bands"`
	// SLAMet and SLABreached count contacted leads in time and late, plus
	// untouched leads past due (breached); SLAPending counts untouched
	// leads not yet due.
	SLAMet      int `json:"sla_met"`
	SLABreached int `json:"sla_breached"`
	SLAPending  int `json:"sla_pending"`
}

// Week is the count of leads received in the week starting Monday Start.
type Week struct {
	Start cadence.Date `json:"week"`
	Leads int          `json:"leads"`
}

// Untouched is a lead nobody has tried to reach yet.
type Untouched struct {
	ID          cadence.LeadID `json:"id"`
	Name        string         `json:"name"`
	Owner       string         `json:"owner"`
	Source      string         `json:"source"`
	ReceivedAt  time.Time      `json:"received_at"`
	AgeMinutes  float64        `json:"age_minutes"`
	SLABreached bool           `json:"sla_breached"`
}

// Depth is how far leads were followed up.
type Depth struct {
	// Contacts[i] counts leads with i contact attempts; the last counts
	// DepthCap or more.
	Contacts [DepthCap + 1]int `json:"contacts_per_lead"`
	// GaveUpAt counts abandoned leads by the contact attempt after which
	// they were abandoned: 1, 2, 3, 4, 5 or more. A lead is abandoned when
	// it was closed lost without the prospect's reason, or left open with
	// its next touch overdue by more than LeftAfter.
	GaveUpAt     [5]int `json:"gave_up_at"`
	LostNoReason int    `json:"lost_without_reason"`
	Left         int    `json:"left_past_cadence"`
	// WonAt counts won leads by the contact attempt the order came on.
	WonAt [5]int `json:"won_at"`
}

// LeadMap is the path of a lead from receipt to first contact: median
// minutes (wall-clock) of each step, and how many hands it passed through.
type LeadMap struct {
	ReceivedToEntered      *float64 `json:"received_to_entered_minutes"`
	EnteredToAssigned      *float64 `json:"entered_to_assigned_minutes"`
	AssignedToFirstContact *float64 `json:"assigned_to_first_contact_minutes"`
	ReceivedToFirstContact *float64 `json:"received_to_first_contact_minutes"`
	HandOffs               int      `json:"hand_offs"`
	HandedLeads            int      `json:"handed_leads"`
	HandOffsPerLead        *float64 `json:"hand_offs_per_lead"`
}

// Money is what the leads cost: each lead costs its source's cost.
type Money struct {
	CostPerLead    *float64 `json:"cost_per_lead"` // null: mixed or unknown
	Spend          float64  `json:"spend"`
	CostPerOrder   *float64 `json:"cost_per_order"`
	UntouchedSpend float64  `json:"untouched_spend"`
	UnknownCost    int      `json:"leads_without_cost"` // leads whose source has no cost
}

// Group is the figures of one rep's or one source's leads.
type Group struct {
	Name string `json:"name"`
	Figures
	Depth   Depth   `json:"depth"`
	LeadMap LeadMap `json:"lead_map"`
	Money   Money   `json:"money"`
}

// Goal is one goal and whether it was met.
type Goal struct {
	Name   string   `json:"name"`
	Goal   float64  `json:"goal"`
	Actual *float64 `json:"actual"`
	Unit   string   `json:"unit"`   // "percent" or "minutes"
	Status string   `json:"status"` // "met", "missed", or "no data"
}

// Goal statuses.
const (
	GoalMet    = "met"
	GoalMissed = "missed"
	GoalNoData = "no data"
)

func (b *builder) report() *Report {
	o := b.opts
	r := &Report{
		AsOf: o.Now.In(b.loc), Until: b.until.In(b.loc), Rep: o.Rep, Source: o.Source,
		LeftAfter:    o.LeftAfter.String(),
		SLAMinutes:   minutes(o.Policy.FirstResponse),
		SeedsGaveUp:  SeedsGaveUp,
		SeedsWonAt:   SeedsWonAt,
		ResponseBand: BandNames,
	}
	if !b.since.IsZero() {
		s := b.since.In(b.loc)
		r.Since = &s
	}
	a := b.acc
	total := a.totals()
	r.Figures = figures(&total)
	r.Depth = depth(&total)
	r.LeadMap = leadMap(&total)
	r.Money = b.money(&total, a.sources)
	for _, name := range sortedKeys(a.reps) {
		t := a.reps[name]
		r.Reps = append(r.Reps, Group{Name: name, Figures: figures(t), Depth: depth(t), LeadMap: leadMap(t), Money: b.money(t, nil)})
	}
	for _, name := range sortedKeys(a.sources) {
		t := a.sources[name]
		r.Sources = append(r.Sources, Group{Name: name, Figures: figures(t), Depth: depth(t), LeadMap: leadMap(t),
			Money: b.money(t, map[string]*tally{name: t})})
	}
	r.Weeks = weeks(a.weeks, b.since, b.until, b.loc)
	r.UntouchedLeads = make([]Untouched, 0, len(a.untouched))
	for _, u := range a.untouched {
		r.UntouchedLeads = append(r.UntouchedLeads, Untouched{ID: u.id, Name: u.name, Owner: u.owner, Source: u.source,
			ReceivedAt: u.received.In(b.loc), AgeMinutes: minutes(o.Now.Sub(u.received)), SLABreached: u.breached})
	}
	r.Goals = goals(o.Goals, &total, &r.Figures)
	for _, g := range r.Goals {
		if g.Status == GoalMissed {
			r.GoalsMissed++
		}
	}
	if r.Reps == nil {
		r.Reps = []Group{}
	}
	if r.Sources == nil {
		r.Sources = []Group{}
	}
	return r
}

func figures(t *tally) Figures {
	f := Figures{
		Leads: t.leads, Contacted: t.contacted, Untouched: t.untouched,
		FollowUpRate: rate(t.contacted, t.leads),
		Qualified:    t.qualified, Won: t.won, Lost: t.lost, DoNotContact: t.doNotContact,
		QualifiedRate: rate(t.qualified, t.leads), WonRate: rate(t.won, t.leads),
		Response: Response{Bands: t.bands, SLAMet: t.slaMet, SLABreached: t.slaBreached, SLAPending: t.slaPending},
	}
	f.Response.Median = quantile(&t.response, 0.5)
	f.Response.P90 = quantile(&t.response, 0.9)
	return f
}

func depth(t *tally) Depth {
	return Depth{Contacts: t.depth, GaveUpAt: t.gaveUpAt, LostNoReason: t.lostNoReason, Left: t.left, WonAt: t.wonAt}
}

func leadMap(t *tally) LeadMap {
	m := LeadMap{
		ReceivedToEntered:      quantile(&t.toEntered, 0.5),
		EnteredToAssigned:      quantile(&t.toAssigned, 0.5),
		AssignedToFirstContact: quantile(&t.toFirst, 0.5),
		ReceivedToFirstContact: quantile(&t.toReach, 0.5),
		HandOffs:               t.handOffs,
		HandedLeads:            t.handed,
	}
	if t.leads > 0 {
		v := round2(float64(t.handOffs) / float64(t.leads))
		m.HandOffsPerLead = &v
	}
	return m
}

// money prices t's leads. bySource splits them by source (the whole
// report's and one source's); nil prices a rep's leads, whose sources are
// not kept apart, at nothing known.
func (b *builder) money(t *tally, bySource map[string]*tally) Money {
	var m Money
	if bySource == nil {
		m.UnknownCost = t.leads
		return m
	}
	costs := map[float64]bool{}
	for name, s := range bySource {
		cost, ok := b.opts.Costs[name]
		if !ok {
			m.UnknownCost += s.leads
			continue
		}
		costs[cost] = true
		m.Spend += cost * float64(s.leads)
		m.UntouchedSpend += cost * float64(s.untouched)
	}
	m.Spend, m.UntouchedSpend = round2(m.Spend), round2(m.UntouchedSpend)
	if len(costs) == 1 && m.UnknownCost == 0 {
		for c := range costs {
			m.CostPerLead = &c
		}
	}
	if t.won > 0 && m.UnknownCost == 0 {
		v := round2(m.Spend / float64(t.won))
		m.CostPerOrder = &v
	}
	return m
}

// weeks lists every week from the first to the last with leads (or the
// period's bounds, when set), counting weeks without leads as 0.
func weeks(counts map[cadence.Date]int, since, until time.Time, loc *time.Location) []Week {
	out := []Week{}
	if len(counts) == 0 {
		return out
	}
	var first, last cadence.Date
	for d := range counts {
		if first == (cadence.Date{}) || dateLess(d, first) {
			first = d
		}
		if last == (cadence.Date{}) || dateLess(last, d) {
			last = d
		}
	}
	if !since.IsZero() {
		first = weekOf(since, loc)
	}
	if u := weekOf(until.Add(-time.Nanosecond), loc); dateLess(last, u) {
		last = u
	}
	for d := first; !dateLess(last, d); d = d.AddDays(7) {
		out = append(out, Week{Start: d, Leads: counts[d]})
	}
	return out
}

func dateLess(a, b cadence.Date) bool {
	return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Month, b.Month), cmp.Compare(a.Day, b.Day)) < 0
}

func sortedKeys(m map[string]*tally) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func rate(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	v := math.Round(1000*float64(n)/float64(of)) / 10
	return &v
}

func quantile(d *Dist, q float64) *float64 {
	v, ok := d.Quantile(q)
	if !ok {
		return nil
	}
	m := minutes(v)
	return &m
}

// minutes returns d in minutes, to a tenth.
func minutes(d time.Duration) float64 { return math.Round(d.Minutes()*10) / 10 }

func round2(v float64) float64 { return math.Round(v*100) / 100 }
