package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// Dedupe holds across a batch: a row that matches a database lead makes
// that lead's contacts known to later rows, and no lead takes a contact
// another lead holds.
func TestArriveDedupesAcrossTheBatch(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "arrive.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustAddRep(t, s, "alice")
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	lead := func(name, email, phone string) cadence.Lead {
		return cadence.Lead{Name: name, Email: email, Phone: phone, Owner: "alice", ReceivedAt: at, Interactions: 1}
	}
	res, err := s.Arrive([]store.Arrival{{Lead: lead("Dana", "", "+13125550142")}, {Lead: lead("Fox", "", "+12125550100")}})
	if err != nil || !res[0].New || !res[1].New {
		t.Fatalf("first arrivals: %+v %v", res, err)
	}
	res, err = s.Arrive([]store.Arrival{
		{Lead: lead("Dana", "dana@fbi.gov", "+13125550142")},     // lead 1, now with an email
		{Lead: lead("Dana", "dana@fbi.gov", "")},                 // lead 1 again, by that email
		{Lead: lead("Walter", "walter@fbi.gov", "")},             // new: lead 3
		{Lead: lead("Walter", "walter@fbi.gov", "+12125550100")}, // lead 3 again; the phone is Fox's
	})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].ID != 1 || res[1].ID != 1 || !res[1].Duplicate || !res[2].New || res[3].ID != res[2].ID {
		t.Fatalf("results: %+v", res)
	}
	if l, _ := s.Lead(1); l.Email != "dana@fbi.gov" || l.Interactions != 3 {
		t.Errorf("lead 1: %q, %d interactions", l.Email, l.Interactions)
	}
	if l, _ := s.Lead(res[2].ID); l.Phone != "" {
		t.Errorf("Walter took Fox's phone %q", l.Phone)
	}
	if id, _, _ := s.FindContact("dana@fbi.gov", ""); id != 1 {
		t.Errorf("dana@fbi.gov finds lead %d, want 1", id)
	}
	mustCheck(t, s, cadence.DefaultPolicy(time.UTC))
}
