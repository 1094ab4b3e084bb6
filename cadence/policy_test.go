package cadence_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/followuphq/followup/cadence"
)

// Times in these tests are New York wall times in January 2026:
// Friday the 9th, Monday the 12th (a business day; no holidays in the
// default calendar), and so on.

func loadLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var (
	nyLoc = loadLoc("America/New_York")
	laLoc = loadLoc("America/Los_Angeles")
)

// ny is a New York wall time.
func ny(y int, m time.Month, d, h, mi int) time.Time { return time.Date(y, m, d, h, mi, 0, 0, nyLoc) }

// la is a Los Angeles wall time.
func la(y int, m time.Month, d, h, mi int) time.Time { return time.Date(y, m, d, h, mi, 0, 0, laLoc) }

func nyPolicy() cadence.Policy { return cadence.DefaultPolicy(nyLoc) }

// newLead is an untouched New York lead with a phone and an email,
// received Monday 2026-01-12 09:45.
func newLead() cadence.Lead {
	return cadence.Lead{
		ID:         1,
		Name:       "Ann Lee",
		Email:      "ann@example.com",
		Phone:      "+12125550101",
		ReceivedAt: ny(2026, 1, 12, 9, 45),
		Owner:      "alice",
	}
}

// apply applies a touch or fails the test.
func apply(t *testing.T, p cadence.Policy, l cadence.Lead, tc cadence.Touch) cadence.Lead {
	t.Helper()
	tc.LeadID = l.ID
	if tc.Rep == "" {
		tc.Rep = "alice"
	}
	before := l.Clone()
	got, err := p.Apply(l, tc)
	if err != nil {
		t.Fatalf("Apply(%+v): %v", tc, err)
	}
	if !reflect.DeepEqual(l, before) {
		t.Fatalf("Apply changed the lead it was given")
	}
	return got
}

// sameTime fails the test unless got and want are the same instant.
func sameTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s: got %v, want %v", what, got.In(nyLoc), want.In(nyLoc))
	}
}

func TestApplyNoAnswerFollowsThePlan(t *testing.T) {
	p := nyPolicy()
	l := newLead()

	l = apply(t, p, l, cadence.Touch{At: ny(2026, 1, 12, 10, 0), Channel: cadence.Call, Outcome: cadence.NoAnswer})
	if l.Step != 1 || l.Touches != 1 || l.Untouched() {
		t.Fatalf("after the first call: step %d, touches %d, untouched %v", l.Step, l.Touches, l.Untouched())
	}
	sameTime(t, "first contact", l.FirstContactAt, ny(2026, 1, 12, 10, 0))
	sameTime(t, "last contact", l.LastContactAt, ny(2026, 1, 12, 10, 0))
	sameTime(t, "step 2 due", l.NextDue, ny(2026, 1, 13, 10, 0))
	if len(l.RecentCalls) != 1 {
		t.Errorf("recent calls %v, want the one call", l.RecentCalls)
	}
	a := p.NextAction(&l, ny(2026, 1, 12, 10, 0))
	if a.Channel != cadence.Research || a.Step != 2 || a.Of != 11 || a.Label != "research the company" || a.Nurture {
		t.Errorf("next action after the first call: %+v", a)
	}

	// Research reaches nobody: the contact times stay, the step moves on.
	l = apply(t, p, l, cadence.Touch{At: ny(2026, 1, 13, 10, 0), Channel: cadence.Research, Outcome: cadence.Connected})
	if l.Step != 2 || l.Touches != 2 {
		t.Fatalf("after research: step %d, touches %d", l.Step, l.Touches)
	}
	sameTime(t, "last contact after research", l.LastContactAt, ny(2026, 1, 12, 10, 0))
	sameTime(t, "last touch after research", l.LastTouchAt, ny(2026, 1, 13, 10, 0))
	sameTime(t, "step 3 due (day 2)", l.NextDue, ny(2026, 1, 14, 10, 0))
	if a := p.NextAction(&l, ny(2026, 1, 13, 10, 0)); a.Channel != cadence.Email || a.Step != 3 {
		t.Errorf("next action after research: %+v", a)
	}

	// Day 5 falls on Saturday: moved to Monday's opening.
	l = apply(t, p, l, cadence.Touch{At: ny(2026, 1, 14, 10, 0), Channel: cadence.Email, Outcome: cadence.NoAnswer})
	sameTime(t, "step 4 due (day 5, a Saturday)", l.NextDue, ny(2026, 1, 19, 9, 0))
}

// TestDefaultPlanWalk logs every step of the default cadence at its due
// time with the channel NextAction names, then a few nurture touches.
func TestDefaultPlanWalk(t *testing.T) {
	p := nyPolicy()
	l := newLead()
	at := ny(2026, 1, 12, 10, 0)
	steps := []struct {
		channel cadence.Channel
		label   string
		nextDue time.Time // after logging this step
	}{
		{cadence.Call, "first call", ny(2026, 1, 13, 10, 0)},
		{cadence.Research, "research the company", ny(2026, 1, 14, 10, 0)},
		{cadence.Email, "introduction email", ny(2026, 1, 19, 9, 0)},    // day 5 is a Saturday
		{cadence.Email, "follow-up email", ny(2026, 1, 20, 9, 0)},       // day 7 is within the gap after Monday 09:00
		{cadence.Social, "connect on social", ny(2026, 1, 21, 9, 0)},    // day 8, pushed by the gap
		{cadence.Call, "second call", ny(2026, 1, 22, 10, 0)},           // day 10
		{cadence.Email, "email with a resource", ny(2026, 1, 26, 9, 0)}, // day 12 is a Saturday
		{cadence.Email, "check-in email", ny(2026, 1, 27, 9, 0)},        // day 14, pushed by the gap
		{cadence.Mail, "letter by mail", ny(2026, 1, 30, 10, 0)},        // day 18
		{cadence.Call, "third call", ny(2026, 2, 2, 10, 0)},             // day 21
		{cadence.Email, "final email", ny(2026, 3, 16, 10, 0)},          // 30 business days later
	}
	for i, st := range steps {
		a := p.NextAction(&l, at)
		if a.Channel != st.channel || a.Label != st.label || a.Step != i+1 || a.Nurture || a.Switched != "" {
			t.Fatalf("step %d: next action %+v, want %s %q", i+1, a, st.channel, st.label)
		}
		l = apply(t, p, l, cadence.Touch{At: at, Channel: a.Channel, Outcome: cadence.NoAnswer})
		if !l.NextDue.After(at) {
			t.Errorf("step %d: next due %v is not after the touch", i+1, l.NextDue)
		}
		if !p.Calendar.IsOpen(l.NextDue) {
			t.Errorf("step %d: next due %v is outside business hours", i+1, l.NextDue.In(nyLoc))
		}
		sameTime(t, "due after step "+st.label, l.NextDue, st.nextDue)
		at = l.NextDue
	}
	if l.Step != len(steps) || l.Touches != len(steps) {
		t.Fatalf("after the plan: step %d, touches %d", l.Step, l.Touches)
	}
	// Nurture: every 30 business days from the last touch, alternating
	// email and call, for as long as the lead stays open.
	last := l.LastTouchAt
	for n, want := range []cadence.Channel{cadence.Email, cadence.Call, cadence.Email, cadence.Call, cadence.Email} {
		a := p.NextAction(&l, at)
		if !a.Nurture || a.Step != 0 || a.Channel != want || a.Label != "nurture "+want.String() {
			t.Fatalf("nurture touch %d: %+v, want nurture %s", n+1, a, want)
		}
		if a.StepText() != "nurture, "+want.String() {
			t.Errorf("nurture step text %q", a.StepText())
		}
		if l.NextDue.IsZero() || !l.IsOpen() {
			t.Fatalf("nurture touch %d: open %v, next due %v", n+1, l.IsOpen(), l.NextDue)
		}
		if gap := l.NextDue.Sub(last); gap < 40*24*time.Hour || gap > 44*24*time.Hour {
			t.Errorf("nurture touch %d: due %v after the last touch, want about 6 weeks (30 business days)", n+1, gap)
		}
		sameTime(t, "nurture due", l.NextDue, p.Calendar.AddBusinessDays(last, 30))
		l = apply(t, p, l, cadence.Touch{At: at, Channel: a.Channel, Outcome: cadence.Voicemail})
		last, at = at, l.NextDue
	}
}

func TestSLAOf(t *testing.T) {
	p := nyPolicy()
	l := newLead()
	l.ReceivedAt = ny(2026, 1, 9, 16, 50) // a Friday
	due := ny(2026, 1, 12, 9, 20)         // the next Monday

	s := p.SLAOf(&l, ny(2026, 1, 9, 16, 55))
	sameTime(t, "SLA due", s.Due, due)
	if s.Breached || s.Met || s.By != 25*time.Minute {
		t.Errorf("Friday 16:55: %+v, want 25m left", s)
	}
	s = p.SLAOf(&l, ny(2026, 1, 10, 12, 0)) // Saturday: no business time passes
	if s.Breached || s.By != 20*time.Minute {
		t.Errorf("Saturday: %+v, want 20m left", s)
	}
	s = p.SLAOf(&l, ny(2026, 1, 12, 9, 30))
	if !s.Breached || s.Met || s.By != 10*time.Minute {
		t.Errorf("Monday 09:30 untouched: %+v, want breached by 10m", s)
	}

	met := l
	met.FirstContactAt = ny(2026, 1, 12, 9, 10)
	if s := p.SLAOf(&met, ny(2026, 1, 20, 9, 0)); !s.Met || s.Breached {
		t.Errorf("first contact Monday 09:10: %+v, want met", s)
	}
	late := l
	late.FirstContactAt = ny(2026, 1, 12, 9, 25)
	if s := p.SLAOf(&late, ny(2026, 1, 20, 9, 0)); s.Met || !s.Breached || s.By != 5*time.Minute {
		t.Errorf("first contact Monday 09:25: %+v, want breached by 5m", s)
	}
	// The SLA of an untouched lead is its next action's due time.
	if a := p.NextAction(&l, ny(2026, 1, 9, 17, 0)); !a.Due.Equal(due) || a.Channel != cadence.Call || a.Step != 1 {
		t.Errorf("next action of an untouched lead: %+v", a)
	}
}

func TestApplyNotNow(t *testing.T) {
	p := nyPolicy()
	l := apply(t, p, newLead(), cadence.Touch{At: ny(2026, 1, 12, 10, 0), Channel: cadence.Call, Outcome: cadence.NoAnswer})
	until := ny(2026, 1, 29, 14, 0)
	got := apply(t, p, l, cadence.Touch{At: ny(2026, 1, 13, 11, 0), Channel: cadence.Call, Outcome: cadence.NotNow, Until: until})
	sameTime(t, "next due", got.NextDue, until)
	// "Call me on the 29th": the next touch is a call, whatever the step.
	if got.Step != l.Step || got.NextChannel != cadence.Call || !got.IsOpen() {
		t.Errorf("not now: step %d (was %d), next channel %s, open %v", got.Step, l.Step, got.NextChannel, got.IsOpen())
	}
	if a := p.NextAction(&got, until); a.Channel != cadence.Call {
		t.Errorf("next action after not-now on a call: %s, want call", a.Channel)
	}
	// Even a date outside business hours is kept as asked.
	evening := ny(2026, 1, 17, 19, 30)
	got = apply(t, p, l, cadence.Touch{At: ny(2026, 1, 13, 11, 0), Channel: cadence.Call, Outcome: cadence.NotNow, Until: evening})
	sameTime(t, "next due on a Saturday evening", got.NextDue, evening)
}

func TestApplyMeeting(t *testing.T) {
	p := nyPolicy()
	l := apply(t, p, newLead(), cadence.Touch{At: ny(2026, 1, 12, 10, 0), Channel: cadence.Call, Outcome: cadence.Connected})
	meeting := ny(2026, 1, 12, 15, 0) // the same afternoon, inside the minimum gap
	l = apply(t, p, l, cadence.Touch{At: ny(2026, 1, 12, 10, 5), Channel: cadence.Call, Outcome: cadence.MeetingBooked, Until: meeting})
	sameTime(t, "next due", l.NextDue, meeting)
	if l.NextChannel != cadence.Meeting {
		t.Fatalf("next channel %s, want meeting", l.NextChannel)
	}
	a := p.NextAction(&l, ny(2026, 1, 12, 11, 0))
	if a.Channel != cadence.Meeting || a.Label != "meeting" {
		t.Errorf("next action before the meeting: %+v", a)
	}
	if v := p.CanContact(&l, cadence.Meeting, ny(2026, 1, 12, 14, 55)); !v.Allowed {
		t.Errorf("the meeting is blocked by the minimum gap: %+v", v)
	}
	// Holding the meeting moves on to the plan.
	l = apply(t, p, l, cadence.Touch{At: meeting, Channel: cadence.Meeting, Outcome: cadence.Connected})
	// The meeting took the place of the step that was next (research).
	if l.NextChannel != cadence.NoChannel || l.Step != 2 || !l.NextDue.After(meeting) {
		t.Errorf("after the meeting: next channel %s, step %d, due %v", l.NextChannel, l.Step, l.NextDue)
	}
}

func TestApplyBadNumber(t *testing.T) {
	p := nyPolicy()
	for _, tt := range []struct {
		name  string
		email string
		want  cadence.Channel
	}{
		{"with an email", "ann@example.com", cadence.Email},
		{"without an email", "", cadence.Social},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := newLead()
			l.Email = tt.email
			at := ny(2026, 1, 12, 10, 0)
			l = apply(t, p, l, cadence.Touch{At: at, Channel: cadence.Call, Outcome: cadence.BadNumber})
			if !l.PhoneBad || l.Step != 1 {
				t.Fatalf("bad number: phone bad %v, step %d", l.PhoneBad, l.Step)
			}
			if v := p.CanContact(&l, cadence.Call, l.NextDue); v.Allowed || !strings.Contains(v.Why, "bad") || !v.Next.IsZero() {
				t.Errorf("call after bad number: %+v", v)
			}
			if v := p.CanContact(&l, cadence.SMS, l.NextDue); v.Allowed {
				t.Errorf("text after bad number: %+v", v)
			}
			// Walk to the second call (step 6): it becomes tt.want.
			for l.Step < 5 {
				at = l.NextDue
				l = apply(t, p, l, cadence.Touch{At: at, Channel: p.NextAction(&l, at).Channel, Outcome: cadence.NoAnswer})
			}
			a := p.NextAction(&l, l.NextDue)
			if a.Step != 6 || a.Label != "second call" || a.Channel != tt.want {
				t.Errorf("the second call after a bad number: %+v, want %s", a, tt.want)
			}
		})
	}
}

func TestApplyQualified(t *testing.T) {
	p := nyPolicy()
	first := ny(2026, 1, 12, 10, 0)
	l := apply(t, p, newLead(), cadence.Touch{At: first, Channel: cadence.Call, Outcome: cadence.Qualified})
	if !l.Qualified || !l.QualifiedAt.Equal(first) || !l.IsOpen() || l.Step != 1 {
		t.Fatalf("qualified: %+v", l)
	}
	l = apply(t, p, l, cadence.Touch{At: l.NextDue, Channel: cadence.Research, Outcome: cadence.NoAnswer})
	l = apply(t, p, l, cadence.Touch{At: l.NextDue, Channel: cadence.Email, Outcome: cadence.Qualified})
	if !l.QualifiedAt.Equal(first) {
		t.Errorf("qualifying again moved QualifiedAt to %v", l.QualifiedAt)
	}
}

func TestApplyClosingOutcomes(t *testing.T) {
	p := nyPolicy()
	at := ny(2026, 1, 13, 11, 0)
	for _, tt := range []struct {
		outcome cadence.Outcome
		status  cadence.Status
	}{
		{cadence.Won, cadence.StatusWon},
		{cadence.Lost, cadence.StatusLost},
		{cadence.DoNotContact, cadence.StatusDoNotContact},
	} {
		t.Run(tt.outcome.String(), func(t *testing.T) {
			if !tt.outcome.Closes() {
				t.Errorf("%s does not close", tt.outcome)
			}
			l := apply(t, p, newLead(), cadence.Touch{At: ny(2026, 1, 12, 10, 0), Channel: cadence.Call, Outcome: cadence.NoAnswer})
			l = apply(t, p, l, cadence.Touch{At: at, Channel: cadence.Email, Outcome: tt.outcome, Note: "no budget"})
			if l.IsOpen() || l.Status != tt.status || !l.ClosedAt.Equal(at) || !l.NextDue.IsZero() || l.NextChannel != cadence.NoChannel {
				t.Fatalf("after %s: %+v", tt.outcome, l)
			}
			if tt.outcome == cadence.Lost && l.LostReason != "no budget" {
				t.Errorf("lost reason %q", l.LostReason)
			}
			if tt.outcome != cadence.Lost && l.LostReason != "" {
				t.Errorf("%s set a lost reason %q", tt.outcome, l.LostReason)
			}
			for _, o := range cadence.Outcomes {
				tc := cadence.Touch{LeadID: l.ID, At: at.Add(time.Hour), Channel: cadence.Email, Outcome: o, Note: "x", Until: at.Add(48 * time.Hour)}
				if _, err := p.Apply(l, tc); err == nil || !strings.Contains(err.Error(), "closed") {
					t.Errorf("%s after %s: %v, want a closed-lead error", o, tt.outcome, err)
				}
			}
			for _, ch := range cadence.Channels {
				if v := p.CanContact(&l, ch, at.Add(time.Hour)); v.Allowed {
					t.Errorf("%s allowed on a %s lead", ch, l.Status)
				}
			}
		})
	}
}

func TestApplyRejects(t *testing.T) {
	p := nyPolicy()
	l := newLead()
	at := ny(2026, 1, 12, 10, 0)
	for _, tt := range []struct {
		name string
		t    cadence.Touch
		want string
	}{
		{"lost without a note", cadence.Touch{At: at, Channel: cadence.Call, Outcome: cadence.Lost}, "reason"},
		{"no outcome", cadence.Touch{At: at, Channel: cadence.Call}, "outcome"},
		{"no channel", cadence.Touch{At: at, Outcome: cadence.NoAnswer}, "channel"},
		{"not now without a date", cadence.Touch{At: at, Channel: cadence.Call, Outcome: cadence.NotNow}, "date"},
		{"meeting without a date", cadence.Touch{At: at, Channel: cadence.Call, Outcome: cadence.MeetingBooked}, "date"},
		{"not now at the touch time", cadence.Touch{At: at, Channel: cadence.Call, Outcome: cadence.NotNow, Until: at}, "after"},
		{"meeting in the past", cadence.Touch{At: at, Channel: cadence.Call, Outcome: cadence.MeetingBooked, Until: at.Add(-time.Minute)}, "after"},
		{"research that was won", cadence.Touch{At: at, Channel: cadence.Research, Outcome: cadence.Won}, "contact channel"},
		{"research with a bad number", cadence.Touch{At: at, Channel: cadence.Research, Outcome: cadence.BadNumber}, "contact channel"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Apply(l, tt.t)
			if err == nil {
				t.Fatalf("Apply accepted it: %+v", got)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if !reflect.DeepEqual(got, l) {
				t.Errorf("a refused touch returned a changed lead: %+v", got)
			}
		})
	}
}

func TestApplySkipsSMSStepWithoutOptIn(t *testing.T) {
	p := nyPolicy()
	p.Plan = cadence.Plan{
		Steps: []cadence.Step{
			{At: cadence.Offset{N: 0, Unit: cadence.Days}, Channel: cadence.Call, Label: "call"},
			{At: cadence.Offset{N: 1, Unit: cadence.Days}, Channel: cadence.SMS, Requires: cadence.RequiresSMSOptIn, Label: "text"},
			{At: cadence.Offset{N: 2, Unit: cadence.Days}, Channel: cadence.Email, Label: "email"},
			{At: cadence.Offset{N: 3, Unit: cadence.Days}, Channel: cadence.SMS, Requires: cadence.RequiresSMSOptIn, Label: "text again"},
		},
		NurtureEvery:    cadence.Offset{N: 30, Unit: cadence.BusinessDays},
		NurtureChannels: []cadence.Channel{cadence.Email},
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	at := ny(2026, 1, 12, 10, 0)
	call := cadence.Touch{At: at, Channel: cadence.Call, Outcome: cadence.NoAnswer}

	optedIn := newLead()
	optedIn.SMSOptIn = true
	l := apply(t, p, optedIn, call)
	if a := p.NextAction(&l, l.NextDue); l.Step != 1 || a.Channel != cadence.SMS || a.Label != "text" {
		t.Errorf("opted in: step %d, next %+v, want the text", l.Step, a)
	}
	sameTime(t, "text due", l.NextDue, ny(2026, 1, 13, 10, 0))

	l = apply(t, p, newLead(), call)
	if a := p.NextAction(&l, l.NextDue); l.Step != 2 || a.Channel != cadence.Email || a.Label != "email" {
		t.Errorf("not opted in: step %d, next %+v, want the email", l.Step, a)
	}
	sameTime(t, "email due", l.NextDue, ny(2026, 1, 14, 10, 0))
	// The last step is a text too: skipping it goes straight to nurture.
	l = apply(t, p, l, cadence.Touch{At: l.NextDue, Channel: cadence.Email, Outcome: cadence.NoAnswer})
	if a := p.NextAction(&l, l.NextDue); l.Step != 4 || !a.Nurture || a.Channel != cadence.Email || l.NextDue.IsZero() {
		t.Errorf("after the email: step %d, next %+v, due %v; want nurture", l.Step, a, l.NextDue)
	}
}

// replayFixture is a touch log exercising every non-closing outcome.
func replayFixture() (cadence.Lead, []cadence.Touch) {
	l := newLead()
	l.SMSOptIn = true
	ts := []cadence.Touch{
		{ID: 1, At: ny(2026, 1, 12, 10, 0), Channel: cadence.Call, Outcome: cadence.NoAnswer},
		{ID: 2, At: ny(2026, 1, 12, 11, 0), Channel: cadence.Call, Outcome: cadence.Voicemail},
		{ID: 3, At: ny(2026, 1, 13, 10, 0), Channel: cadence.Research, Outcome: cadence.Connected},
		{ID: 4, At: ny(2026, 1, 14, 10, 0), Channel: cadence.Email, Outcome: cadence.Connected},
		{ID: 5, At: ny(2026, 1, 14, 10, 30), Channel: cadence.Call, Outcome: cadence.MeetingBooked, Until: ny(2026, 1, 16, 15, 0)},
		{ID: 6, At: ny(2026, 1, 16, 15, 0), Channel: cadence.Meeting, Outcome: cadence.Qualified},
		{ID: 7, At: ny(2026, 1, 20, 9, 0), Channel: cadence.Call, Outcome: cadence.BadNumber},
		{ID: 8, At: ny(2026, 1, 21, 9, 0), Channel: cadence.Email, Outcome: cadence.NotNow, Until: ny(2026, 2, 2, 9, 0)},
		{ID: 9, At: ny(2026, 2, 2, 9, 0), Channel: cadence.Email, Outcome: cadence.NoAnswer},
	}
	for i := range ts {
		ts[i].LeadID, ts[i].Rep = l.ID, "alice"
	}
	return l, ts
}

func TestReplayEqualsSuccessiveApply(t *testing.T) {
	p := nyPolicy()
	base, ts := replayFixture()
	want := base
	for _, tc := range ts {
		want = apply(t, p, want, tc)
	}
	got, err := p.Replay(base, ts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Replay:\n got %+v\nwant %+v", got, want)
	}
	// Replay starts from the lead as entered, whatever state it is given.
	dirty := want.Clone()
	dirty.Touches, dirty.Status, dirty.Step = 42, cadence.StatusWon, 7
	if got, _ := p.Replay(dirty, ts); !reflect.DeepEqual(got, want) {
		t.Errorf("Replay from a lead with state:\n got %+v\nwant %+v", got, want)
	}
	if got, _ := p.Replay(dirty, nil); !reflect.DeepEqual(got, base.ResetFollowUp()) {
		t.Errorf("Replay of no touches: %+v", got)
	}
}

func TestReplaySkipsSupersededTouch(t *testing.T) {
	p := nyPolicy()
	base := newLead()
	t1 := cadence.Touch{ID: 1, LeadID: 1, At: ny(2026, 1, 12, 10, 0), Rep: "alice", Channel: cadence.Call, Outcome: cadence.NoAnswer}
	t2 := cadence.Touch{ID: 2, LeadID: 1, At: ny(2026, 1, 13, 10, 0), Rep: "alice", Channel: cadence.Email, Outcome: cadence.Won}
	// The correction says the email of touch 2 got no answer. (Its time is
	// that of touch 2: what a correction logged later does with its own
	// time is replay_test.go's subject.)
	t3 := cadence.Touch{ID: 3, LeadID: 1, At: t2.At, Rep: "alice", Channel: cadence.Email, Outcome: cadence.NoAnswer, Supersedes: 2}

	won, err := p.Replay(base, []cadence.Touch{t1, t2})
	if err != nil || won.IsOpen() {
		t.Fatalf("before the correction: %+v, %v", won, err)
	}
	got, err := p.Replay(base, []cadence.Touch{t1, t2, t3})
	if err != nil {
		t.Fatal(err)
	}
	want := apply(t, p, apply(t, p, base, t1), t3)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Replay with a correction:\n got %+v\nwant %+v", got, want)
	}
	if got.Touches != 2 || !got.IsOpen() || !got.ClosedAt.IsZero() {
		t.Errorf("the superseded touch still counts: touches %d, status %s, closed %v", got.Touches, got.Status, got.ClosedAt)
	}
}

// TestReplayProperty draws random touch logs: Replay equals applying the
// touches one by one, stopping at the first one Apply refuses, and an
// open lead always has a next due time after its first touch.
func TestReplayProperty(t *testing.T) {
	p := nyPolicy()
	rapid.Check(t, func(t *rapid.T) {
		base := newLead()
		base.SMSOptIn = rapid.Bool().Draw(t, "sms")
		if rapid.Bool().Draw(t, "no email") {
			base.Email = ""
		}
		at := base.ReceivedAt
		n := rapid.IntRange(0, 25).Draw(t, "touches")
		var ts []cadence.Touch
		want := base
		var wantErr error
		for i := range n {
			at = at.Add(time.Duration(rapid.IntRange(0, 5*24*60).Draw(t, "minutes")) * time.Minute)
			tc := cadence.Touch{ID: cadence.TouchID(i + 1), LeadID: base.ID, At: at, Rep: "alice",
				Channel: rapid.SampledFrom(cadence.Channels).Draw(t, "channel"),
				Outcome: rapid.SampledFrom(cadence.Outcomes).Draw(t, "outcome"),
			}
			if rapid.IntRange(0, 2).Draw(t, "planned") > 0 {
				tc.Channel = p.NextAction(&want, at).Channel
			}
			if rapid.IntRange(0, 5).Draw(t, "closing ok") > 0 && tc.Outcome.Closes() {
				tc.Outcome = cadence.Voicemail
			}
			if tc.Outcome.NeedsDate() {
				tc.Until = at.Add(time.Duration(rapid.IntRange(-60, 20*24*60).Draw(t, "until")) * time.Minute)
			}
			if rapid.Bool().Draw(t, "note") {
				tc.Note = "why"
			}
			ts = append(ts, tc)
			if wantErr == nil {
				next, err := p.Apply(want, tc)
				if err != nil {
					wantErr = err
				} else {
					want = next
					// An untouched lead (research before the first contact)
					// waits on its SLA, not a next due time.
					if want.IsOpen() && !want.Untouched() && want.NextDue.IsZero() {
						t.Fatalf("open lead without a next due time after %+v", tc)
					}
					if want.IsOpen() && !want.Untouched() && want.NextDue.Before(tc.At) {
						t.Fatalf("next due %v before the touch %v", want.NextDue, tc.At)
					}
				}
			}
		}
		got, err := p.Replay(base, ts)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("Replay error %v, Apply error %v", err, wantErr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("Replay:\n got %+v\nwant %+v", got, want)
		}
	})
}

func TestPolicyValidate(t *testing.T) {
	if err := nyPolicy().Validate(); err != nil {
		t.Fatalf("the default policy: %v", err)
	}
	for _, tt := range []struct {
		name   string
		change func(*cadence.Policy)
	}{
		{"no SLA", func(p *cadence.Policy) { p.FirstResponse = 0 }},
		{"window closes before it opens", func(p *cadence.Policy) { p.CallWindowOpen, p.CallWindowClose = 21*60, 8*60 }},
		{"negative call cap", func(p *cadence.Policy) { p.MaxCallsPerDay = -1 }},
		{"no steps", func(p *cadence.Policy) { p.Plan.Steps = nil }},
		{"a step without a channel", func(p *cadence.Policy) { p.Plan.Steps[3].Channel = cadence.NoChannel }},
		{"steps out of order", func(p *cadence.Policy) { p.Plan.Steps[1].At = cadence.Offset{N: 30, Unit: cadence.Days} }},
		{"no nurture interval", func(p *cadence.Policy) { p.Plan.NurtureEvery = cadence.Offset{} }},
		{"no nurture channels", func(p *cadence.Policy) { p.Plan.NurtureChannels = nil }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := nyPolicy()
			tt.change(&p)
			if err := p.Validate(); err == nil {
				t.Errorf("Validate accepted it")
			}
		})
	}
}

// A week away stops the cadence's clock: the step due during the absence is
// due a week later, and the steps after it keep their spacing instead of
// all falling due on the day the rep is back.
func TestPauseKeepsTheSpacing(t *testing.T) {
	p := nyPolicy()
	l := newLead()
	first := cadence.Touch{At: ny(2026, 1, 12, 10, 0), Channel: cadence.Call, Outcome: cadence.NoAnswer}
	l = apply(t, p, l, first)
	sameTime(t, "step 2 due before the absence", l.NextDue, ny(2026, 1, 13, 10, 0))

	// Away from Monday noon to the next Monday noon.
	l.Pauses = []cadence.Pause{{From: ny(2026, 1, 12, 12, 0), Until: ny(2026, 1, 19, 12, 0)}}
	paused, err := p.Replay(l, []cadence.Touch{{ID: 1, LeadID: l.ID, At: first.At, Rep: "alice", Channel: first.Channel, Outcome: first.Outcome}})
	if err != nil {
		t.Fatal(err)
	}
	sameTime(t, "step 2 due after the absence", paused.NextDue, ny(2026, 1, 20, 10, 0))

	// Back at work: research on the day it is due puts the introduction
	// email a day later, as the plan spaces them, not already overdue.
	paused = apply(t, p, paused, cadence.Touch{At: ny(2026, 1, 20, 10, 0), Channel: cadence.Research, Outcome: cadence.Connected})
	sameTime(t, "step 3 due", paused.NextDue, ny(2026, 1, 21, 10, 0))

	// A pause that ended before the first contact changes nothing.
	early := newLead()
	early.Pauses = []cadence.Pause{{From: ny(2026, 1, 5, 9, 0), Until: ny(2026, 1, 9, 17, 0)}}
	early = apply(t, p, early, first)
	sameTime(t, "step 2 due with an earlier absence", early.NextDue, ny(2026, 1, 13, 10, 0))
}

// A pause under way at the first contact (a colleague called during the
// absence) counts from that contact on; two pauses over the same days
// count those days once.
func TestPauseStraddlingAndOverlapping(t *testing.T) {
	p := nyPolicy()
	first := cadence.Touch{ID: 1, At: ny(2026, 1, 12, 10, 0), Rep: "bob", Channel: cadence.Call, Outcome: cadence.NoAnswer}
	l := newLead()
	// Away from Friday the 9th until Monday the 19th, 10:00: a week from
	// the call.
	l.Pauses = []cadence.Pause{{From: ny(2026, 1, 9, 9, 0), Until: ny(2026, 1, 19, 10, 0)}}
	got, err := p.Replay(l, []cadence.Touch{first})
	if err != nil {
		t.Fatal(err)
	}
	sameTime(t, "step 2 due a week after the call", got.NextDue, ny(2026, 1, 20, 10, 0))

	l.Pauses = []cadence.Pause{
		{From: ny(2026, 1, 12, 12, 0), Until: ny(2026, 1, 19, 12, 0)},
		{From: ny(2026, 1, 14, 12, 0), Until: ny(2026, 1, 19, 12, 0)}, // the same absence, recorded twice
	}
	if got, err = p.Replay(l, []cadence.Touch{first}); err != nil {
		t.Fatal(err)
	}
	sameTime(t, "step 2 due after overlapping pauses", got.NextDue, ny(2026, 1, 20, 10, 0))
}

// A Policy asking a BusinessTable (WithTable) answers as the Policy
// asking its Calendar: every outcome applied, the next action, the SLA,
// the contact rules and the explanation, for random touch logs — with a
// holiday and across the November clock change.
func TestPolicyWithTableAnswersAsWithout(t *testing.T) {
	p := nyPolicy()
	p.Calendar.Holidays = map[cadence.Date]bool{{Year: 2026, Month: 11, Day: 26}: true}
	rapid.Check(t, func(t *rapid.T) {
		l := newLead()
		l.ReceivedAt = ny(2026, 10, 20, 8, 0).Add(time.Duration(rapid.IntRange(0, 30*24*60).Draw(t, "received")) * time.Minute)
		l.SMSOptIn = rapid.Bool().Draw(t, "sms")
		tabled := p.WithTable(cadence.NewBusinessTable(p.Calendar, l.ReceivedAt, l.ReceivedAt))
		at := l.ReceivedAt
		for i := range rapid.IntRange(0, 15).Draw(t, "touches") {
			at = at.Add(time.Duration(rapid.IntRange(0, 4*24*60).Draw(t, "minutes")) * time.Minute)
			for _, ch := range cadence.Channels {
				if a, b := p.CanContact(&l, ch, at), tabled.CanContact(&l, ch, at); !reflect.DeepEqual(a, b) {
					t.Fatalf("CanContact(%s) at %v: calendar %+v, table %+v", ch, at, a, b)
				}
			}
			if a, b := p.SLAOf(&l, at), tabled.SLAOf(&l, at); a != b {
				t.Fatalf("SLAOf at %v: calendar %+v, table %+v", at, a, b)
			}
			if a, b := p.Explain(&l, at), tabled.Explain(&l, at); a != b {
				t.Fatalf("Explain at %v: calendar %q, table %q", at, a, b)
			}
			tc := cadence.Touch{ID: cadence.TouchID(i + 1), LeadID: l.ID, At: at, Rep: "alice",
				Channel: p.PlannedAction(&l, at).Channel,
				Outcome: rapid.SampledFrom(cadence.Outcomes).Draw(t, "outcome"),
			}
			if tc.Outcome.NeedsDate() {
				tc.Until = at.Add(time.Duration(rapid.IntRange(0, 20*24*60).Draw(t, "until")) * time.Minute)
			}
			want, wantErr := p.Apply(l, tc)
			got, err := tabled.Apply(l, tc)
			if (err != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
				t.Fatalf("Apply(%+v):\ncalendar %+v, %v\n   table %+v, %v", tc, want, wantErr, got, err)
			}
			if wantErr == nil {
				l = want
			}
			if !l.IsOpen() {
				return
			}
		}
	})
}

// A table of another calendar is refused, not asked.
func TestWithTableOfAnotherCalendar(t *testing.T) {
	p := nyPolicy()
	other := p.Calendar
	other.Open = 8 * 60
	defer func() {
		if recover() == nil {
			t.Error("WithTable took a table of a calendar opening at 08:00 for one opening at 09:00")
		}
	}()
	p.WithTable(cadence.NewBusinessTable(other, ny(2026, 1, 12, 9, 0), ny(2026, 1, 12, 9, 0)))
}
