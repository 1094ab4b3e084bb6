package server

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
)

// While the server holds the database, an admin sends a rep away, brings
// them back and hands a lead over through SSH; each answers one line and
// is in the store at once. Reps and managers are refused and change
// nothing.
func TestAdminCommandsOverSSH(t *testing.T) {
	f := start(t)
	signer, line := newKey(t)
	f.keys["root"] = signer
	if err := f.store.AddRep(cadence.Rep{Name: "root", Role: cadence.RoleAdmin, Keys: []string{line}}); err != nil {
		t.Fatal(err)
	}
	p := cadence.DefaultPolicy(ny)
	if _, _, err := f.store.LogTouch(p, cadence.Touch{LeadID: 1, At: monday, Rep: "alice", Channel: cadence.Call, Outcome: cadence.NoAnswer}); err != nil {
		t.Fatal(err)
	}
	dueBefore := storedLead(t, f, 1).NextDue

	for _, tc := range []struct{ user, command, want string }{
		{"alice", "reps away alice --until 2026-12-01", "followup: reps away is for admins; alice is not one"},
		{"maria", "assign 2 --to bob", "followup: assign is for admins; maria is not one"},
		{"root", "reps away alice", "followup: write reps away NAME --until DATE"},
		{"root", "reps away maria --until 2026-12-01", "followup: maria is a manager and owns no leads"},
		{"root", "reps back alice", "followup: alice is not away; nothing changed"},
		{"root", "assign 9 --to bob", "followup: there is no lead 9; ids are the numbers the queue shows"},
	} {
		out, errs, code := f.runCommand(t, tc.user, tc.command)
		if code != 1 || len(out) != 0 || !strings.HasPrefix(errs, tc.want) {
			t.Errorf("%s as %s: exit %d, stdout %q, stderr %q; want exit 1 and %q", tc.command, tc.user, code, out, errs, tc.want)
		}
	}
	if r, _ := f.store.Rep("alice"); !r.AwayUntil.IsZero() || storedLead(t, f, 2).Owner != "alice" {
		t.Fatal("a refused command changed the store")
	}

	var told atomic.Int32 // the HTTP intake reads the team again when told
	f.srv.OnTeamChange(func() { told.Add(1) })
	out, errs, code := f.runCommand(t, "root", "reps away alice --until 2026-12-01T09:00:00-05:00")
	if code != 0 || !strings.HasPrefix(string(out), "alice is away until Tue 2026-12-01 09:00 EST: no new leads, 1 cadences paused, 1 untouched leads") {
		t.Fatalf("reps away: exit %d, %q %q", code, out, errs)
	}
	if r, _ := f.store.Rep("alice"); !r.AwayAt(monday.Add(time.Hour)) {
		t.Error("alice is not away in the store")
	}
	if due := storedLead(t, f, 1).NextDue; !due.After(dueBefore) {
		t.Errorf("lead 1 is due %v, as before the absence", due)
	}
	if out, _, code := f.runCommand(t, "root", "reps back alice"); code != 0 || !strings.HasPrefix(string(out), "alice is back") {
		t.Errorf("reps back: exit %d, %q", code, out)
	}
	if n := told.Load(); n != 2 {
		t.Errorf("the intake was told of %d team changes, want 2", n)
	}
	if due := storedLead(t, f, 1).NextDue; !due.Equal(dueBefore) {
		t.Errorf("lead 1 is due %v after coming back at once, want %v", due, dueBefore)
	}
	if out, _, code := f.runCommand(t, "root", "assign 2 --to bob"); code != 0 || !strings.HasPrefix(string(out), "lead 2 (Fox Mulder) is bob's now") {
		t.Errorf("assign: exit %d, %q", code, out)
	}
	if l := storedLead(t, f, 2); l.Owner != "bob" {
		t.Errorf("lead 2 is %s's", l.Owner)
	}
}

func storedLead(t *testing.T, f *fixture, id cadence.LeadID) cadence.Lead {
	t.Helper()
	l, err := f.store.Lead(id)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
