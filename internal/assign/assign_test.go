package assign_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/assign"
	"github.com/followuphq/followup/store"
)

// teamStore is a real store with reps alice, bob and carol, manager dana,
// and open leads given to reps as open says.
func teamStore(t *testing.T, open map[string]int) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "followup.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, r := range []cadence.Rep{{Name: "alice", Role: cadence.RoleRep}, {Name: "bob", Role: cadence.RoleRep},
		{Name: "carol", Role: cadence.RoleRep}, {Name: "dana", Role: cadence.RoleManager}} {
		if err := s.AddRep(r); err != nil {
			t.Fatal(err)
		}
	}
	give(t, s, open)
	return s
}

func give(t *testing.T, s *store.Store, open map[string]int) {
	t.Helper()
	for owner, n := range open {
		for i := range n {
			if _, err := s.AddLead(cadence.Lead{Name: owner + "'s lead", Owner: owner, ReceivedAt: time.Unix(int64(i), 0)}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// Many new leads even out the queues; the busiest rep gets fewest of them
// and the manager none.
func TestLeastLoadedEvensOutQueues(t *testing.T) {
	open := map[string]int{"alice": 10, "carol": 3}
	l, err := assign.Count(teamStore(t, open))
	if err != nil {
		t.Fatal(err)
	}
	given := map[string]int{}
	for range 301 {
		given[l.Next()]++
	}
	if given["dana"] != 0 || l.IsRep("dana") {
		t.Errorf("the manager was given %d leads", given["dana"])
	}
	a, b, c := open["alice"]+given["alice"], given["bob"], open["carol"]+given["carol"]
	if max(a, b, c)-min(a, b, c) > 1 || a+b+c != 314 {
		t.Errorf("queues after 301 new leads: alice %d, bob %d, carol %d", a, b, c)
	}
	if given["alice"] >= given["carol"] || given["carol"] >= given["bob"] {
		t.Errorf("new leads did not favour the emptier queues: %v", given)
	}
}

// A recount sees leads given out elsewhere since the last count.
func TestRecountSeesOtherLeads(t *testing.T) {
	s := teamStore(t, map[string]int{"alice": 2, "carol": 2})
	l, _ := assign.Count(s)
	give(t, s, map[string]int{"bob": 5})
	l.Recount(s)
	if got := l.Next(); got != "alice" {
		t.Errorf("after bob got five leads elsewhere the next went to %s, want alice", got)
	}
}

// No rep on the team: nobody to give a lead to.
func TestNoRep(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "followup.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l, err := assign.Count(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Next(); got != "" || l.Reps() != 0 {
		t.Errorf("Next() = %q with no rep", got)
	}
}
