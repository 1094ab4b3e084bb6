package store_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// importFixture is a store with two reps and three leads, one already
// imported from a record "row 0".
func importFixture(t *testing.T) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "import.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustAddRep(t, s, "alice")
	mustAddRep(t, s, "bob")
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	var first []store.Arrival
	for i := range 3 {
		l := cadence.Lead{Name: fmt.Sprintf("Old %d", i), Email: fmt.Sprintf("old%d@example.com", i), ReceivedAt: at, Interactions: 1}
		first = append(first, store.Arrival{Lead: l, Fingerprint: store.Fingerprint(fmt.Appendf(nil, "row %d", i))})
	}
	if _, err := s.Arrive(first, store.ArriveOptions{Assign: func() string { return "alice" }}); err != nil {
		t.Fatal(err)
	}
	return s, path
}

// snapshot is everything an import may change, as a user would see it.
type snapshot struct {
	Leads        []cadence.Lead
	Stats        store.Stats
	Queues       map[string][]cadence.QueueKey
	LastAssigned string
	Contacts     map[string]cadence.LeadID
}

func takeSnapshot(t *testing.T, s *store.Store) snapshot {
	t.Helper()
	var snap snapshot
	if err := s.ForEachLead(func(l cadence.Lead) error {
		snap.Leads = append(snap.Leads, normLead(l))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var err error
	if snap.Stats, err = s.Stats(); err != nil {
		t.Fatal(err)
	}
	snap.Queues = map[string][]cadence.QueueKey{}
	for _, rep := range []string{"alice", "bob"} {
		if snap.Queues[rep], err = s.QueueKeys(rep); err != nil {
			t.Fatal(err)
		}
		for i := range snap.Queues[rep] {
			snap.Queues[rep][i].At = snap.Queues[rep][i].At.UTC()
		}
	}
	if snap.LastAssigned, err = s.LastAssigned(); err != nil {
		t.Fatal(err)
	}
	snap.Contacts = map[string]cadence.LeadID{}
	for i := range 12 {
		email := fmt.Sprintf("new%d@example.com", i)
		if i < 3 {
			email = fmt.Sprintf("old%d@example.com", i)
		}
		id, _, _ := s.FindContact(email, "")
		snap.Contacts[email] = id
		phone := fmt.Sprintf("+1312555%04d", i)
		id, _, _ = s.FindContact("", phone)
		snap.Contacts[phone] = id
	}
	return snap
}

// runImport writes an import of nine new people and old0 again (now with a
// phone), in slices of three, given to bob; the import is left open.
func runImport(t *testing.T, s *store.Store) *store.Import {
	t.Helper()
	im, err := s.BeginImport("leads.csv", time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	var all []store.Arrival
	for i := 3; i < 12; i++ {
		l := cadence.Lead{Name: fmt.Sprintf("New %d", i), Email: fmt.Sprintf("new%d@example.com", i), ReceivedAt: at, Interactions: 1}
		all = append(all, store.Arrival{Lead: l, Fingerprint: store.Fingerprint(fmt.Appendf(nil, "new row %d", i))})
	}
	again := cadence.Lead{Name: "Old 0", Email: "old0@example.com", Phone: "+13125550000", ReceivedAt: at, Interactions: 1}
	all = append(all[:4], append([]store.Arrival{{Lead: again, Fingerprint: store.Fingerprint([]byte("old again"))}}, all[4:]...)...)
	for len(all) > 0 {
		n := min(3, len(all))
		if _, err := im.Arrive(all[:n], store.ArriveOptions{Assign: func() string { return "bob" }}); err != nil {
			t.Fatal(err)
		}
		all = all[n:]
	}
	return im
}

// An import written in slices is final once committed, and taken back
// whole by Abort: every lead, index entry, record seen and the turn are as
// they were, and the same records import again as new.
func TestImportCommitsOrTakesBackWhole(t *testing.T) {
	s, _ := importFixture(t)
	before := takeSnapshot(t, s)
	runImport(t, s).Abort()
	if after := takeSnapshot(t, s); !reflect.DeepEqual(before, after) {
		t.Errorf("after Abort:\n%+v\nbefore:\n%+v", after, before)
	}
	mustCheck(t, s, cadence.DefaultPolicy(time.UTC))

	im := runImport(t, s)
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	after := takeSnapshot(t, s)
	if after.Stats.Leads != 12 || len(after.Queues["bob"]) != 9 || after.LastAssigned != "bob" {
		t.Errorf("after Commit: %d leads, bob has %d, last assigned %q", after.Stats.Leads, len(after.Queues["bob"]), after.LastAssigned)
	}
	if old0, _ := s.Lead(1); old0.Interactions != 2 || old0.Phone != "+13125550000" {
		t.Errorf("old0 after the import: %d interactions, phone %q", old0.Interactions, old0.Phone)
	}
	if l, _ := s.Lead(4); l.Name != "New 3" {
		t.Errorf("lead 4 is %q: the ids taken back were not handed out again", l.Name)
	}
	mustCheck(t, s, cadence.DefaultPolicy(time.UTC))
	if err := im.Abort(); err == nil {
		t.Error("Abort after Commit: no error")
	}
}

// A process killed during an import leaves its committed slices in the
// file: a read-only open refuses it, and the next writable open takes the
// import back before anything else, and says so.
func TestOpenTakesBackACutShortImport(t *testing.T) {
	s, path := importFixture(t)
	before := takeSnapshot(t, s)
	runImport(t, s) // never committed
	s.Close()

	if _, err := store.Open(path, store.Options{ReadOnly: true}); !errors.Is(err, store.ErrImportCutShort) {
		t.Errorf("read-only open: %v, want ErrImportCutShort", err)
	}
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cut := s.CutShort()
	if cut == nil || cut.Name != "leads.csv" || cut.Leads != 9 || cut.Changed != 1 {
		t.Fatalf("cut short: %+v, want leads.csv with 9 new leads and 1 changed", cut)
	}
	if after := takeSnapshot(t, s); !reflect.DeepEqual(before, after) {
		t.Errorf("after taking back:\n%+v\nbefore:\n%+v", after, before)
	}
	mustCheck(t, s, cadence.DefaultPolicy(time.UTC))
}
