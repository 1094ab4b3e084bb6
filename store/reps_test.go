package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
)

// A week away moves each worked lead's next step a week on, leaves the
// untouched ones where they are (for a manager to hand over), and coming
// back early gives back the days not taken; the file stays consistent.
func TestSetAwayPausesAndResumesTheCadence(t *testing.T) {
	s, _ := openTestStore(t)
	p := testPolicy()
	for _, name := range []string{"alice", "bob"} {
		if err := s.AddRep(cadence.Rep{Name: name, Role: cadence.RoleRep}); err != nil {
			t.Fatal(err)
		}
	}
	worked, err := s.AddLead(cadence.Lead{Name: "Worked", Owner: "alice", ReceivedAt: testAt(2026, 1, 12, 9, 0)})
	if err != nil {
		t.Fatal(err)
	}
	waiting, err := s.AddLead(cadence.Lead{Name: "Waiting", Owner: "alice", ReceivedAt: testAt(2026, 1, 12, 9, 30)})
	if err != nil {
		t.Fatal(err)
	}
	bobs, err := s.AddLead(cadence.Lead{Name: "Bob's", Owner: "bob", ReceivedAt: testAt(2026, 1, 12, 9, 0)})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []cadence.LeadID{worked.ID, bobs.ID} {
		owner := map[cadence.LeadID]string{worked.ID: "alice", bobs.ID: "bob"}[id]
		if _, _, err := s.LogTouch(p, cadence.Touch{LeadID: id, At: testAt(2026, 1, 12, 10, 0), Rep: owner,
			Channel: cadence.Call, Outcome: cadence.NoAnswer}); err != nil {
			t.Fatal(err)
		}
	}
	due := func(id cadence.LeadID) time.Time {
		l, err := s.Lead(id)
		if err != nil {
			t.Fatal(err)
		}
		return l.NextDue
	}
	before := due(worked.ID)
	if !before.Equal(testAt(2026, 1, 13, 10, 0)) {
		t.Fatalf("step 2 due %v before the absence", before)
	}

	a, err := s.SetAway(p, "alice", testAt(2026, 1, 12, 12, 0), testAt(2026, 1, 19, 12, 0))
	if err != nil {
		t.Fatal(err)
	}
	if a.Paused != 1 || len(a.Untouched) != 1 || a.Untouched[0] != waiting.ID {
		t.Errorf("paused %d, untouched %v; want 1 paused and lead %d untouched", a.Paused, a.Untouched, waiting.ID)
	}
	if got := due(worked.ID); !got.Equal(testAt(2026, 1, 20, 10, 0)) {
		t.Errorf("alice's lead due %v while she is away, want a week later", got.In(testNY))
	}
	if got := due(bobs.ID); !got.Equal(before) {
		t.Errorf("bob's lead moved to %v; only alice is away", got.In(testNY))
	}
	r, err := s.Rep("alice")
	if err != nil {
		t.Fatal(err)
	}
	if !r.AwayAt(testAt(2026, 1, 15, 9, 0)) || r.AwayAt(testAt(2026, 1, 19, 12, 0)) {
		t.Errorf("alice away %v – %v", r.AwayFrom, r.AwayUntil)
	}
	top, err := s.Queue("alice", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) != 2 || top[0].ID != waiting.ID || top[1].ID != worked.ID {
		t.Errorf("alice's queue after the pause: %v", top)
	}

	// Back on Thursday at noon instead: three days of the pause remain unused.
	back := testAt(2026, 1, 15, 12, 0)
	if _, err := s.SetAway(p, "alice", back, back); err != nil {
		t.Fatal(err)
	}
	if got := due(worked.ID); !got.Equal(testAt(2026, 1, 16, 10, 0)) {
		t.Errorf("due %v after coming back early, want Friday 10:00 (three days away)", got.In(testNY))
	}
	if r, _ := s.Rep("alice"); r.AwayAt(back) || r.AwayAt(back.Add(time.Hour)) {
		t.Errorf("alice still away after coming back: %v – %v", r.AwayFrom, r.AwayUntil)
	}
	if _, err := s.SetAway(p, "alice", back, back); err == nil {
		t.Error("coming back when not away: no error")
	}
	if problems, err := s.Check(p); err != nil || len(problems) > 0 {
		t.Errorf("check after the absence: %v %v", problems, err)
	}
}

// A worked lead handed to someone on duty while its owner is away leaves
// the pause behind: the new owner has it due on its plan again, and the
// owner coming back early does not touch it.
func TestHandOverEndsThePause(t *testing.T) {
	s, _ := openTestStore(t)
	p := testPolicy()
	for _, name := range []string{"alice", "bob"} {
		if err := s.AddRep(cadence.Rep{Name: name, Role: cadence.RoleRep}); err != nil {
			t.Fatal(err)
		}
	}
	l, err := s.AddLead(cadence.Lead{Name: "Worked", Owner: "alice", ReceivedAt: testAt(2026, 1, 12, 9, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.LogTouch(p, cadence.Touch{LeadID: l.ID, At: testAt(2026, 1, 12, 10, 0), Rep: "alice", Channel: cadence.Call, Outcome: cadence.NoAnswer}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetAway(p, "alice", testAt(2026, 1, 12, 12, 0), testAt(2026, 1, 26, 12, 0)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Assign(p, l.ID, "bob", "maria", testAt(2026, 1, 12, 13, 0))
	if err != nil {
		t.Fatal(err)
	}
	// An hour of pause remains (noon to one): due Tuesday 11:00, not in two weeks.
	if want := testAt(2026, 1, 13, 11, 0); !got.NextDue.Equal(want) {
		t.Errorf("handed-over lead due %v, want %v", got.NextDue.In(testNY), want)
	}
	if err := s.AddRep(cadence.Rep{Name: "maria", Role: cadence.RoleManager}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Assign(p, l.ID, "maria", "root", testAt(2026, 1, 12, 14, 0)); err == nil || !strings.Contains(err.Error(), "maria is a manager and owns no leads") {
		t.Errorf("a lead given to a manager: %v", err)
	}
	mustCheck(t, s, p)
}
