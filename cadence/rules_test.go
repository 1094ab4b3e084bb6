package cadence_test

import (
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
)

// laLead is an untouched lead in Los Angeles with a phone and an email.
func laLead() cadence.Lead {
	l := newLead()
	l.Timezone = "America/Los_Angeles"
	l.ReceivedAt = la(2026, 1, 13, 6, 0)
	return l
}

// wantDenied fails unless v denies with a reason containing why and the
// given next time (zero: never).
func wantDenied(t *testing.T, what string, v cadence.Verdict, why string, next time.Time) {
	t.Helper()
	if v.Allowed {
		t.Errorf("%s: allowed, want denied (%s)", what, why)
		return
	}
	if !strings.Contains(v.Why, why) {
		t.Errorf("%s: reason %q does not mention %q", what, v.Why, why)
	}
	if !v.Next.Equal(next) {
		t.Errorf("%s: next %v, want %v", what, v.Next, next)
	}
}

func wantAllowed(t *testing.T, what string, v cadence.Verdict) {
	t.Helper()
	if !v.Allowed {
		t.Errorf("%s: denied: %s (next %v)", what, v.Why, v.Next)
	}
}

func TestCallingWindowIsLeadLocal(t *testing.T) {
	p := nyPolicy()
	l := laLead()

	v := p.CanContact(&l, cadence.Call, la(2026, 1, 13, 7, 30)) // 10:30 in New York
	wantDenied(t, "07:30 in Los Angeles", v, "calling window", la(2026, 1, 13, 8, 0))
	if !strings.Contains(v.Why, "07:30") || !strings.Contains(v.Why, "08:00–21:00") {
		t.Errorf("the reason %q should give the lead's time and the window", v.Why)
	}
	wantAllowed(t, "08:00 in Los Angeles", p.CanContact(&l, cadence.Call, la(2026, 1, 13, 8, 0)))
	wantAllowed(t, "20:59 in Los Angeles", p.CanContact(&l, cadence.Call, la(2026, 1, 13, 20, 59)))
	wantDenied(t, "21:00 in Los Angeles", p.CanContact(&l, cadence.Call, la(2026, 1, 13, 21, 0)), "calling window", la(2026, 1, 14, 8, 0))
	wantDenied(t, "23:59 in Los Angeles", p.CanContact(&l, cadence.Call, la(2026, 1, 13, 23, 59)), "calling window", la(2026, 1, 14, 8, 0))
	wantDenied(t, "00:30 in Los Angeles", p.CanContact(&l, cadence.Call, la(2026, 1, 14, 0, 30)), "calling window", la(2026, 1, 14, 8, 0))
	// Email has no window.
	wantAllowed(t, "email at 05:00 in Los Angeles", p.CanContact(&l, cadence.Email, la(2026, 1, 13, 5, 0)))

	// A lead without a zone (or with an unknown one) uses the team's.
	for _, zone := range []string{"", "Mars/Olympus_Mons"} {
		l.Timezone = zone
		wantAllowed(t, "08:00 New York, zone "+zone, p.CanContact(&l, cadence.Call, ny(2026, 1, 13, 8, 0)))
		wantDenied(t, "07:59 New York, zone "+zone, p.CanContact(&l, cadence.Call, ny(2026, 1, 13, 7, 59)), "calling window", ny(2026, 1, 13, 8, 0))
	}
}

func TestSMSNeedsOptIn(t *testing.T) {
	p := nyPolicy()
	l := laLead()
	noon := la(2026, 1, 13, 12, 0)
	wantDenied(t, "no opt-in", p.CanContact(&l, cadence.SMS, noon), "no SMS opt-in", time.Time{})
	l.SMSOptIn = true
	wantAllowed(t, "opted in, noon", p.CanContact(&l, cadence.SMS, noon))
	wantDenied(t, "opted in, 22:00", p.CanContact(&l, cadence.SMS, la(2026, 1, 13, 22, 0)), "calling window", la(2026, 1, 14, 8, 0))
}

func TestDoNotContactBlocksEveryChannel(t *testing.T) {
	p := nyPolicy()
	l := laLead()
	l.SMSOptIn = true
	l = apply(t, p, l, cadence.Touch{At: la(2026, 1, 13, 9, 0), Channel: cadence.Call, Outcome: cadence.DoNotContact})
	for _, ch := range cadence.Channels {
		wantDenied(t, ch.String(), p.CanContact(&l, ch, la(2026, 1, 20, 12, 0)), "do not contact", time.Time{})
	}
	// NextAction does not switch to a channel that is blocked too.
	if a := p.NextAction(&l, la(2026, 1, 20, 12, 0)); a.Switched != "" {
		t.Errorf("next action of a do-not-contact lead switched: %+v", a)
	}
}

func TestPhoneRules(t *testing.T) {
	p := nyPolicy()
	noon := ny(2026, 1, 13, 12, 0)

	bad := newLead()
	bad.PhoneBad = true
	bad.SMSOptIn = true
	wantDenied(t, "call a bad phone", p.CanContact(&bad, cadence.Call, noon), "marked bad", time.Time{})
	wantDenied(t, "text a bad phone", p.CanContact(&bad, cadence.SMS, noon), "marked bad", time.Time{})
	wantAllowed(t, "email with a bad phone", p.CanContact(&bad, cadence.Email, noon))

	none := newLead()
	none.Phone = ""
	wantDenied(t, "call without a phone", p.CanContact(&none, cadence.Call, noon), "no phone", time.Time{})

	noEmail := newLead()
	noEmail.Email = ""
	wantDenied(t, "email without an address", p.CanContact(&noEmail, cadence.Email, noon), "no email", time.Time{})
	wantAllowed(t, "social without an address", p.CanContact(&noEmail, cadence.Social, noon))
	wantAllowed(t, "research", p.CanContact(&noEmail, cadence.Research, noon))
}

func TestCallCap(t *testing.T) {
	p := nyPolicy()
	p.MinGap = cadence.Offset{} // 0m: only the cap applies
	l := newLead()
	for _, h := range []int{9, 11, 13} {
		l = apply(t, p, l, cadence.Touch{At: ny(2026, 1, 13, h, 0), Channel: cadence.Call, Outcome: cadence.NoAnswer})
	}
	if len(l.RecentCalls) != 3 {
		t.Fatalf("recent calls %v, want 3", l.RecentCalls)
	}
	v := p.CanContact(&l, cadence.Call, ny(2026, 1, 13, 14, 0))
	wantDenied(t, "a fourth call", v, "3 calls", ny(2026, 1, 14, 9, 0)) // the oldest call + 24h
	wantAllowed(t, "an email instead", p.CanContact(&l, cadence.Email, ny(2026, 1, 13, 14, 0)))
	wantAllowed(t, "a call 24h after the oldest", p.CanContact(&l, cadence.Call, ny(2026, 1, 14, 9, 0)))

	// A fourth call logged anyway keeps only the last three in the record.
	l = apply(t, p, l, cadence.Touch{At: ny(2026, 1, 13, 15, 0), Channel: cadence.Call, Outcome: cadence.NoAnswer})
	if len(l.RecentCalls) != 3 || !l.RecentCalls[0].Equal(ny(2026, 1, 13, 11, 0)) {
		t.Errorf("recent calls after a fourth: %v", l.RecentCalls)
	}
	wantDenied(t, "a fifth call", p.CanContact(&l, cadence.Call, ny(2026, 1, 13, 16, 0)), "3 calls", ny(2026, 1, 14, 11, 0))
	// Calls older than 24 hours drop out.
	l = apply(t, p, l, cadence.Touch{At: ny(2026, 1, 15, 10, 0), Channel: cadence.Call, Outcome: cadence.NoAnswer})
	if len(l.RecentCalls) != 1 {
		t.Errorf("recent calls two days later: %v", l.RecentCalls)
	}

	// Calls recorded under a higher cap: the next call is allowed when
	// the count drops below the cap, not when the oldest one expires.
	many := newLead()
	p5 := p
	p5.MaxCallsPerDay = 5
	for _, h := range []int{8, 9, 10, 11, 12} {
		many = apply(t, p5, many, cadence.Touch{At: ny(2026, 1, 20, h, 0), Channel: cadence.Call, Outcome: cadence.NoAnswer})
	}
	wantDenied(t, "five calls against a cap of three", p.CanContact(&many, cadence.Call, ny(2026, 1, 20, 13, 0)), "5 calls", ny(2026, 1, 21, 10, 0))

	// No cap: MaxCallsPerDay 0.
	p.MaxCallsPerDay = 0
	for _, h := range []int{9, 10, 11, 12, 13} {
		l = apply(t, p, l, cadence.Touch{At: ny(2026, 1, 16, h, 0), Channel: cadence.Call, Outcome: cadence.NoAnswer})
	}
	wantAllowed(t, "no cap", p.CanContact(&l, cadence.Call, ny(2026, 1, 16, 14, 0)))
}

func TestMinimumGap(t *testing.T) {
	p := nyPolicy()
	first := ny(2026, 1, 12, 10, 0) // Monday
	l := apply(t, p, newLead(), cadence.Touch{At: first, Channel: cadence.Call, Outcome: cadence.NoAnswer})

	v := p.CanContact(&l, cadence.Email, ny(2026, 1, 12, 14, 0))
	wantDenied(t, "an email 4h after a call", v, "minimum gap", ny(2026, 1, 13, 10, 0))
	if !strings.Contains(v.Why, "4h") || !strings.Contains(v.Why, "1bd") {
		t.Errorf("the reason %q should say how long ago and the gap", v.Why)
	}
	wantDenied(t, "a call 4h after a call", p.CanContact(&l, cadence.Call, ny(2026, 1, 12, 14, 0)), "minimum gap", ny(2026, 1, 13, 10, 0))
	wantAllowed(t, "research within the gap", p.CanContact(&l, cadence.Research, ny(2026, 1, 12, 14, 0)))
	wantAllowed(t, "an email a business day later", p.CanContact(&l, cadence.Email, ny(2026, 1, 13, 10, 0)))

	// Due inside the gap (the prospect asked for 11:00): allowed once due.
	l = apply(t, p, l, cadence.Touch{At: ny(2026, 1, 12, 10, 5), Channel: cadence.Call, Outcome: cadence.NotNow, Until: ny(2026, 1, 12, 11, 0)})
	wantDenied(t, "before the asked time", p.CanContact(&l, cadence.Call, ny(2026, 1, 12, 10, 30)), "minimum gap", ny(2026, 1, 13, 10, 5))
	wantAllowed(t, "at the asked time", p.CanContact(&l, cadence.Call, ny(2026, 1, 12, 11, 0)))
	wantAllowed(t, "after the asked time", p.CanContact(&l, cadence.Email, ny(2026, 1, 12, 11, 30)))
}

func TestNextActionSwitchesChannel(t *testing.T) {
	p := nyPolicy()
	l := laLead()
	early := la(2026, 1, 13, 7, 30)

	a := p.NextAction(&l, early)
	if a.Channel != cadence.Email {
		t.Fatalf("a call at 07:30 lead time: next action %+v, want an email", a)
	}
	if !strings.Contains(a.Switched, "call not allowed now") || !strings.Contains(a.Switched, "calling window") {
		t.Errorf("switched %q does not say why", a.Switched)
	}
	if a.Step != 1 || a.Label != "first call" {
		t.Errorf("the switched action lost its step: %+v", a)
	}

	noEmail := l
	noEmail.Email = ""
	if a := p.NextAction(&noEmail, early); a.Channel != cadence.Social || a.Switched == "" {
		t.Errorf("without an email: %+v, want social", a)
	}
	if a := p.NextAction(&l, la(2026, 1, 13, 8, 0)); a.Channel != cadence.Call || a.Switched != "" {
		t.Errorf("inside the window: %+v, want the call", a)
	}
	// A bad phone is not a switch "for now": the planned channel itself
	// changes, with no reason attached.
	bad := l
	bad.PhoneBad = true
	if a := p.NextAction(&bad, early); a.Channel != cadence.Email || a.Switched != "" {
		t.Errorf("bad phone: %+v", a)
	}
}
