package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/followuphq/followup/cadence"
)

var chainNY, _ = time.LoadLocation("America/New_York")

// chainStore writes a database file with two reps' leads interleaving their
// touches (so a lead's touch ids are not consecutive), a correction, and a
// bulk-loaded lead with touches; it returns the file's path, closed.
func chainStore(t *testing.T) (path string, p cadence.Policy) {
	t.Helper()
	p = cadence.DefaultPolicy(chainNY)
	path = filepath.Join(t.TempDir(), "chain.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mon := time.Date(2026, 1, 12, 9, 30, 0, 0, chainNY)
	for _, name := range []string{"alice", "bob"} {
		if err := s.AddRep(cadence.Rep{Name: name, Role: cadence.RoleRep, CreatedAt: mon}); err != nil {
			t.Fatal(err)
		}
	}
	var ids []cadence.LeadID
	for i, owner := range []string{"alice", "bob", "alice"} {
		l, err := s.AddLead(cadence.Lead{Name: "lead", Owner: owner, ReceivedAt: mon.Add(time.Duration(i) * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, l.ID)
	}
	logTouch := func(lead cadence.LeadID, at time.Time, o cadence.Outcome, note string, corrects cadence.TouchID) cadence.Touch {
		t.Helper()
		_, tc, err := s.LogTouch(p, cadence.Touch{LeadID: lead, At: at, Rep: "alice", Channel: cadence.Call, Outcome: o, Note: note, Supersedes: corrects})
		if err != nil {
			t.Fatal(err)
		}
		return tc
	}
	day := 24 * time.Hour
	for d := 0; d < 4; d++ {
		at := mon.Add(time.Duration(d)*day + time.Hour)
		logTouch(ids[0], at, cadence.NoAnswer, "rang twice", 0)
		logTouch(ids[1], at.Add(time.Minute), cadence.Voicemail, "left a message", 0)
	}
	wrong := logTouch(ids[2], mon.Add(2*time.Hour), cadence.Voicemail, "", 0)
	logTouch(ids[2], mon.Add(3*time.Hour), cadence.NoAnswer, "it was no answer", wrong.ID)
	err = s.Bulk(func(b *Batch) error {
		l := cadence.Lead{Name: "bulk", Owner: "bob", ReceivedAt: mon}
		touches := []cadence.Touch{
			{At: mon.Add(time.Hour), Rep: "bob", Channel: cadence.Call, Outcome: cadence.NoAnswer},
			{At: mon.Add(25 * time.Hour), Rep: "bob", Channel: cadence.Email, Outcome: cadence.NoAnswer, Note: "sent the deck"},
			{At: mon.Add(49 * time.Hour), Rep: "bob", Channel: cadence.Call, Outcome: cadence.Connected},
		}
		var err error
		if l, err = p.Replay(l, touches); err != nil {
			return err
		}
		return b.AddLead(&l, touches, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	return path, p
}

// rawTouch is one stored touch record.
type rawTouch struct {
	lead, id uint64
	k, v     []byte
}

// rawTouches reads the touch bucket as stored, in key order.
func rawTouches(t *testing.T, path string) []rawTouch {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []rawTouch
	_ = db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTouches).ForEach(func(k, v []byte) error {
			lead, id := splitChildKey(k)
			out = append(out, rawTouch{lead, id, bytes.Clone(k), bytes.Clone(v)})
			return nil
		})
	})
	return out
}

// rawUpdate changes the file with bbolt directly, as a program other than
// followup would.
func rawUpdate(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func checkFile(t *testing.T, path string, p cadence.Policy) []string {
	t.Helper()
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	problems, err := s.Check(p)
	if err != nil {
		t.Fatal(err)
	}
	return problems
}

// Every way of appending a touch (a logged outcome, a correction, a bulk
// load) links it to the lead's touch before it; a lead's first touch links
// to nothing.
func TestTouchesAreChainedPerLead(t *testing.T) {
	path, p := chainStore(t)
	touches := rawTouches(t, path)
	if len(touches) != 8+2+3 {
		t.Fatalf("%d touches stored, want 13", len(touches))
	}
	for i, tc := range touches {
		held, err := touchPrev(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		want := zeroHash
		if i > 0 && touches[i-1].lead == tc.lead {
			want = chainHash(touches[i-1].k, touches[i-1].v)
		}
		if !bytes.Equal(held, want) {
			t.Errorf("touch %d of lead %d holds %x, want %x", tc.id, tc.lead, held, want)
		}
	}
	if problems := checkFile(t, path, p); len(problems) > 0 {
		t.Fatalf("check of an untouched file: %v", problems)
	}
}

// Changing a touch's bytes outside followup (here its note, with bbolt
// directly, same length so the record still decodes) is caught by check, which names that touch and no other.
func TestCheckNamesATamperedTouch(t *testing.T) {
	path, p := chainStore(t)
	touches := rawTouches(t, path)
	// The second touch of lead 1 (lead 1's touches interleave with lead 2's).
	var victim, next rawTouch
	seen := 0
	for i, tc := range touches {
		if tc.lead == 1 {
			if seen++; seen == 2 {
				victim, next = tc, touches[i+1]
				break
			}
		}
	}
	if !bytes.Contains(victim.v, []byte("rang twice")) {
		t.Fatalf("the victim touch holds no note to change: %x", victim.v)
	}
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTouches).Put(victim.k, bytes.Replace(victim.v, []byte("rang twice"), []byte("rung twice"), 1))
	})
	problems := checkFile(t, path, p)
	want := "touch " + itoa(victim.id) + " of lead 1: its bytes do not match the hash the next touch (" + itoa(next.id) + ") holds of them; the log was changed outside followup"
	if len(problems) != 1 || !strings.HasPrefix(problems[0], want) {
		t.Fatalf("check found %q;\nwant one problem starting %q", problems, want)
	}
}

// Removing a touch from the middle of a lead's log, or its first touch,
// breaks the chain too.
func TestCheckNamesARemovedTouch(t *testing.T) {
	for _, tc := range []struct {
		name  string
		which int // the lead's n-th touch (0-based) is removed
		want  string
	}{
		{"middle", 1, "touch 1 of lead 1: its bytes do not match the hash the next touch (5) holds of them"},
		{"first", 0, "touch 3 of lead 1: it holds the hash of an earlier touch that is no longer there"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, p := chainStore(t)
			var lead1 []rawTouch
			for _, r := range rawTouches(t, path) {
				if r.lead == 1 {
					lead1 = append(lead1, r)
				}
			}
			if lead1[0].id != 1 || lead1[1].id != 3 || lead1[2].id != 5 {
				t.Fatalf("lead 1's touches are not 1, 3, 5: %d %d %d", lead1[0].id, lead1[1].id, lead1[2].id)
			}
			rawUpdate(t, path, func(tx *bolt.Tx) error { return tx.Bucket(bucketTouches).Delete(lead1[tc.which].k) })
			problems := checkFile(t, path, p)
			if len(problems) == 0 || !strings.HasPrefix(problems[0], tc.want) {
				t.Fatalf("check found %q;\nwant first %q", problems, tc.want)
			}
		})
	}
}

// A touch moved under another key (here: lead 1's third touch copied over
// as a made-up touch of the same lead) does not match either.
func TestCheckNamesAnInsertedTouch(t *testing.T) {
	path, p := chainStore(t)
	touches := rawTouches(t, path)
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		// Between lead 1's touches 3 and 5, holding touch 5's link.
		return tx.Bucket(bucketTouches).Put(childKey(1, 4), touches[4].v)
	})
	problems := checkFile(t, path, p)
	if len(problems) == 0 || !strings.HasPrefix(problems[0], "touch ") || !strings.Contains(problems[0], "of lead 1: ") {
		t.Fatalf("check found %q; want a broken chain in lead 1", problems)
	}
}

// The schema-5 migration links the touches a schema-4 database holds,
// byte for byte as followup would have written them, and check is clean.
func TestMigrationChainsExistingTouches(t *testing.T) {
	for _, run := range []int{chainMigrationRun, 1, 3} {
		t.Run(fmt.Sprintf("runs of %d", run), func(t *testing.T) {
			saved := chainMigrationRun
			chainMigrationRun = run
			defer func() { chainMigrationRun = saved }()
			testMigrationChains(t)
		})
	}
}

func testMigrationChains(t *testing.T) {
	path, p := chainStore(t)
	want := rawTouches(t, path)
	// Make it the database the schema-4 binary wrote: no chain field.
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTouches)
		for _, tc := range want {
			if err := b.Put(tc.k, withoutField(t, tc.v, fTouchPrev)); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, binary.AppendUvarint(nil, 4))
	})
	if problems := checkFileRaw(t, path, p); len(problems) == 0 {
		t.Fatal("check of the unchained log at schema 5 found nothing; the test's setup is wrong")
	}
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, binary.AppendUvarint(nil, 4))
	})
	s, err := Open(path, Options{}) // migrates
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	got := rawTouches(t, path)
	if len(got) != len(want) {
		t.Fatalf("%d touches after migrating, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i].v, want[i].v) {
			t.Errorf("touch %d of lead %d after migrating:\n%x\nwant\n%x", got[i].id, got[i].lead, got[i].v, want[i].v)
		}
	}
	if problems := checkFile(t, path, p); len(problems) > 0 {
		t.Fatalf("check after migrating: %v", problems)
	}
}

// checkFileRaw checks the file as if it were at the current schema,
// whatever its meta says.
func checkFileRaw(t *testing.T, path string, p cadence.Policy) []string {
	t.Helper()
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, binary.AppendUvarint(nil, uint64(len(migrations))))
	})
	return checkFile(t, path, p)
}

// withoutField returns a record with every occurrence of field num removed.
func withoutField(t *testing.T, v []byte, num protowire.Number) []byte {
	t.Helper()
	var out []byte
	for len(v) > 0 {
		n, _, m := protowire.ConsumeField(v)
		if m < 0 {
			t.Fatalf("record %x: %v", v, protowire.ParseError(m))
		}
		if n != num {
			out = append(out, v[:m]...)
		}
		v = v[m:]
	}
	return out
}

func itoa(v uint64) string { return strconv.FormatUint(v, 10) }
