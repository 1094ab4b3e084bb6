package cadence

import (
	"fmt"
	"maps"
	"time"
)

// Policy is everything the team configured about following up: business
// time, the response-time SLA, the contact rules and the cadence.
type Policy struct {
	Calendar        Calendar
	FirstResponse   time.Duration // SLA: business time from receipt to first contact
	CallWindowOpen  ClockTime     // lead-local time calls may start
	CallWindowClose ClockTime     // lead-local time calls must end
	MinGap          Offset        // least time between two contact attempts
	MaxCallsPerDay  int           // call attempts per 24 hours; 0 means no cap
	Plan            Plan

	table *BusinessTable // when set (WithTable), answers for Calendar
}

// WithTable returns p answering its business-time questions from t, a
// BusinessTable of p.Calendar, which gives the same answers faster. A
// table is not safe for concurrent use, so neither is the Policy
// returned: it is for one goroutine, like a bulk generator's worker.
// It panics when t is a table of a calendar with other hours, days or
// zone (or another list of holidays).
func (p Policy) WithTable(t *BusinessTable) Policy {
	c := t.cal
	if c.Location != p.Calendar.Location || c.Open != p.Calendar.Open || c.Close != p.Calendar.Close ||
		c.Days != p.Calendar.Days || !maps.Equal(c.Holidays, p.Calendar.Holidays) {
		panic("cadence: Policy.WithTable: the table is of another calendar")
	}
	p.table = t
	return p
}

// The business-time questions a Policy asks, of its table when it has one.

func (p *Policy) add(t time.Time, o Offset) time.Time {
	if p.table != nil {
		return p.table.Add(t, o)
	}
	return p.Calendar.Add(t, o)
}

func (p *Policy) addBusiness(t time.Time, d time.Duration) time.Time {
	if p.table != nil {
		return p.table.AddBusiness(t, d)
	}
	return p.Calendar.AddBusiness(t, d)
}

func (p *Policy) businessBetween(a, b time.Time) time.Duration {
	if p.table != nil {
		return p.table.BusinessBetween(a, b)
	}
	return p.Calendar.BusinessBetween(a, b)
}

func (p *Policy) nextOpen(t time.Time) time.Time {
	if p.table != nil {
		return p.table.NextOpen(t)
	}
	return p.Calendar.NextOpen(t)
}

// DefaultPolicy is PRODUCT.md's default: business hours 09:00–17:00
// Mon–Fri in loc, a 30-minute SLA, calls 08:00–21:00 lead-local, at least
// one business day between touches, at most 3 calls a day, the default plan.
func DefaultPolicy(loc *time.Location) Policy {
	return Policy{
		Calendar:        DefaultCalendar(loc),
		FirstResponse:   30 * time.Minute,
		CallWindowOpen:  8 * 60,
		CallWindowClose: 21 * 60,
		MinGap:          Offset{N: 1, Unit: BusinessDays},
		MaxCallsPerDay:  3,
		Plan:            DefaultPlan(),
	}
}

// Validate checks the policy as a whole; each error is one sentence.
func (p Policy) Validate() error {
	if err := p.Calendar.Validate(); err != nil {
		return err
	}
	if p.FirstResponse <= 0 {
		return fmt.Errorf("the first-response SLA must be more than zero, e.g. 30m")
	}
	if p.CallWindowOpen >= p.CallWindowClose {
		return fmt.Errorf("the calling window opens at %s but closes at %s; the opening must come first", p.CallWindowOpen, p.CallWindowClose)
	}
	if p.MaxCallsPerDay < 0 {
		return fmt.Errorf("max calls per day must be 0 (no cap) or more")
	}
	return p.Plan.Validate()
}

// SLA is the response-time clock of a lead.
type SLA struct {
	Due      time.Time     // received + first response, in business time
	Met      bool          // first contact made by Due
	Breached bool          // first contact late, or none yet and Due has passed
	By       time.Duration // business time past Due (breached) or left until Due (open, not breached)
}

// SLADue returns when the lead's first contact is due: received plus the
// first-response time, in business time.
func (p Policy) SLADue(l *Lead) time.Time {
	return p.addBusiness(l.ReceivedAt, p.FirstResponse)
}

// SLABreached reports whether the SLA is breached as of now: the first
// contact came late, or has not come and the due time has passed. Cheaper
// than SLAOf, which also measures by how much.
func (p Policy) SLABreached(l *Lead, now time.Time) bool {
	due := p.SLADue(l)
	if !l.FirstContactAt.IsZero() {
		return l.FirstContactAt.After(due)
	}
	return now.After(due)
}

// SLAOf returns the lead's response-time SLA as of now.
func (p Policy) SLAOf(l *Lead, now time.Time) SLA {
	due := p.SLADue(l)
	s := SLA{Due: due}
	switch {
	case !l.FirstContactAt.IsZero():
		s.Breached = l.FirstContactAt.After(due)
		s.Met = !s.Breached
		if s.Breached {
			s.By = p.businessBetween(due, l.FirstContactAt)
		}
	case now.After(due):
		s.Breached = true
		s.By = p.businessBetween(due, now)
	default:
		s.By = p.businessBetween(now, due)
	}
	return s
}

// Apply returns the lead as it is after the touch: counts, first contact,
// status, and the next step with its due time. It does not change l.
func (p Policy) Apply(l Lead, t Touch) (Lead, error) {
	if l.IsName() {
		return l, fmt.Errorf("%d is a name on the nurture list, not yet a lead: it takes touches once it qualifies", l.ID)
	}
	if !l.IsOpen() {
		return l, fmt.Errorf("lead %d is closed (%s); a closed lead takes no more touches", l.ID, l.Status)
	}
	if t.Outcome == NoOutcome {
		return l, fmt.Errorf("a touch needs an outcome; use one of %s", joinStrings(Outcomes))
	}
	if t.Channel == NoChannel {
		return l, fmt.Errorf("a touch needs a channel; use one of %s", joinStrings(Channels))
	}
	if !t.Channel.IsContact() && t.Outcome != NoAnswer && t.Outcome != Connected {
		return l, fmt.Errorf("outcome %s needs a contact channel, not %s", t.Outcome, t.Channel)
	}
	if t.Outcome.NeedsDate() {
		if t.Until.IsZero() {
			return l, fmt.Errorf("outcome %s needs a date: when to touch the lead again", t.Outcome)
		}
		if !t.Until.After(t.At) {
			return l, fmt.Errorf("outcome %s needs a date after the touch (%s), not %s", t.Outcome,
				t.At.Format(time.RFC3339), t.Until.Format(time.RFC3339))
		}
		if t.Until.After(t.At.AddDate(MaxYearsAhead, 0, 0)) {
			return l, fmt.Errorf("outcome %s: %s is more than %d years ahead; check the date", t.Outcome,
				t.Until.Format("2006-01-02"), MaxYearsAhead)
		}
	}
	if t.Outcome.NeedsReason() && t.Note == "" {
		return l, fmt.Errorf("outcome lost needs the reason the prospect gave, as a note")
	}

	l = l.Clone()
	l.Touches++
	l.LastTouchAt = t.At
	if t.Channel.IsContact() {
		if l.FirstContactAt.IsZero() {
			l.FirstContactAt = t.At
		}
		l.LastContactAt = t.At
	}
	if t.Channel == Call {
		l.RecentCalls = append(callsWithin(l.RecentCalls, t.At, p.MaxCallsPerDay), t.At)
	}

	switch t.Outcome {
	case Won, Lost, DoNotContact:
		l.Status = map[Outcome]Status{Won: StatusWon, Lost: StatusLost, DoNotContact: StatusDoNotContact}[t.Outcome]
		l.ClosedAt = t.At
		if t.Outcome == Lost {
			l.LostReason = t.Note
		}
		l.NextDue = time.Time{}
		l.NextChannel = NoChannel
		return l, nil
	case MeetingBooked:
		l.NextDue = t.Until
		l.NextChannel = Meeting
		return l, nil
	case NotNow:
		// "Call me on Tuesday": the next touch is on the same channel.
		l.NextDue = t.Until
		l.NextChannel = NoChannel
		if t.Channel.IsContact() && t.Channel != Meeting {
			l.NextChannel = t.Channel
		}
		return l, nil
	case BadNumber:
		l.PhoneBad = true
	case Qualified:
		if !l.Qualified {
			l.Qualified = true
			l.QualifiedAt = t.At
		}
	}
	if l.Untouched() {
		// Research before the first contact: the first call is still due.
		return l, nil
	}
	l.Step = p.nextStep(&l, l.Step+1)
	l.NextChannel = NoChannel
	l.NextDue = p.dueFor(&l, l.Step)
	return l, nil
}

// MaxYearsAhead bounds the dates an outcome may schedule: a later one is a
// typo (and past what the store's clock can hold).
const MaxYearsAhead = 10

// Replay recomputes a lead's follow-up state from its touch log: base is
// the lead as entered, touches in the order logged. A correction takes the
// place of the touch it supersedes (at that touch's time), so the state is
// what it would be had the mistake never happened; corrections of
// corrections follow the chain to the latest.
func (p Policy) Replay(base Lead, touches []Touch) (Lead, error) {
	correction := make(map[TouchID]Touch)
	for _, t := range touches {
		if t.Supersedes != 0 {
			correction[t.Supersedes] = t
		}
	}
	l := base.ResetFollowUp()
	for _, t := range touches {
		if t.Supersedes != 0 {
			continue // applied in the place of the touch it corrects
		}
		eff := t
		for {
			c, ok := correction[eff.ID]
			if !ok {
				break
			}
			eff = c
		}
		if eff.ID != t.ID {
			eff.At = t.At
		}
		next, err := p.Apply(l, eff)
		if err != nil {
			return l, fmt.Errorf("replay touch %d of lead %d: %w", eff.ID, l.ID, err)
		}
		l = next
	}
	return l, nil
}

// callsWithin keeps the call times of the 24 hours before now, at most
// max-1 of them (with the new call that makes max).
func callsWithin(calls []time.Time, now time.Time, max int) []time.Time {
	var kept []time.Time
	for _, c := range calls {
		if now.Sub(c) < 24*time.Hour {
			kept = append(kept, c)
		}
	}
	if max > 1 && len(kept) > max-1 {
		kept = kept[len(kept)-(max-1):]
	} else if max <= 1 {
		kept = nil
	}
	return kept
}

// nextStep returns the first step from i on whose condition the lead meets.
func (p Policy) nextStep(l *Lead, i int) int {
	for i < len(p.Plan.Steps) && p.Plan.Steps[i].Requires == RequiresSMSOptIn && !l.SMSOptIn {
		i++
	}
	return i
}

// dueFor returns when step i is due: at its offset from the first contact
// (nurture: from the last touch), never sooner than the minimum gap after
// the last contact, moved into business hours.
func (p Policy) dueFor(l *Lead, i int) time.Time {
	step, nurture := p.Plan.StepAt(i)
	anchor := l.LastTouchAt
	if !nurture && !l.FirstContactAt.IsZero() {
		anchor = l.FirstContactAt
	}
	offset := step.At
	if nurture {
		offset = p.Plan.NurtureEvery
	}
	// The owner's time away does not count: the plan resumes after it with
	// the same spacing, not with every step overdue at once.
	due := shift(p.add(anchor, offset), anchor, l.Pauses)
	if p.channelFor(l, step.Channel).IsContact() && !l.LastContactAt.IsZero() {
		if gap := p.add(l.LastContactAt, p.MinGap); gap.After(due) {
			due = gap
		}
	}
	if due.Before(l.LastTouchAt) {
		due = l.LastTouchAt
	}
	return p.nextOpen(due)
}

// channelFor returns the channel to use for a step's channel given what the
// lead allows: a call or text to a bad or missing phone becomes an email
// (or a social connect without an email).
func (p Policy) channelFor(l *Lead, ch Channel) Channel {
	switch {
	case ch.NeedsPhone() && (l.Phone == "" || l.PhoneBad):
		if l.Email != "" {
			return Email
		}
		return Social
	case ch == SMS && !l.SMSOptIn:
		return Call
	case ch == Email && l.Email == "":
		if l.Phone != "" && !l.PhoneBad {
			return Call
		}
		return Social
	}
	return ch
}
