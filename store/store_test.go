package store_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// testNY is the team timezone of every store test.
var testNY = mustLoc("America/New_York")

// testPolicy is the default policy in New York.
func testPolicy() cadence.Policy { return cadence.DefaultPolicy(testNY) }

// testAt is a New York wall time (Monday 2026-01-12 is a business day).
func testAt(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, testNY)
}

// openTestStore opens a new store in a temporary folder; it is closed when
// the test ends.
func openTestStore(t testing.TB) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "followup.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// normLead returns l with every time in UTC and no empty slices, so that a
// lead computed in memory and one read back from the file compare equal.
func normLead(l cadence.Lead) cadence.Lead {
	l = l.Clone()
	for _, p := range []*time.Time{&l.ReceivedAt, &l.EnteredAt, &l.AssignedAt, &l.QualifiedAt,
		&l.ClosedAt, &l.FirstContactAt, &l.LastContactAt, &l.LastTouchAt, &l.NextDue} {
		*p = normTime(*p)
	}
	if len(l.RecentCalls) == 0 {
		l.RecentCalls = nil
	}
	for i := range l.RecentCalls {
		l.RecentCalls[i] = normTime(l.RecentCalls[i])
	}
	for i := range l.Pauses {
		l.Pauses[i] = cadence.Pause{From: normTime(l.Pauses[i].From), Until: normTime(l.Pauses[i].Until)}
	}
	return l
}

func normTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// sameLead reports whether two leads hold the same data.
func sameLead(a, b cadence.Lead) bool { return reflect.DeepEqual(normLead(a), normLead(b)) }

// mustAddRep adds a rep or fails the test.
func mustAddRep(t testing.TB, s *store.Store, name string) {
	t.Helper()
	if err := s.AddRep(cadence.Rep{Name: name, Role: cadence.RoleRep, CreatedAt: testAt(2026, 1, 1, 9, 0)}); err != nil {
		t.Fatal(err)
	}
}

// mustAddLead adds a lead or fails the test.
func mustAddLead(t testing.TB, s *store.Store, l cadence.Lead) cadence.Lead {
	t.Helper()
	got, err := s.AddLead(l)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// mustLog logs a touch or fails the test.
func mustLog(t testing.TB, s *store.Store, p cadence.Policy, tc cadence.Touch) (cadence.Lead, cadence.Touch) {
	t.Helper()
	l, tc, err := s.LogTouch(p, tc)
	if err != nil {
		t.Fatal(err)
	}
	return l, tc
}

// allLeads reads every lead in id order.
func allLeads(t testing.TB, s *store.Store) []cadence.Lead {
	t.Helper()
	var out []cadence.Lead
	if err := s.ForEachLead(func(l cadence.Lead) error { out = append(out, l); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// mustCheck fails the test unless Check finds the database sound.
func mustCheck(t testing.TB, s *store.Store, p cadence.Policy) {
	t.Helper()
	problems, err := s.Check(p)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	if len(problems) > 0 {
		t.Fatalf("check found %d problems:\n%s", len(problems), joinLines(problems))
	}
}

func joinLines(xs []string) string {
	var b bytes.Buffer
	for _, x := range xs {
		fmt.Fprintf(&b, "  %s\n", x)
	}
	return b.String()
}

// fillSmall builds a small database: two reps, three leads, a few touches
// (lead 2 has two), one closed lead (3), a note. It returns the leads.
func fillSmall(t testing.TB, s *store.Store, p cadence.Policy) []cadence.Lead {
	t.Helper()
	mustAddRep(t, s, "alice")
	mustAddRep(t, s, "bob")
	mon := testAt(2026, 1, 12, 9, 30)
	l1 := mustAddLead(t, s, cadence.Lead{Name: "Ann Lee", Email: "ann@example.com", Phone: "+12125550101",
		ReceivedAt: mon, EnteredAt: mon, AssignedAt: mon, Owner: "alice", Source: "web"})
	l2 := mustAddLead(t, s, cadence.Lead{Name: "Bo Park", Phone: "+13105550102", Timezone: "America/Los_Angeles",
		ReceivedAt: mon.Add(5 * time.Minute), Owner: "alice", SMSOptIn: true})
	l3 := mustAddLead(t, s, cadence.Lead{Name: "Cy Diaz", Email: "cy@example.com", ReceivedAt: mon.Add(10 * time.Minute), Owner: "bob"})
	mustLog(t, s, p, cadence.Touch{LeadID: l2.ID, At: mon.Add(time.Hour), Rep: "alice", Channel: cadence.Call, Outcome: cadence.NoAnswer})
	mustLog(t, s, p, cadence.Touch{LeadID: l2.ID, At: mon.Add(25 * time.Hour), Rep: "alice", Channel: cadence.Research, Outcome: cadence.Connected})
	mustLog(t, s, p, cadence.Touch{LeadID: l3.ID, At: mon.Add(2 * time.Hour), Rep: "bob", Channel: cadence.Email, Outcome: cadence.Won})
	if _, err := s.AddNote(cadence.Note{LeadID: l1.ID, At: mon.Add(time.Minute), Rep: "alice", Text: "asked for pricing"}); err != nil {
		t.Fatal(err)
	}
	_ = l1
	return allLeads(t, s)
}

func TestOpenLockedFails(t *testing.T) {
	s, path := openTestStore(t)
	for _, ro := range []bool{false, true} {
		start := time.Now()
		s2, err := store.Open(path, store.Options{Timeout: 100 * time.Millisecond, ReadOnly: ro})
		if err == nil {
			s2.Close()
			t.Fatalf("read-only %v: a second open of a held file succeeded", ro)
		}
		if !errors.Is(err, store.ErrLocked) {
			t.Errorf("read-only %v: got %v, want an error wrapping ErrLocked", ro, err)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("read-only %v: failing took %v with a 100ms timeout", ro, took)
		}
	}
	// Once the first closes, the file opens.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := store.Open(path, store.Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("open after the holder closed: %v", err)
	}
	s2.Close()
}

func TestOpenReadOnlyMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope", "followup.db")
	_, err := store.Open(path, store.Options{ReadOnly: true})
	if !errors.Is(err, store.ErrNoDatabase) {
		t.Fatalf("got %v, want ErrNoDatabase", err)
	}
	if _, statErr := os.Stat(filepath.Dir(path)); !errors.Is(statErr, os.ErrNotExist) {
		t.Errorf("a read-only open created %s", filepath.Dir(path))
	}
}

func TestOpenCreatesFolders(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "followup.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
}

// writeBolt creates a bbolt file at path and runs fn in a write transaction.
func writeBolt(t testing.TB, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// fileBytes returns the file's content.
func fileBytes(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpenForeignBoltFile(t *testing.T) {
	tests := []struct {
		name    string
		buckets []string
	}{
		{"unrelated buckets", []string{"users", "sessions"}},
		// A "meta" bucket is a common name; without followup's schema
		// record the file is still not ours.
		{"a bucket named meta", []string{"meta", "config"}},
		{"only a bucket named meta", []string{"meta"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "other.db")
			writeBolt(t, path, func(tx *bolt.Tx) error {
				for _, name := range tt.buckets {
					b, err := tx.CreateBucket([]byte(name))
					if err != nil {
						return err
					}
					if err := b.Put([]byte("k"), []byte("v")); err != nil {
						return err
					}
				}
				return nil
			})
			before := fileBytes(t, path)
			for _, ro := range []bool{false, true} {
				s, err := store.Open(path, store.Options{ReadOnly: ro})
				if err == nil {
					s.Close()
					t.Fatalf("read-only %v: opened another program's bbolt file", ro)
				}
				if !errors.Is(err, store.ErrNotDatabase) {
					t.Errorf("read-only %v: got %v, want ErrNotDatabase", ro, err)
				}
			}
			if !bytes.Equal(before, fileBytes(t, path)) {
				t.Errorf("opening another program's file changed it")
			}
		})
	}
}

func TestOpenEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "zero.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// Read-only: not a database (and not bbolt's write error).
	if _, err := store.Open(path, store.Options{ReadOnly: true}); !errors.Is(err, store.ErrNotDatabase) {
		t.Errorf("read-only open of an empty file: got %v, want ErrNotDatabase", err)
	}
	// Writable: a new database, as if the file did not exist.
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("writable open of an empty file: %v", err)
	}
	defer s.Close()
	mustCheck(t, s, testPolicy())
}

func TestOpenReadOnlyEmptyBoltFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.db")
	writeBolt(t, path, func(*bolt.Tx) error { return nil })
	_, err := store.Open(path, store.Options{ReadOnly: true})
	if !errors.Is(err, store.ErrNotDatabase) {
		t.Fatalf("got %v, want ErrNotDatabase", err)
	}
}

func TestOpenGarbageFile(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"a short text", []byte("name,email\nAnn,ann@example.com\n")},
		{"one random page", random(4096)},
		{"random pages", random(64 << 10)},
		{"zeros", make([]byte, 32<<10)},
		{"a text file of some pages", bytes.Repeat([]byte("not a database\n"), 3000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "garbage.db")
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			for _, ro := range []bool{false, true} {
				type result struct {
					err      error
					panicked any
				}
				done := make(chan result, 1)
				go func() {
					defer func() {
						if r := recover(); r != nil {
							done <- result{panicked: r}
						}
					}()
					s, err := store.Open(path, store.Options{ReadOnly: ro, Timeout: 100 * time.Millisecond})
					if err == nil {
						s.Close()
					}
					done <- result{err: err}
				}()
				select {
				case r := <-done:
					switch {
					case r.panicked != nil:
						t.Errorf("read-only %v: open panics: %v", ro, r.panicked)
					case r.err == nil:
						t.Errorf("read-only %v: a garbage file opened", ro)
					case !errors.Is(r.err, store.ErrNotDatabase):
						t.Errorf("read-only %v: %v, want ErrNotDatabase", ro, r.err)
					}
				case <-time.After(5 * time.Second):
					t.Fatalf("read-only %v: opening a garbage file hangs", ro)
				}
			}
		})
	}
}

// schemaOf reads meta/schema of a closed database with bbolt.
func schemaOf(t testing.TB, path string) uint64 {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v uint64
	if err := db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket([]byte("meta"))
		if meta == nil {
			return errors.New("no meta bucket")
		}
		n := 0
		v, n = binary.Uvarint(meta.Get([]byte("schema")))
		if n <= 0 {
			return errors.New("no schema version")
		}
		for _, name := range store.BucketNames {
			if tx.Bucket([]byte(name)) == nil {
				return fmt.Errorf("no bucket %s", name)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestMigrations opens a database left at each older schema version (one
// case per migration: the database before it ran) and checks that it is
// migrated to the current version, works, and that reopening changes
// nothing.
func TestMigrations(t *testing.T) {
	if store.SchemaVersion() < 1 {
		t.Fatalf("SchemaVersion() = %d; the first migration creates the buckets", store.SchemaVersion())
	}
	p := testPolicy()
	for from := 0; from < store.SchemaVersion(); from++ {
		t.Run(fmt.Sprintf("from %d (%s)", from, store.MigrationName(from)), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "old.db")
			if err := store.CreateAtSchema(path, from); err != nil {
				t.Fatal(err)
			}
			s, err := store.Open(path, store.Options{})
			if err != nil {
				t.Fatalf("open a schema-%d database: %v", from, err)
			}
			fillSmall(t, s, p)
			want := allLeads(t, s)
			mustCheck(t, s, p)
			s.Close()
			if v := schemaOf(t, path); v != uint64(store.SchemaVersion()) {
				t.Fatalf("schema after open: %d, want %d", v, store.SchemaVersion())
			}
			for i := range 2 {
				s, err := store.Open(path, store.Options{ReadOnly: i == 1})
				if err != nil {
					t.Fatalf("reopen %d: %v", i, err)
				}
				if got := allLeads(t, s); !reflect.DeepEqual(got, want) {
					t.Errorf("reopen %d: leads changed", i)
				}
				mustCheck(t, s, p)
				s.Close()
			}
			if v := schemaOf(t, path); v != uint64(store.SchemaVersion()) {
				t.Fatalf("schema after reopening: %d, want %d", v, store.SchemaVersion())
			}
		})
	}
}

func TestMigrationsReadOnlyOldSchemaRefused(t *testing.T) {
	for from := 1; from < store.SchemaVersion(); from++ {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("old%d.db", from))
		if err := store.CreateAtSchema(path, from); err != nil {
			t.Fatal(err)
		}
		if s, err := store.Open(path, store.Options{ReadOnly: true}); err == nil {
			s.Close()
			t.Errorf("schema %d opened read-only without migrating", from)
		}
	}
}

func TestFailedMigrationLeavesFileAsItWas(t *testing.T) {
	p := testPolicy()
	s, path := openTestStore(t)
	want := fillSmall(t, s, p)
	s.Close()

	restore := store.AppendFailingMigration()
	_, err := store.Open(path, store.Options{})
	restore()
	if err == nil {
		t.Fatal("open with a failing migration succeeded")
	}
	if v := schemaOf(t, path); v != uint64(store.SchemaVersion()) {
		t.Errorf("schema after a failed migration: %d, want %d", v, store.SchemaVersion())
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte("half-done")) != nil || tx.Bucket([]byte("meta")).Get([]byte("half-done")) != nil {
			t.Errorf("a failed migration left some of its writes")
		}
		return nil
	})
	db.Close()
	s, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := allLeads(t, s); !reflect.DeepEqual(got, want) {
		t.Errorf("leads changed after a failed migration")
	}
}

func TestOpenTooNew(t *testing.T) {
	p := testPolicy()
	s, path := openTestStore(t)
	fillSmall(t, s, p)
	s.Close()
	writeBolt(t, path, func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.AppendUvarint(nil, uint64(store.SchemaVersion()+1)))
	})
	before := fileBytes(t, path)
	for _, ro := range []bool{false, true} {
		s, err := store.Open(path, store.Options{ReadOnly: ro})
		if err == nil {
			s.Close()
			t.Fatalf("read-only %v: opened a database of a newer schema", ro)
		}
		if !errors.Is(err, store.ErrTooNew) {
			t.Errorf("read-only %v: got %v, want ErrTooNew", ro, err)
		}
	}
	if !bytes.Equal(before, fileBytes(t, path)) {
		t.Errorf("opening a too-new database changed it")
	}
}

func TestValuesAreCopies(t *testing.T) {
	p := testPolicy()
	s, _ := openTestStore(t)
	mustAddRep(t, s, "alice")
	mon := testAt(2026, 1, 12, 9, 30)
	in := cadence.Lead{Name: "Ann", Phone: "+12125550101", Email: "ann@example.com", ReceivedAt: mon, Owner: "alice"}
	l := mustAddLead(t, s, in)
	mustLog(t, s, p, cadence.Touch{LeadID: l.ID, At: mon.Add(10 * time.Minute), Rep: "alice", Channel: cadence.Call, Outcome: cadence.NoAnswer})
	mustLog(t, s, p, cadence.Touch{LeadID: l.ID, At: mon.Add(20 * time.Minute), Rep: "alice", Channel: cadence.Call, Outcome: cadence.Voicemail})

	want, err := s.Lead(l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.RecentCalls) != 2 {
		t.Fatalf("recent calls %v, want 2", want.RecentCalls)
	}
	mutate := func(l *cadence.Lead) {
		l.Name = "changed"
		l.Owner = "bob"
		l.Touches = 99
		l.RecentCalls[0] = time.Time{}
		l.RecentCalls = append(l.RecentCalls, mon)
		l.NextDue = time.Time{}
	}

	got, _ := s.Lead(l.ID)
	mutate(&got)
	queue, err := s.Queue("alice", 0)
	if err != nil || len(queue) != 1 {
		t.Fatalf("queue %v, %v", queue, err)
	}
	mutate(&queue[0])
	_ = s.ForEachLead(func(l cadence.Lead) error { mutate(&l); return nil })
	touches, _ := s.Touches(l.ID)
	touches[0].Outcome = cadence.Won
	reps, _ := s.Reps()
	reps[0].Name = "mallory"

	again, err := s.Lead(l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, want) {
		t.Errorf("mutating returned values changed the stored lead:\n got %+v\nwant %+v", again, want)
	}
	if q, _ := s.Queue("alice", 0); len(q) != 1 || !reflect.DeepEqual(q[0], want) {
		t.Errorf("queue changed after mutating returned values: %+v", q)
	}
	if ts, _ := s.Touches(l.ID); ts[0].Outcome != cadence.NoAnswer {
		t.Errorf("a returned touch shares memory with the store")
	}
	if r, err := s.Rep("alice"); err != nil || r.Name != "alice" {
		t.Errorf("a returned rep shares memory with the store: %+v %v", r, err)
	}
	// The lead passed to AddLead is not kept either.
	in.Name = "changed too"
	if again, _ := s.Lead(l.ID); again.Name != "Ann" {
		t.Errorf("the lead given to AddLead is shared with the store")
	}
}

func TestLogTouchIsAtomic(t *testing.T) {
	p := testPolicy()
	s, _ := openTestStore(t)
	leads := fillSmall(t, s, p)
	open, closed := leads[1], leads[2] // lead 2 has touches 1 and 2; lead 3 is won by touch 3
	at := testAt(2026, 1, 14, 11, 0)
	// Lead 4: touch 4 (no answer), then touch 5 closes it.
	l4 := mustAddLead(t, s, cadence.Lead{Name: "Di", Email: "di@example.com", ReceivedAt: at.Add(-48 * time.Hour), Owner: "bob"})
	mustLog(t, s, p, cadence.Touch{LeadID: l4.ID, At: at.Add(-47 * time.Hour), Rep: "bob", Channel: cadence.Email, Outcome: cadence.NoAnswer})
	mustLog(t, s, p, cadence.Touch{LeadID: l4.ID, At: at.Add(-time.Hour), Rep: "bob", Channel: cadence.Email, Outcome: cadence.Lost, Note: "no budget"})

	type snapshot struct {
		leads   []cadence.Lead
		touches [][]cadence.Touch
		queues  [][]cadence.Lead
		stats   store.Stats
	}
	snap := func() snapshot {
		var sn snapshot
		sn.leads = allLeads(t, s)
		for _, l := range sn.leads {
			ts, err := s.Touches(l.ID)
			if err != nil {
				t.Fatal(err)
			}
			sn.touches = append(sn.touches, ts)
		}
		for _, rep := range []string{"alice", "bob"} {
			q, err := s.Queue(rep, 0)
			if err != nil {
				t.Fatal(err)
			}
			sn.queues = append(sn.queues, q)
		}
		st, err := s.Stats()
		if err != nil {
			t.Fatal(err)
		}
		sn.stats = st
		return sn
	}
	before := snap()
	bad := []struct {
		name string
		t    cadence.Touch
	}{
		{"not-now without until", cadence.Touch{LeadID: open.ID, At: at, Rep: "alice", Channel: cadence.Call, Outcome: cadence.NotNow}},
		{"meeting before the touch", cadence.Touch{LeadID: open.ID, At: at, Rep: "alice", Channel: cadence.Call, Outcome: cadence.MeetingBooked, Until: at.Add(-time.Hour)}},
		{"lost without a reason", cadence.Touch{LeadID: open.ID, At: at, Rep: "alice", Channel: cadence.Call, Outcome: cadence.Lost}},
		{"no outcome", cadence.Touch{LeadID: open.ID, At: at, Rep: "alice", Channel: cadence.Call}},
		{"no channel", cadence.Touch{LeadID: open.ID, At: at, Rep: "alice", Outcome: cadence.NoAnswer}},
		{"research that booked a meeting", cadence.Touch{LeadID: open.ID, At: at, Rep: "alice", Channel: cadence.Research, Outcome: cadence.MeetingBooked, Until: at.Add(time.Hour)}},
		{"a closed lead", cadence.Touch{LeadID: closed.ID, At: at, Rep: "bob", Channel: cadence.Email, Outcome: cadence.NoAnswer}},
		{"a lead that does not exist", cadence.Touch{LeadID: 999, At: at, Rep: "bob", Channel: cadence.Email, Outcome: cadence.NoAnswer}},
		{"a correction of another lead's touch", cadence.Touch{LeadID: leads[0].ID, At: at, Rep: "alice", Channel: cadence.Email, Outcome: cadence.NoAnswer, Supersedes: 1}},
		{"a correction of a touch that does not exist", cadence.Touch{LeadID: open.ID, At: at, Rep: "alice", Channel: cadence.Email, Outcome: cadence.NoAnswer, Supersedes: 999}},
		{"a correction that would close the lead before a later touch", cadence.Touch{LeadID: open.ID, At: at, Rep: "alice", Channel: cadence.Call, Outcome: cadence.Won, Supersedes: 1}},
		{"a correction of a closed lead's touch that is itself invalid", cadence.Touch{LeadID: l4.ID, At: at, Rep: "bob", Channel: cadence.Email, Outcome: cadence.Lost, Supersedes: 5}},
		{"a correction that is itself invalid", cadence.Touch{LeadID: open.ID, At: at, Rep: "alice", Channel: cadence.Call, Outcome: cadence.NotNow, Supersedes: 1}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := s.LogTouch(p, tt.t); err == nil {
				t.Fatalf("LogTouch(%+v) succeeded", tt.t)
			}
			if after := snap(); !reflect.DeepEqual(after, before) {
				t.Errorf("a rejected touch changed the database:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
	// Only a missing record is ErrNotFound; a refused touch is not.
	for _, tt := range bad {
		_, _, err := s.LogTouch(p, tt.t)
		missing := strings.Contains(tt.name, "does not exist") || strings.Contains(tt.name, "another lead's")
		if errors.Is(err, store.ErrNotFound) != missing {
			t.Errorf("%s: %v; ErrNotFound %v, want %v", tt.name, err, !missing, missing)
		}
	}
	// The touch ids handed out by failed attempts are not used up either:
	// the next touch gets the next id after the last stored one.
	var maxID cadence.TouchID
	_ = s.ForEachTouch(func(tc cadence.Touch) error { maxID = max(maxID, tc.ID); return nil })
	_, tc := mustLog(t, s, p, cadence.Touch{LeadID: open.ID, At: at, Rep: "alice", Channel: cadence.Email, Outcome: cadence.NoAnswer})
	if tc.ID != maxID+1 {
		t.Errorf("touch id after failed attempts: %d, want %d", tc.ID, maxID+1)
	}
	mustCheck(t, s, p)
}

func TestLogTouchCorrection(t *testing.T) {
	p := testPolicy()
	s, _ := openTestStore(t)
	mustAddRep(t, s, "alice")
	mon := testAt(2026, 1, 12, 9, 30)
	l := mustAddLead(t, s, cadence.Lead{Name: "Ann", Phone: "+12125550101", Email: "ann@example.com", ReceivedAt: mon, Owner: "alice"})
	_, t1 := mustLog(t, s, p, cadence.Touch{LeadID: l.ID, At: mon.Add(time.Hour), Rep: "alice", Channel: cadence.Call, Outcome: cadence.NoAnswer})
	afterFirst, _ := s.Lead(l.ID)
	// A slip of the finger: won instead of no answer. The lead leaves the queue.
	closedLead, t2 := mustLog(t, s, p, cadence.Touch{LeadID: l.ID, At: mon.Add(26 * time.Hour), Rep: "alice", Channel: cadence.Email, Outcome: cadence.Won})
	if closedLead.IsOpen() {
		t.Fatal("won did not close the lead")
	}
	if n, _ := s.QueueLen("alice"); n != 0 {
		t.Fatalf("a won lead is still queued (%d)", n)
	}
	// The correction reopens it as if the slip never happened.
	fix := cadence.Touch{LeadID: l.ID, At: mon.Add(26*time.Hour + time.Minute), Rep: "alice", Channel: cadence.Email, Outcome: cadence.NoAnswer, Supersedes: t2.ID}
	got, t3 := mustLog(t, s, p, fix)
	if !got.IsOpen() || got.Touches != 2 || !got.ClosedAt.IsZero() || got.NextDue.IsZero() || got.Step != afterFirst.Step+1 {
		t.Errorf("after the correction: %+v", got)
	}
	fix.ID = t3.ID
	want, err := p.Replay(l, []cadence.Touch{t1, t2, fix})
	if err != nil {
		t.Fatal(err)
	}
	if !sameLead(got, want) {
		t.Errorf("after the correction:\n got %+v\nwant the replay %+v", got, want)
	}
	if stored, _ := s.Lead(l.ID); !sameLead(stored, want) {
		t.Errorf("stored after the correction:\n got %+v\nwant %+v", stored, want)
	}
	if q, _ := s.Queue("alice", 0); len(q) != 1 || q[0].ID != l.ID {
		t.Errorf("the corrected lead is not back in the queue: %v", q)
	}
	touches, _ := s.Touches(l.ID)
	var ids []cadence.TouchID
	for _, tc := range touches {
		ids = append(ids, tc.ID)
	}
	if !slices.Equal(ids, []cadence.TouchID{t1.ID, t2.ID, t3.ID}) || touches[1].Outcome != cadence.Won || touches[2].Supersedes != t2.ID {
		t.Errorf("touches are not append-only: %+v", touches)
	}
	mustCheck(t, s, p)
}

func TestNotesAndDrafts(t *testing.T) {
	p := testPolicy()
	s, _ := openTestStore(t)
	leads := fillSmall(t, s, p)
	a, b := leads[0].ID, leads[1].ID
	at := testAt(2026, 1, 13, 10, 0)

	mustDraft := func(rep string, id cadence.LeadID, want string) {
		t.Helper()
		got, err := s.Draft(rep, id)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("draft of %s on lead %d: %q, want %q", rep, id, got, want)
		}
	}
	mustDraft("alice", a, "")
	for _, d := range []struct {
		rep  string
		id   cadence.LeadID
		text string
	}{{"alice", a, "half a thought"}, {"alice", b, "other lead"}, {"bob", a, "bob's view"}} {
		if err := s.SaveDraft(d.rep, d.id, d.text); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveDraft("alice", a, "a whole thought"); err != nil {
		t.Fatal(err)
	}
	mustDraft("alice", a, "a whole thought")

	n, err := s.AddNote(cadence.Note{LeadID: a, At: at, Rep: "alice", Text: "a whole thought"})
	if err != nil {
		t.Fatal(err)
	}
	if n.ID == 0 {
		t.Errorf("the note got no id")
	}
	mustDraft("alice", a, "")
	mustDraft("alice", b, "other lead")
	mustDraft("bob", a, "bob's view")

	if err := s.SaveDraft("bob", a, ""); err != nil {
		t.Fatal(err)
	}
	mustDraft("bob", a, "")
	if err := s.SaveDraft("bob", a, ""); err != nil {
		t.Errorf("deleting a missing draft: %v", err)
	}

	notes, err := s.Notes(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 2 || notes[0].Text != "asked for pricing" || notes[1].Text != "a whole thought" ||
		notes[1].ID != n.ID || notes[1].Rep != "alice" || !notes[1].At.Equal(at) {
		t.Errorf("notes of lead %d: %+v", a, notes)
	}
	if notes, _ := s.Notes(b); len(notes) != 0 {
		t.Errorf("notes of lead %d: %+v, want none", b, notes)
	}
	if _, err := s.AddNote(cadence.Note{LeadID: 999, At: at, Rep: "alice", Text: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a note on a missing lead: got %v, want ErrNotFound", err)
	}
}

func TestBackup(t *testing.T) {
	p := testPolicy()
	s, _ := openTestStore(t)
	fillSmall(t, s, p)
	want := allLeads(t, s)
	wantQueue, _ := s.Queue("alice", 0)
	wantNotes, _ := s.Notes(want[0].ID)

	dir := t.TempDir()
	path := filepath.Join(dir, "backup.db")
	n, err := s.Backup(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != n {
		t.Errorf("backup size %d, file %v %v", n, fi, err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the backup left other files beside it: %v", entries)
	}
	// The original stays usable while and after backing up.
	mustLog(t, s, p, cadence.Touch{LeadID: want[0].ID, At: testAt(2026, 1, 12, 10, 0), Rep: "alice", Channel: cadence.Call, Outcome: cadence.NoAnswer})

	b, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open the backup read-only: %v", err)
	}
	defer b.Close()
	if got := allLeads(t, b); !reflect.DeepEqual(got, want) {
		t.Errorf("backup leads differ:\n got %+v\nwant %+v", got, want)
	}
	if got, _ := b.Queue("alice", 0); !reflect.DeepEqual(got, wantQueue) {
		t.Errorf("backup queue differs")
	}
	if got, _ := b.Notes(want[0].ID); !reflect.DeepEqual(got, wantNotes) {
		t.Errorf("backup notes differ")
	}
	mustCheck(t, b, p)
	if _, err := b.AddLead(cadence.Lead{Name: "x"}); err == nil {
		t.Errorf("a write to a read-only store succeeded")
	}
	// A second backup to the same name replaces the first.
	path2 := filepath.Join(t.TempDir(), "again.db")
	for range 2 {
		if _, err := s.Backup(path2); err != nil {
			t.Fatal(err)
		}
	}
	b2, err := store.Open(path2, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	if ts, _ := b2.Touches(want[0].ID); len(ts) != 1 {
		t.Errorf("the second backup lacks the touch logged after the first: %v", ts)
	}
	mustCheck(t, b2, p)
}

// TestBackupOntoItselfRefused: renaming a backup over the open database
// would leave the store writing to an unlinked file, losing every later
// write.
func TestBackupOntoItselfRefused(t *testing.T) {
	p := testPolicy()
	s, path := openTestStore(t)
	fillSmall(t, s, p)
	link := filepath.Join(t.TempDir(), "link.db")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(filepath.Dir(path), "hard.db")
	if err := os.Link(path, hard); err != nil {
		t.Fatal(err)
	}
	for _, dst := range []string{path, filepath.Join(filepath.Dir(path), ".", "followup.db"), link, hard} {
		if _, err := s.Backup(dst); err == nil {
			t.Errorf("backup onto the database itself (%s) succeeded", dst)
		}
	}
	l := mustAddLead(t, s, cadence.Lead{Name: "after the backup", Owner: "alice"})
	s.Close()
	s2, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := s2.Lead(l.ID); err != nil {
		t.Errorf("a lead added after the refused backup is gone: %v", err)
	}
	mustCheck(t, s2, p)
}

func TestBackupToMissingFolderFails(t *testing.T) {
	s, _ := openTestStore(t)
	if _, err := s.Backup(filepath.Join(t.TempDir(), "no", "such", "dir", "b.db")); err == nil {
		t.Fatal("backup into a missing folder succeeded")
	}
}

func TestAddLeadUnknownOwner(t *testing.T) {
	s, _ := openTestStore(t)
	_, err := s.AddLead(cadence.Lead{Name: "Ann", Owner: "ghost"})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("got %v, want ErrNotFound", err)
	}
	if st, _ := s.Stats(); st.Leads != 0 || st.Open != 0 {
		t.Errorf("a refused lead was stored: %+v", st)
	}
}

// A copy cut short (a half-copied backup) is refused with a sentence, never
// a fault on reading past its end.
func TestOpenTruncatedFile(t *testing.T) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.db")
	s, err := store.Open(whole, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddRep(cadence.Rep{Name: "alice"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		if _, err := s.AddLead(cadence.Lead{Name: strings.Repeat("x", 200), Owner: "alice", ReceivedAt: time.Unix(int64(i), 0)}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	data, err := os.ReadFile(whole)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.db")
	if err := os.WriteFile(cut, data[:16384], 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{true, false} {
		_, err := store.Open(cut, store.Options{ReadOnly: ro})
		if !errors.Is(err, store.ErrNotDatabase) || !strings.Contains(err.Error(), "cut short") {
			t.Errorf("read-only %v: open a truncated file: %v", ro, err)
		}
	}
	// Its first meta page damaged too: the second one tells the size.
	damaged := append([]byte(nil), data[:16384]...)
	clear(damaged[16:80])
	if err := os.WriteFile(cut, damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(cut, store.Options{ReadOnly: true}); !errors.Is(err, store.ErrNotDatabase) || !strings.Contains(err.Error(), "cut short") {
		t.Errorf("open a truncated file with a damaged first meta page: %v", err)
	}
}
