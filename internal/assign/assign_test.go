package assign_test

import (
	"path/filepath"
	"slices"
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

func newAssigner(t *testing.T, method string, s *store.Store, now time.Time) *assign.Assigner {
	t.Helper()
	a, err := assign.New(method, s, now)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// Many new leads even out the untouched leads; the busiest rep gets fewest
// of them and the manager none.
func TestLeastLoadedEvensOutQueues(t *testing.T) {
	open := map[string]int{"alice": 10, "carol": 3}
	a := newAssigner(t, assign.LeastLoaded, teamStore(t, open), monday)
	given := map[string]int{}
	for range 301 {
		given[a.Next()]++
	}
	if given["dana"] != 0 || a.Team().IsRep("dana") {
		t.Errorf("the manager was given %d leads", given["dana"])
	}
	x, y, z := open["alice"]+given["alice"], given["bob"], open["carol"]+given["carol"]
	if max(x, y, z)-min(x, y, z) > 1 || x+y+z != 314 {
		t.Errorf("queues after 301 new leads: alice %d, bob %d, carol %d", x, y, z)
	}
	if given["alice"] >= given["carol"] || given["carol"] >= given["bob"] {
		t.Errorf("new leads did not favour the emptier queues: %v", given)
	}
}

// Equal loads go in turn, starting after the rep the store says got the
// last lead, not always with the first name.
func TestTiesGoInTurn(t *testing.T) {
	s := teamStore(t, nil)
	for _, method := range []string{assign.LeastLoaded, assign.RoundRobin} {
		a := newAssigner(t, method, s, monday)
		var got []string
		for range 4 {
			got = append(got, a.Next())
		}
		if want := []string{"alice", "bob", "carol", "alice"}; !slices.Equal(got, want) {
			t.Errorf("%s from the start: %v, want %v", method, got, want)
		}
	}
	// bob got the last lead entered: the next process goes on with carol.
	if _, err := s.Arrive([]store.Arrival{{Lead: cadence.Lead{Name: "X", Email: "x@example.com", ReceivedAt: monday}}},
		store.ArriveOptions{Assign: func() string { return "bob" }}); err != nil {
		t.Fatal(err)
	}
	if got := newAssigner(t, assign.RoundRobin, s, monday).Next(); got != "carol" {
		t.Errorf("after bob, the turn went to %s, want carol", got)
	}
}

// Round robin spreads leads evenly whatever the queues hold, and a rep who
// is away gets none until back.
func TestRoundRobinSpreadsEvenlyAndSkipsTheAway(t *testing.T) {
	s := teamStore(t, map[string]int{"alice": 40})
	if _, err := s.SetAway(cadence.DefaultPolicy(time.UTC), "bob", monday, monday.AddDate(0, 0, 7)); err != nil {
		t.Fatal(err)
	}
	a := newAssigner(t, assign.RoundRobin, s, monday.Add(time.Hour))
	given := map[string]int{}
	for range 300 {
		given[a.Next()]++
	}
	if given["alice"] != 150 || given["carol"] != 150 || given["bob"] != 0 {
		t.Errorf("300 leads with bob away: %v, want 150 each to alice and carol", given)
	}
	// A week later bob is back in the rotation.
	if err := a.Refresh(s, monday.AddDate(0, 0, 7)); err != nil {
		t.Fatal(err)
	}
	given = map[string]int{}
	for range 300 {
		given[a.Next()]++
	}
	if given["alice"] != 100 || given["bob"] != 100 || given["carol"] != 100 {
		t.Errorf("300 leads with bob back: %v, want 100 each", given)
	}
}

// A refresh sees leads given out elsewhere since the last count.
func TestRefreshSeesOtherLeads(t *testing.T) {
	s := teamStore(t, map[string]int{"alice": 2, "carol": 2})
	a := newAssigner(t, assign.LeastLoaded, s, monday)
	give(t, s, map[string]int{"bob": 5})
	if err := a.Refresh(s, monday); err != nil {
		t.Fatal(err)
	}
	if got := a.Next(); got != "alice" {
		t.Errorf("after bob got five leads elsewhere the next went to %s, want alice", got)
	}
}

// No rep on the team, or every rep away: nobody to give a lead to.
func TestNoRepOnDuty(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "followup.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := newAssigner(t, assign.LeastLoaded, s, monday)
	if got := a.Next(); got != "" || a.Team().Len() != 0 {
		t.Errorf("Next() = %q with no rep", got)
	}
	if err := s.AddRep(cadence.Rep{Name: "erin", Role: cadence.RoleRep}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetAway(cadence.DefaultPolicy(time.UTC), "erin", monday, monday.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	a = newAssigner(t, assign.RoundRobin, s, monday)
	if got := a.Next(); got != "" || !a.Team().IsRep("erin") || a.Team().OnDuty() != 0 {
		t.Errorf("Next() = %q with the only rep away", got)
	}
	if _, err := assign.New("random", s, monday); err == nil {
		t.Error("an unknown method: no error")
	}
}
