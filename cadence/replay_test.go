package cadence

import (
	"testing"
	"time"
)

// A correction takes the place of the touch it corrects: touches logged
// after the mistake keep their effect.
func TestReplayCorrectionKeepsLaterMeeting(t *testing.T) {
	loc, _ := time.LoadLocation("America/New_York")
	p := DefaultPolicy(loc)
	mon := time.Date(2026, 11, 23, 10, 0, 0, 0, loc)
	base := Lead{ID: 1, Name: "Dana", Phone: "+13125550142", ReceivedAt: mon.Add(-time.Hour)}
	meeting := time.Date(2026, 12, 10, 15, 0, 0, 0, loc)
	touches := []Touch{
		{ID: 1, LeadID: 1, At: mon, Channel: Call, Outcome: Voicemail},
		{ID: 2, LeadID: 1, At: mon.Add(24 * time.Hour), Channel: Call, Outcome: Connected},
		{ID: 3, LeadID: 1, At: mon.Add(48 * time.Hour), Channel: Call, Outcome: MeetingBooked, Until: meeting},
		{ID: 4, LeadID: 1, At: mon.Add(72 * time.Hour), Channel: Call, Outcome: Voicemail, Supersedes: 2},
	}
	l, err := p.Replay(base, touches)
	if err != nil {
		t.Fatal(err)
	}
	if !l.NextDue.Equal(meeting) || l.NextChannel != Meeting {
		t.Errorf("after correcting touch 2: next %v on %s, want the meeting %v", l.NextDue, l.NextChannel, meeting)
	}
	if l.Touches != 3 {
		t.Errorf("touches = %d, want 3 (the corrected one does not count)", l.Touches)
	}
	// A correction of the correction follows the chain.
	chain := append(touches, Touch{ID: 5, LeadID: 1, At: mon.Add(96 * time.Hour), Channel: Call, Outcome: Qualified, Supersedes: 4})
	l, err = p.Replay(base, chain)
	if err != nil {
		t.Fatal(err)
	}
	if !l.Qualified || !l.QualifiedAt.Equal(mon.Add(24*time.Hour)) || !l.NextDue.Equal(meeting) {
		t.Errorf("chain: qualified %v at %v, next %v; want qualified at the corrected touch's time, meeting kept", l.Qualified, l.QualifiedAt, l.NextDue)
	}
	// A correction that would close the lead before later touches cannot
	// replay: the store refuses it rather than drop those touches.
	closing := append(touches, Touch{ID: 5, LeadID: 1, At: mon.Add(96 * time.Hour), Channel: Call, Outcome: Won, Supersedes: 4})
	if _, err := p.Replay(base, closing); err == nil {
		t.Error("a correction closing the lead before a later touch replayed without error")
	}
}

// Research before the first contact leaves the first call due: the lead is
// still untouched, on step 1.
func TestResearchBeforeFirstCallKeepsTheCall(t *testing.T) {
	loc, _ := time.LoadLocation("America/New_York")
	p := DefaultPolicy(loc)
	mon := time.Date(2026, 11, 23, 10, 0, 0, 0, loc)
	l := Lead{ID: 1, Phone: "+13125550142", ReceivedAt: mon.Add(-time.Hour)}
	l, err := p.Apply(l, Touch{ID: 1, At: mon, Channel: Research, Outcome: Connected})
	if err != nil {
		t.Fatal(err)
	}
	if a := p.NextAction(&l, mon); !l.Untouched() || a.Step != 1 || a.Channel != Call {
		t.Errorf("after research: untouched %v, next %s", l.Untouched(), a.StepText())
	}
}

// A date decades ahead is a typo, refused before it reaches the store.
func TestFarFutureDateIsRefused(t *testing.T) {
	p := DefaultPolicy(time.UTC)
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	l := Lead{ID: 1, Phone: "+13125550142", ReceivedAt: at}
	_, err := p.Apply(l, Touch{At: at, Channel: Call, Outcome: NotNow, Until: at.AddDate(50, 0, 0)})
	if err == nil {
		t.Error("a not-now fifty years ahead was accepted")
	}
	if _, err := p.Apply(l, Touch{At: at, Channel: Call, Outcome: NotNow, Until: at.AddDate(2, 0, 0)}); err != nil {
		t.Errorf("a not-now two years ahead was refused: %v", err)
	}
}
