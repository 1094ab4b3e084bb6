package store_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// randomArrivals are n arrivals of a few people, each written with some of
// their email and phone, some records twice, some asking to be contacted:
// later slices of an import meet people and records of earlier ones.
func randomArrivals(seed uint64, n int) []store.Arrival {
	rng := rand.New(rand.NewPCG(seed, 1))
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	var out []store.Arrival
	for range n {
		p := rng.IntN(n / 3)
		l := cadence.Lead{Name: fmt.Sprintf("Person %d", p), ReceivedAt: at.Add(time.Duration(rng.IntN(600)) * time.Minute),
			Interactions: 1, ContactMe: rng.IntN(8) == 0}
		switch rng.IntN(4) {
		case 0:
			l.Email = fmt.Sprintf("p%d@example.com", p)
		case 1:
			l.Phone = fmt.Sprintf("+1312555%04d", p)
		case 2:
			l.Email, l.Phone = fmt.Sprintf("p%d@example.com", p), fmt.Sprintf("+1312555%04d", p)
		default: // an email and someone else's phone (a shared office line)
			l.Email, l.Phone = fmt.Sprintf("p%d@example.com", p), fmt.Sprintf("+1312555%04d", rng.IntN(n/3))
		}
		record := fmt.Appendf(nil, "row %d %d %s %s", p, rng.IntN(2), l.Email, l.Phone)
		out = append(out, store.Arrival{Lead: l, Fingerprint: store.Fingerprint(record)})
	}
	return out
}

// everything is what a user can see of the leads of randomArrivals.
func everything(t *testing.T, s *store.Store, arrivals []store.Arrival) any {
	n := len(arrivals)
	t.Helper()
	var leads []cadence.Lead
	if err := s.ForEachLead(func(l cadence.Lead) error {
		leads = append(leads, normLead(l))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	queues := map[string][]cadence.QueueKey{}
	for _, rep := range []string{"alice", "bob"} {
		q, err := s.QueueKeys(rep)
		if err != nil {
			t.Fatal(err)
		}
		for i := range q {
			q[i].At = q[i].At.UTC()
		}
		queues[rep] = q
	}
	contacts := map[string]cadence.LeadID{}
	for p := range n / 3 {
		email, phone := fmt.Sprintf("p%d@example.com", p), fmt.Sprintf("+1312555%04d", p)
		contacts[email], _, _ = s.FindContact(email, "")
		contacts[phone], _, _ = s.FindContact("", phone)
	}
	seen := 0
	for _, a := range arrivals {
		if ok, _ := s.Seen(a); ok {
			seen++
		}
	}
	return []any{leads, queues, contacts, seen}
}

// An import written in slices ends as the same arrivals entered at once:
// the same leads (interactions, contacts filled in, names qualified by a
// later slice), the same queues, the same contact index; importing the
// records again changes nothing; and check finds the indexes in step.
// Also when some of the people were there before the import, so that a
// slice changes a lead (gives it a contact, qualifies it) that the next
// slice meets while that one is being written.
func TestImportInSlicesEqualsOneArrive(t *testing.T) {
	const n = 90
	for _, seed := range []uint64{1, 2, 3} {
		for _, before := range []int{0, n / 3} {
			testImportInSlices(t, seed, randomArrivals(seed, n), before)
		}
	}
}

// testImportInSlices enters arrivals[:before] at once, then the rest at
// once or as an import in slices of several sizes, and compares.
func testImportInSlices(t *testing.T, seed uint64, arrivals []store.Arrival, before int) {
	t.Helper()
	turns := func() store.ArriveOptions {
		i := 0
		return store.ArriveOptions{MinInteractions: 2, Assign: func() string {
			i++
			return []string{"alice", "bob"}[i%2]
		}}
	}
	open := func(name string, o store.ArriveOptions) *store.Store {
		s, err := store.Open(filepath.Join(t.TempDir(), name), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		mustAddRep(t, s, "alice")
		mustAddRep(t, s, "bob")
		if before > 0 {
			if _, err := s.Arrive(clone(arrivals[:before]), o); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	o := turns()
	whole := open("whole.db", o)
	if _, err := whole.Arrive(clone(arrivals[before:]), o); err != nil {
		t.Fatal(err)
	}
	want := everything(t, whole, arrivals)
	for _, size := range []int{1, 4, 7, 30} {
		o := turns()
		s := open(fmt.Sprintf("slices%d.db", size), o)
		importAll(t, s, arrivals[before:], size, o)
		if got := everything(t, s, arrivals); !reflect.DeepEqual(got, want) {
			t.Errorf("seed %d, %d before, slices of %d: %s", seed, before, size, difference(got, want))
		}
		mustCheck(t, s, cadence.DefaultPolicy(time.UTC))
		for i, r := range importAll(t, s, arrivals, size, o) {
			if !r.Seen {
				t.Errorf("seed %d, %d before, slices of %d: record %d imported again: %+v, want seen", seed, before, size, i, r)
				break
			}
		}
		if got := everything(t, s, arrivals); !reflect.DeepEqual(got, want) {
			t.Errorf("seed %d, %d before, slices of %d: the second import changed something", seed, before, size)
		}
	}
}

func clone(arrivals []store.Arrival) []store.Arrival {
	out := make([]store.Arrival, len(arrivals))
	copy(out, arrivals)
	return out
}

// difference names the first part of everything that differs.
func difference(got, want any) string {
	g, w := got.([]any), want.([]any)
	if gl, wl := g[0].([]cadence.Lead), w[0].([]cadence.Lead); !reflect.DeepEqual(gl, wl) {
		for i := range min(len(gl), len(wl)) {
			if !reflect.DeepEqual(gl[i], wl[i]) {
				return fmt.Sprintf("lead %d is\n%+v\nentered at once:\n%+v", gl[i].ID, gl[i], wl[i])
			}
		}
		return fmt.Sprintf("%d leads, entered at once %d", len(gl), len(wl))
	}
	for i, what := range []string{"queues", "contacts", "records seen"}[:] {
		if !reflect.DeepEqual(g[i+1], w[i+1]) {
			return fmt.Sprintf("%s:\n%+v\nentered at once:\n%+v", what, g[i+1], w[i+1])
		}
	}
	return "nothing"
}

// A row that joined a lead by its phone, bringing an email the lead did
// not take, is still that lead's row when the file comes again, and a
// later row with only that email is a lead of its own however the file
// is sliced.
func TestImportAgainFindsARowByTheContactItJoinedBy(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	row := func(email, phone string) store.Arrival {
		return store.Arrival{Lead: cadence.Lead{Name: email + phone, Email: email, Phone: phone, ReceivedAt: at, Interactions: 1},
			Fingerprint: store.Fingerprint([]byte(email + "\x1f" + phone))}
	}
	rows := []store.Arrival{
		row("ann@example.com", "+13125550101"),
		row("ann.work@example.com", "+13125550101"), // joins Ann by phone; she keeps her email
		row("ann.work@example.com", ""),
	}
	for _, size := range []int{1, 2, 3} {
		s := openWithReps(t)
		importAll(t, s, rows, size, toAlice)
		if n := leadCount(t, s); n != 2 {
			t.Errorf("slices of %d: %d leads, want 2 (Ann, and the work address on its own)", size, n)
		}
		for i, r := range importAll(t, s, rows, size, toAlice) {
			if !r.Seen {
				t.Errorf("slices of %d: row %d imported again: %+v", size, i, r)
			}
		}
		if n := leadCount(t, s); n != 2 {
			t.Errorf("slices of %d: %d leads after the second import", size, n)
		}
	}
}

// A person met again and again keeps a bounded record: past maxRecords
// rows, the rows go to the seen table, and the file imports again as seen.
func TestImportOfOnePersonManyTimes(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	var rows []store.Arrival
	for i := range 300 {
		rows = append(rows, store.Arrival{Lead: cadence.Lead{Name: "Front desk", Phone: "+13125550199", ReceivedAt: at, Interactions: 1},
			Fingerprint: store.Fingerprint(fmt.Appendf(nil, "call %d", i))})
	}
	s := openWithReps(t)
	importAll(t, s, rows, 70, toAlice)
	l, err := s.Lead(1)
	if err != nil || l.Interactions != 300 || len(l.Records) > 64 {
		t.Fatalf("lead 1: %d interactions, %d records kept, %v; want 300 and at most 64", l.Interactions, len(l.Records), err)
	}
	for i, r := range importAll(t, s, rows, 70, toAlice) {
		if !r.Seen {
			t.Fatalf("row %d imported again: %+v", i, r)
		}
	}
	mustCheck(t, s, cadence.DefaultPolicy(time.UTC))
}

// An import committed takes no more slices, and no second Commit: it
// says so.
func TestImportTakesNoSliceAfterCommit(t *testing.T) {
	s := openWithReps(t)
	im, err := s.BeginImport("leads.csv", time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Arrive(randomArrivals(1, 3), store.ArriveOptions{Assign: func() string { return "alice" }}); err == nil {
		t.Error("Arrive after Commit: no error")
	}
	if err := im.Commit(); err == nil {
		t.Error("Commit after Commit: no error")
	}
}

func openWithReps(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "leads.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	mustAddRep(t, s, "alice")
	return s
}

// importAll imports rows in slices of size as one import, and commits it.
func importAll(t *testing.T, s *store.Store, rows []store.Arrival, size int, o store.ArriveOptions) []store.ArrivalResult {
	t.Helper()
	im, err := s.BeginImport("leads.csv", time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	im.HoldWrites()
	var out []store.ArrivalResult
	for rest := clone(rows); len(rest) > 0; rest = rest[min(size, len(rest)):] {
		r, err := im.Arrive(rest[:min(size, len(rest))], o)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r...)
	}
	if err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	return out
}

func leadCount(t *testing.T, s *store.Store) int {
	t.Helper()
	st, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	return st.Leads
}

// toAlice gives every new lead to alice.
var toAlice = store.ArriveOptions{Assign: func() string { return "alice" }}

// A lead from before the import that takes an email in one slice is the
// lead of a row with that email in the next slice, though the next slice
// is decided before the first is written.
func TestImportFindsAContactTakenInTheSliceBefore(t *testing.T) {
	s := openWithReps(t)
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	before, err := s.Arrive([]store.Arrival{{Lead: cadence.Lead{Name: "Ann", Phone: "+13125550100", ReceivedAt: at, Interactions: 1}}}, toAlice)
	if err != nil {
		t.Fatal(err)
	}
	rows := []store.Arrival{
		{Lead: cadence.Lead{Name: "Ann", Phone: "+13125550100", Email: "ann@example.com", ReceivedAt: at, Interactions: 1},
			Fingerprint: store.Fingerprint([]byte("ann by phone, with her email"))},
		{Lead: cadence.Lead{Name: "Ann", Email: "ann@example.com", ReceivedAt: at, Interactions: 1},
			Fingerprint: store.Fingerprint([]byte("ann by email"))},
	}
	got := importAll(t, s, rows, 1, toAlice)
	for i, r := range got {
		if r.ID != before[0].ID || !r.Duplicate {
			t.Errorf("row %d: %+v, want another interaction of lead %d", i, r, before[0].ID)
		}
	}
	if n := leadCount(t, s); n != 1 {
		t.Errorf("%d leads, want 1", n)
	}
	mustCheck(t, s, cadence.DefaultPolicy(time.UTC))
}
