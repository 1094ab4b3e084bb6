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
	res, err := s.Arrive([]store.Arrival{{Lead: lead("Dana", "", "+13125550142")}, {Lead: lead("Fox", "", "+12125550100")}}, store.ArriveOptions{})
	if err != nil || !res[0].New || !res[1].New {
		t.Fatalf("first arrivals: %+v %v", res, err)
	}
	res, err = s.Arrive([]store.Arrival{
		{Lead: lead("Dana", "dana@fbi.gov", "+13125550142")},     // lead 1, now with an email
		{Lead: lead("Dana", "dana@fbi.gov", "")},                 // lead 1 again, by that email
		{Lead: lead("Walter", "walter@fbi.gov", "")},             // new: lead 3
		{Lead: lead("Walter", "walter@fbi.gov", "+12125550100")}, // lead 3 again; the phone is Fox's
	}, store.ArriveOptions{})
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

// With two interactions to make a lead, a first form fill is a name: no
// owner, in no queue. Reaching out again (here, in the same batch or a
// later one) or asking to be contacted makes it a lead, given out then.
func TestArriveKeepsNamesUntilTheyQualify(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "names.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustAddRep(t, s, "alice")
	mustAddRep(t, s, "bob")
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	person := func(name, email string, at time.Time) cadence.Lead {
		return cadence.Lead{Name: name, Email: email, ReceivedAt: at, EnteredAt: at, AssignedAt: at, Interactions: 1}
	}
	var given []string
	opts := store.ArriveOptions{MinInteractions: 2, Assign: func() string {
		next := []string{"alice", "bob"}[len(given)%2]
		given = append(given, next)
		return next
	}}
	asks := person("Asks", "asks@example.com", day(2))
	asks.ContactMe = true
	res, err := s.Arrive([]store.Arrival{
		{Lead: person("Once", "once@example.com", day(2))},
		{Lead: person("Twice", "twice@example.com", day(2))},
		{Lead: person("Twice", "twice@example.com", day(3))},
		{Lead: asks},
	}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].New || !res[0].Name || res[0].Owner != "" {
		t.Errorf("one form fill: %+v, want a new name with no owner", res[0])
	}
	if !res[2].Duplicate || !res[2].Qualified || res[2].Owner != "alice" || res[2].ID != res[1].ID {
		t.Errorf("the second form fill in the batch: %+v, want lead %d qualified and given to alice", res[2], res[1].ID)
	}
	if res[3].Name || res[3].Owner != "bob" {
		t.Errorf("contact me: %+v, want a lead given to bob at once", res[3])
	}
	for _, rep := range []string{"alice", "bob"} {
		if n, _ := s.QueueLen(rep); n != 1 {
			t.Errorf("%s has %d leads in the queue, want 1", rep, n)
		}
	}
	if l, _ := s.Lead(res[1].ID); !l.ReceivedAt.Equal(day(3)) {
		t.Errorf("the qualified lead counts as received %v, want when it qualified (%v)", l.ReceivedAt, day(3))
	}
	mustCheck(t, s, cadence.DefaultPolicy(time.UTC)) // a name is consistent too

	// Days later the name reaches out again (another form, a new address
	// fingerprint): now a lead, given to the next rep in turn.
	res, err = s.Arrive([]store.Arrival{{Lead: person("Once", "once@example.com", day(9)), Fingerprint: store.Fingerprint([]byte("form 2"))}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].Qualified || res[0].Owner != "alice" || res[0].Name {
		t.Errorf("the name's second interaction: %+v, want it qualified and given to alice", res[0])
	}
	l, err := s.Lead(res[0].ID)
	if err != nil || l.Status != cadence.StatusOpen || l.Owner != "alice" || l.Interactions != 2 {
		t.Errorf("the qualified name: status %v, owner %q, %d interactions, %v", l.Status, l.Owner, l.Interactions, err)
	}
	if last, err := s.LastAssigned(); err != nil || last != "alice" {
		t.Errorf("last assigned %q (%v), want alice", last, err)
	}
	mustCheck(t, s, cadence.DefaultPolicy(time.UTC))
}

// A row found by its phone whose email is another says so: the lead keeps
// its own email, and the import can tell the user (a shared line?).
func TestArriveTellsAnotherEmailOnTheSamePhone(t *testing.T) {
	s := openWithReps(t)
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	res, err := s.Arrive([]store.Arrival{
		{Lead: cadence.Lead{Name: "Dana Scully", Email: "dana@fbi.gov", Phone: "+13125550142", ReceivedAt: at, Interactions: 1}},
		{Lead: cadence.Lead{Name: "Jo Nguyen", Email: "jo@fbi.gov", Phone: "+13125550142", ReceivedAt: at, Interactions: 1}},
		{Lead: cadence.Lead{Name: "Dana Scully", Phone: "+13125550142", ReceivedAt: at, Interactions: 1}},
		{Lead: cadence.Lead{Name: "D. Scully", Email: "dana@fbi.gov", ReceivedAt: at, Interactions: 1}},
	}, toAlice)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{false, true, false, false} {
		if res[i].OtherEmail != want || (i > 0 && !res[i].Duplicate) {
			t.Errorf("arrival %d: %+v, want OtherEmail %v", i, res[i], want)
		}
	}
	l, err := s.Lead(res[0].ID)
	if err != nil || l.Email != "dana@fbi.gov" {
		t.Errorf("the lead: %+v, %v; want it to keep dana@fbi.gov", l, err)
	}
}
