package cadence

import (
	"fmt"
	"time"
)

// Verdict answers whether a channel may be used on a lead now, and if not,
// why not and from when it may (zero when never).
type Verdict struct {
	Allowed bool
	Why     string
	Next    time.Time
}

// reason is why a rule denies, formatted only when someone reads it: the
// queue asks "callable?" of every row of every frame.
type reason struct {
	format string
	args   []any
}

func (r reason) String() string { return fmt.Sprintf(r.format, r.args...) }

// denial is a rule's answer: allowed, or not with a reason and a time.
type denial struct {
	denied bool
	next   time.Time
	why    reason
}

var allowed = denial{}

func deny(next time.Time, format string, args ...any) denial {
	return denial{denied: true, next: next, why: reason{format, args}}
}

// CanContact applies the contact rules to one channel: do-not-contact blocks
// every channel; calls and texts need a working phone, texts an opt-in;
// contacts keep the minimum gap unless the lead is due; calls and texts only
// inside the lead's local calling window; at most MaxCallsPerDay calls in
// 24 hours.
func (p Policy) CanContact(l *Lead, ch Channel, now time.Time) Verdict {
	d := p.check(l, ch, now)
	if !d.denied {
		return Verdict{Allowed: true}
	}
	return Verdict{Why: d.why.String(), Next: d.next}
}

// Allowed is CanContact's yes or no, without the reason.
func (p Policy) Allowed(l *Lead, ch Channel, now time.Time) bool {
	return !p.check(l, ch, now).denied
}

// check applies the contact rules in order; the first that denies answers.
func (p Policy) check(l *Lead, ch Channel, now time.Time) denial {
	switch {
	case l.Status == StatusDoNotContact:
		return deny(time.Time{}, "do not contact: every channel is blocked")
	case l.IsName():
		return deny(time.Time{}, "a name on the nurture list, not yet a lead")
	case !l.IsOpen():
		return deny(time.Time{}, "the lead is closed (%s)", l.Status)
	case ch.NeedsPhone() && l.Phone == "":
		return deny(time.Time{}, "no phone number")
	case ch.NeedsPhone() && l.PhoneBad:
		return deny(time.Time{}, "the phone number is marked bad")
	case ch == SMS && !l.SMSOptIn:
		return deny(time.Time{}, "no SMS opt-in")
	case ch == Email && l.Email == "":
		return deny(time.Time{}, "no email address")
	}
	if !ch.IsContact() {
		return allowed
	}
	dueNow := !l.NextDue.IsZero() && !now.Before(l.NextDue)
	if !l.LastContactAt.IsZero() && !dueNow && l.NextChannel != Meeting {
		if next := p.add(l.LastContactAt, p.MinGap); now.Before(next) {
			return deny(next, "last contact %s; wait the minimum gap of %s", ago(now.Sub(l.LastContactAt)), p.MinGap)
		}
	}
	if ch.NeedsPhone() {
		if d := p.callWindow(l, now); d.denied {
			return d
		}
	}
	if ch == Call && p.MaxCallsPerDay > 0 {
		var recent []time.Time
		for _, c := range l.RecentCalls {
			if now.Sub(c) < 24*time.Hour && !c.After(now) {
				recent = append(recent, c)
			}
		}
		if len(recent) >= p.MaxCallsPerDay {
			return deny(recent[len(recent)-p.MaxCallsPerDay].Add(24*time.Hour),
				"%d calls in the last 24 hours, the most allowed", len(recent))
		}
	}
	return allowed
}

// callWindow checks the lead's local time against the calling window.
func (p Policy) callWindow(l *Lead, now time.Time) denial {
	loc := l.Location(teamZone(p.Calendar))
	local := now.In(loc)
	clock := ClockTime(local.Hour()*60 + local.Minute())
	if clock >= p.CallWindowOpen && clock < p.CallWindowClose {
		return allowed
	}
	day := DateOf(local)
	if clock >= p.CallWindowClose {
		day = DateOf(time.Date(day.Year, day.Month, day.Day+1, 12, 0, 0, 0, loc))
	}
	next := day.In(loc, p.CallWindowOpen)
	return deny(next, "%s for the lead (%s), outside the calling window %s–%s",
		local.Format("15:04"), loc, p.CallWindowOpen, p.CallWindowClose)
}

// Action is the next thing to do with a lead.
type Action struct {
	Channel  Channel
	Step     int // 1-based step number; 0 in nurture
	Of       int // number of steps in the plan
	Nurture  bool
	Label    string
	Due      time.Time
	Switched string // why the planned channel was switched for one allowed now, or ""
}

// NextAction returns the lead's next action as of now. When the planned
// channel is not allowed now but another is (a call outside the calling
// window, say), the action switches to the allowed channel and says why.
func (p Policy) NextAction(l *Lead, now time.Time) Action { return p.nextAction(l, now, true) }

// PlannedAction is NextAction without the sentence saying why a channel was
// switched (Switched stays empty) and, for an untouched lead, without Due
// (its SLA due time: see SLADue): cheaper, for drawing many rows.
func (p Policy) PlannedAction(l *Lead, now time.Time) Action { return p.nextAction(l, now, false) }

func (p Policy) nextAction(l *Lead, now time.Time, explain bool) Action {
	step, nurture := p.Plan.StepAt(l.Step)
	a := Action{Of: len(p.Plan.Steps), Nurture: nurture, Label: step.Label, Due: l.NextDue}
	if !nurture {
		a.Step = l.Step + 1
	}
	if l.Untouched() && explain {
		a.Due = p.SLADue(l)
	}
	a.Channel = p.channelFor(l, step.Channel)
	if l.NextChannel != NoChannel {
		a.Channel = l.NextChannel
		a.Label = l.NextChannel.String()
	}
	if !a.Channel.NeedsPhone() {
		return a
	}
	d := p.check(l, a.Channel, now)
	if !d.denied || d.next.IsZero() {
		return a
	}
	for _, alt := range []Channel{Email, Social} {
		if p.Allowed(l, alt, now) {
			if explain {
				a.Switched = fmt.Sprintf("%s not allowed now: %s", a.Channel, d.why)
			}
			a.Channel = alt
			break
		}
	}
	return a
}

// teamZone returns the calendar's timezone, UTC when unset.
func teamZone(c Calendar) *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// TouchChannel is the channel a touch with outcome o is logged on when the
// rep does not name one: a voicemail or a bad number was a call; otherwise
// the next action's channel, except that research is no contact and a
// missed meeting was chased by phone, so those become a call (an email
// without a working phone).
func (p Policy) TouchChannel(l *Lead, o Outcome, now time.Time) Channel {
	fallback := Call
	if l.Phone == "" || l.PhoneBad {
		fallback = Email
	}
	switch o {
	case Voicemail, BadNumber:
		return Call
	}
	ch := p.NextAction(l, now).Channel
	if ch == Research || ch == Meeting && o == NoAnswer {
		return fallback
	}
	return ch
}

// agoText says how long ago something was: "just now", "5m ago".
type agoText time.Duration

func (a agoText) String() string {
	if time.Duration(a) < time.Minute {
		return "just now"
	}
	return HumanDuration(time.Duration(a)) + " ago"
}

func ago(d time.Duration) agoText { return agoText(d) }
