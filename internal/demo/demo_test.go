package demo

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

func build(t *testing.T, n int, seed uint64) (*store.Store, cadence.Policy, time.Time) {
	t.Helper()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 15, 0, 0, loc)
	p := cadence.DefaultPolicy(loc)
	s, err := store.Open(filepath.Join(t.TempDir(), "demo.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := Build(s, Options{Leads: n, Now: now, Seed: seed, Policy: p}); err != nil {
		t.Fatal(err)
	}
	return s, p, now
}

// A demo is a realistic, sound database: every tier in every rep's queue,
// closed leads, notes, and nothing check objects to.
func TestDemoIsRealisticAndSound(t *testing.T) {
	s, p, now := build(t, 2_000, 1)
	if problems, err := s.Check(p); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
	st, _ := s.Stats()
	if st.Leads != 2_000 || st.Reps != len(Reps)+1 || st.Notes == 0 || st.Touches == 0 || st.Open == st.Leads {
		t.Errorf("stats %+v: want every lead, the team, notes, touches and some closed leads", st)
	}
	for _, rep := range Reps {
		leads, err := s.Queue(rep, 0)
		if err != nil {
			t.Fatal(err)
		}
		tiers := map[cadence.Tier]int{}
		for i := range leads {
			tiers[cadence.TierOf(&leads[i], now)]++
			if leads[i].ReceivedAt.After(now) {
				t.Fatalf("lead %d received in the future", leads[i].ID)
			}
		}
		if tiers[cadence.TierUntouched] == 0 || tiers[cadence.TierDue] == 0 || tiers[cadence.TierScheduled] == 0 {
			t.Errorf("%s's queue lacks a tier: %v", rep, tiers)
		}
	}
}

// The same seed and clock build the same database; another seed another.
func TestDemoIsDeterministic(t *testing.T) {
	leads := func(seed uint64) []cadence.Lead {
		s, _, _ := build(t, 300, seed)
		var out []cadence.Lead
		s.ForEachLead(func(l cadence.Lead) error { out = append(out, l); return nil })
		return out
	}
	a, b, c := leads(7), leads(7), leads(8)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed built two different databases")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("two seeds built the same database")
	}
}

// Every demo touch reached for someone: none is logged on research, which
// is no contact (the workstation never offers it).
func TestDemoTouchesAreContacts(t *testing.T) {
	s, _, _ := build(t, 2_000, 3)
	n := 0
	err := s.ForEachTouch(func(tc cadence.Touch) error {
		n++
		if !tc.Channel.IsContact() {
			return fmt.Errorf("touch %d of lead %d is on %s", tc.ID, tc.LeadID, tc.Channel)
		}
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("%d touches: %v", n, err)
	}
}
