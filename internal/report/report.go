// Package report measures what the seeds say to measure: leads per week,
// response time in business time, the follow-up rate, conversions per rep
// and per source, follow-up depth against the seeds' curves, the lead map
// and the money — each against the team's goals.
//
// Every figure is computed from the leads' append-only touch logs and
// hand-offs as of a given time (never from stored counters, never from the
// clock): what was logged after that time is ignored. The leads are read
// in one bounded-memory pass (store.ScanHistories).
package report

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// Scanner reads every lead with its touch log; *store.Store is one.
type Scanner interface {
	ScanHistories(want func(*store.LeadHistory) bool, fn func(*store.LeadHistory) error) error
}

// RangeScanner is a Scanner that also reads the leads of a range of ids,
// so that a report over many leads is computed in parts side by side;
// *store.Store is one.
type RangeScanner interface {
	Scanner
	LeadIDSpan() (lo, hi cadence.LeadID, err error)
	ScanHistoriesBetween(from, to cadence.LeadID, want func(*store.LeadHistory) bool, fn func(*store.LeadHistory) error) error
}

// minPartLeads is the fewest lead ids a part of a report is worth a
// goroutine for, maxParts the most parts, and cores how many run at once
// (variables for tests).
var (
	minPartLeads, maxParts = 50_000, 4
	cores                  = func() int { return runtime.GOMAXPROCS(0) }
)

// Options say what to report on and how.
type Options struct {
	// Policy gives business time, the SLA and the cadence.
	Policy cadence.Policy
	// Now is the time the report is as of: nothing after it counts.
	Now time.Time
	// Since and Until bound the period, by receipt: leads received at or
	// after Since and before Until. A zero Since means from the start; a
	// zero Until (or one after Now) means Now.
	Since, Until time.Time
	// Rep and Source, when set, keep only the leads of that owner (as of
	// Now) or from that source.
	Rep, Source string
	// Goals are the targets to mark met or missed.
	Goals Goals
	// Costs is the cost of one lead by source; a source not in it has no
	// known cost.
	Costs map[string]float64
	// Untouched is how many of the oldest untouched leads to list; 0 lists
	// none, a negative number all (memory grows with them).
	Untouched int
	// LeftAfter is how long past its due time a touched lead's next touch
	// may be before the lead counts as left, abandoned past the cadence.
	// Zero means DefaultLeftAfter.
	LeftAfter cadence.Offset
}

// DefaultLeftAfter is how overdue a lead's next touch may get before the
// lead counts as abandoned: a working week.
var DefaultLeftAfter = cadence.Offset{N: 5, Unit: cadence.BusinessDays}

// Goals are the team's targets. A zero goal is not set.
type Goals struct {
	FollowUpRate   float64       // percent of leads with at least one contact attempt, at least
	MedianResponse time.Duration // median business time from receipt to first contact, at most
	QualifiedRate  float64       // percent of leads that became qualified prospects, at least
	WonRate        float64       // percent of leads that became orders, at least
}

// period returns the report's receipt period [since, until).
func (o *Options) period() (since, until time.Time) {
	until = o.Until
	if until.IsZero() || until.After(o.Now) {
		until = o.Now
	}
	return o.Since, until
}

// Build reads every lead through s and computes the report.
func Build(s Scanner, opts Options) (*Report, error) {
	if opts.Now.IsZero() {
		return nil, fmt.Errorf("a report needs the time it is as of")
	}
	if opts.LeftAfter.N == 0 {
		opts.LeftAfter = DefaultLeftAfter
	}
	b := newBuilder(&opts)
	rs, ok := s.(RangeScanner)
	if !ok {
		if err := s.ScanHistories(b.want, b.add); err != nil {
			return nil, err
		}
		return b.report(), nil
	}
	lo, hi, err := rs.LeadIDSpan()
	if err != nil {
		return nil, err
	}
	parts := min(cores(), maxParts, int(hi-lo)/minPartLeads+1)
	if parts <= 1 {
		if err := s.ScanHistories(b.want, b.add); err != nil {
			return nil, err
		}
		return b.report(), nil
	}
	// Each part reads its range of ids in its own read transaction into
	// an accumulator of its own; accumulators of disjoint leads merge.
	builders := make([]*builder, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	step := (hi - lo) / cadence.LeadID(parts)
	for i := range parts {
		from, to := lo+cadence.LeadID(i)*step, lo+cadence.LeadID(i+1)*step
		if i == 0 {
			from = 0
		}
		if i == parts-1 {
			to = 0 // to the end, leads added meanwhile included
		}
		builders[i] = newBuilder(&opts)
		wg.Add(1)
		go func(pb *builder) {
			defer wg.Done()
			errs[i] = rs.ScanHistoriesBetween(from, to, pb.want, pb.add)
		}(builders[i])
	}
	wg.Wait()
	for i, pb := range builders {
		if errs[i] != nil {
			return nil, errs[i]
		}
		b.acc.merge(pb.acc)
	}
	return b.report(), nil
}

// builder turns lead histories into an accumulator.
type builder struct {
	opts         *Options
	since, until time.Time
	loc          *time.Location
	acc          *acc
	buf          []cadence.Touch
	biz          *cadence.BusinessTable // the calendar's business time, as a table
	lastDay      cadence.Date           // the last receipt date weekOfReceipt saw
	lastMonday   cadence.Date           // its Monday
	mondays      map[cadence.Date]cadence.Date
}

func newBuilder(opts *Options) *builder {
	b := &builder{opts: opts, acc: newAcc(opts.Untouched), loc: opts.Policy.Calendar.Location, mondays: map[cadence.Date]cadence.Date{}}
	if b.loc == nil {
		b.loc = time.UTC
	}
	b.since, b.until = opts.period()
	from := b.since
	if from.IsZero() {
		from = b.until.AddDate(0, 0, -120) // the table grows to older leads
	}
	b.biz = cadence.NewBusinessTable(opts.Policy.Calendar, from, opts.Now)
	return b
}

// want reports whether a lead belongs to the report, from its fields and
// hand-offs alone (its touches are then not read at all).
func (b *builder) want(h *store.LeadHistory) bool {
	if h.IsName() {
		return false // a name on the nurture list, not a lead
	}
	if entered(h).After(b.opts.Now) || h.ReceivedAt.Before(b.since) || !h.ReceivedAt.Before(b.until) {
		return false
	}
	if b.opts.Source != "" && h.Source != b.opts.Source {
		return false
	}
	if b.opts.Rep != "" {
		if owner, _, _ := ownerAsOf(h, b.opts.Now); owner != b.opts.Rep {
			return false
		}
	}
	return true
}

// add counts one lead.
func (b *builder) add(h *store.LeadHistory) error {
	f, eff, err := factsOf(&b.opts.Policy, h, b.opts.Now, b.buf)
	b.buf = eff
	if err != nil {
		return err
	}
	l := leadFigures{facts: f, received: h.ReceivedAt, entered: entered(h)}
	// As cadence.Policy.SLABreached, from the table.
	due := b.biz.AddBusiness(h.ReceivedAt, b.opts.Policy.FirstResponse)
	if f.firstContact.IsZero() {
		l.slaBreached = b.opts.Now.After(due)
	} else {
		l.slaBreached = f.firstContact.After(due)
		l.response = max(b.biz.BusinessBetween(h.ReceivedAt, f.firstContact), 0)
	}
	if f.status == cadence.StatusOpen && !f.firstContact.IsZero() && !f.nextDue.IsZero() {
		l.left = b.overdue(f.nextDue)
	}
	u := untouchedLead{id: h.ID, owner: f.owner, source: h.Source, received: h.ReceivedAt, breached: l.slaBreached}
	if f.firstContact.IsZero() {
		u.name = h.Name
	}
	b.acc.add(&l, b.weekOfReceipt(h.ReceivedAt), &u)
	return nil
}

// overdue reports whether a next touch due at due is more than LeftAfter
// past due as of now.
func (b *builder) overdue(due time.Time) bool {
	left := b.opts.LeftAfter
	// Business days and calendar days are each at least a day long (give
	// or take a daylight-saving hour): a touch due less than that ago is
	// not overdue by that much, and needs no calendar walk.
	if left.Unit == cadence.Days || left.Unit == cadence.BusinessDays {
		if b.opts.Now.Sub(due) < time.Duration(left.N)*24*time.Hour-2*time.Hour {
			return false
		}
	}
	return b.biz.Add(due, left).Before(b.opts.Now)
}

// weekOf returns the Monday of t's week in loc.
func weekOf(t time.Time, loc *time.Location) cadence.Date {
	return mondayOf(cadence.DateOf(t.In(loc)))
}

// mondayOf returns the Monday of d's week.
func mondayOf(d cadence.Date) cadence.Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

// weekOfReceipt returns the Monday of the week a lead received at t came
// in, remembering the last date asked about: leads are read in id order,
// which is mostly the order they came in.
func (b *builder) weekOfReceipt(t time.Time) cadence.Date {
	d := b.biz.DateOf(t)
	if d != b.lastDay {
		m, ok := b.mondays[d]
		if !ok {
			m = mondayOf(d)
			b.mondays[d] = m
		}
		b.lastDay, b.lastMonday = d, m
	}
	return b.lastMonday
}
