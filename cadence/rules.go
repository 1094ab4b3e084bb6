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

func deny(next time.Time, format string, args ...any) Verdict {
	return Verdict{Why: fmt.Sprintf(format, args...), Next: next}
}

// CanContact applies the contact rules to one channel: do-not-contact blocks
// every channel; calls and texts need a working phone, texts an opt-in;
// contacts keep the minimum gap unless the lead is due; calls and texts only
// inside the lead's local calling window; at most MaxCallsPerDay calls in
// 24 hours.
func (p Policy) CanContact(l *Lead, ch Channel, now time.Time) Verdict {
	switch {
	case l.Status == StatusDoNotContact:
		return deny(time.Time{}, "do not contact: every channel is blocked")
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
		return Verdict{Allowed: true}
	}
	dueNow := !l.NextDue.IsZero() && !now.Before(l.NextDue)
	if !l.LastContactAt.IsZero() && !dueNow && l.NextChannel != Meeting {
		if next := p.Calendar.Add(l.LastContactAt, p.MinGap); now.Before(next) {
			return deny(next, "last contact %s ago; wait the minimum gap of %s", HumanDuration(now.Sub(l.LastContactAt)), p.MinGap)
		}
	}
	if ch.NeedsPhone() {
		if v := p.callWindow(l, now); !v.Allowed {
			return v
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
	return Verdict{Allowed: true}
}

// callWindow checks the lead's local time against the calling window.
func (p Policy) callWindow(l *Lead, now time.Time) Verdict {
	loc := l.Location(teamZone(p.Calendar))
	local := now.In(loc)
	clock := ClockTime(local.Hour()*60 + local.Minute())
	if clock >= p.CallWindowOpen && clock < p.CallWindowClose {
		return Verdict{Allowed: true}
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
func (p Policy) NextAction(l *Lead, now time.Time) Action {
	step, nurture := p.Plan.StepAt(l.Step)
	a := Action{Of: len(p.Plan.Steps), Nurture: nurture, Label: step.Label, Due: l.NextDue}
	if !nurture {
		a.Step = l.Step + 1
	}
	if l.Untouched() {
		a.Due = p.Calendar.AddBusiness(l.ReceivedAt, p.FirstResponse)
	}
	a.Channel = p.channelFor(l, step.Channel)
	if l.NextChannel != NoChannel {
		a.Channel = l.NextChannel
		a.Label = l.NextChannel.String()
	}
	if !a.Channel.NeedsPhone() {
		return a
	}
	v := p.CanContact(l, a.Channel, now)
	if v.Allowed || v.Next.IsZero() {
		return a
	}
	for _, alt := range []Channel{Email, Social} {
		if p.CanContact(l, alt, now).Allowed {
			a.Switched = fmt.Sprintf("%s not allowed now: %s", a.Channel, v.Why)
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
