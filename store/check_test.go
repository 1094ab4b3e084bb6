package store_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// queueEntryOf returns the queue-index key of lead id (the index key ends
// with the lead id, big-endian), or nil.
func queueEntryOf(tx *bolt.Tx, id cadence.LeadID) []byte {
	var found []byte
	_ = tx.Bucket([]byte("queue")).ForEach(func(k, _ []byte) error {
		if len(k) >= 8 && binary.BigEndian.Uint64(k[len(k)-8:]) == uint64(id) {
			found = bytes.Clone(k)
		}
		return nil
	})
	return found
}

// indexKey builds a queue-index key as store.go documents it:
// owner 0x00 touched(1) at(8) lead id(8).
func indexKey(owner string, touched bool, atBits uint64, id cadence.LeadID) []byte {
	k := append([]byte(owner), 0)
	if touched {
		k = append(k, 1)
	} else {
		k = append(k, 0)
	}
	k = binary.BigEndian.AppendUint64(k, atBits)
	return binary.BigEndian.AppendUint64(k, uint64(id))
}

func TestCheckFindsCorruption(t *testing.T) {
	p := testPolicy()
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean.db")
	s, err := store.Open(clean, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	leads := fillSmall(t, s, p)
	mustCheck(t, s, p)
	s.Close()
	// Lead 1: open, untouched (alice). Lead 2: open, two touches (alice).
	// Lead 3: won (bob).
	l1, l2, l3 := leads[0], leads[1], leads[2]
	if !l1.IsOpen() || l2.Touches != 2 || l3.IsOpen() {
		t.Fatalf("unexpected fixture: %+v", leads)
	}

	tests := []struct {
		name    string
		corrupt func(tx *bolt.Tx) error
		lead    cadence.LeadID // the lead a problem must name
	}{
		{"a queue entry is deleted", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("queue")).Delete(queueEntryOf(tx, l2.ID))
		}, l2.ID},
		{"a stray entry for a closed lead", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("queue")).Put(indexKey("bob", true, 1<<63, l3.ID), nil)
		}, l3.ID},
		{"a stray entry for a missing lead", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("queue")).Put(indexKey("alice", false, 1<<63, 42), nil)
		}, 42},
		{"a second, stale entry for an open lead", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("queue")).Put(indexKey("bob", false, 1<<63, l1.ID), nil)
		}, l1.ID},
		{"an entry moved to a wrong time", func(tx *bolt.Tx) error {
			q := tx.Bucket([]byte("queue"))
			k := queueEntryOf(tx, l2.ID)
			if err := q.Delete(k); err != nil {
				return err
			}
			return q.Put(indexKey("alice", true, 1<<63+1, l2.ID), nil)
		}, l2.ID},
		{"a malformed entry", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("queue")).Put([]byte("alice\x00junk"), nil)
		}, 0},
		{"a touch record is deleted", func(tx *bolt.Tx) error {
			k := make([]byte, 16)
			binary.BigEndian.PutUint64(k, uint64(l2.ID))
			c := tx.Bucket([]byte("touches")).Cursor()
			k, _ = c.Seek(k)
			if k == nil || binary.BigEndian.Uint64(k) != uint64(l2.ID) {
				return fmt.Errorf("lead %d has no touch", l2.ID)
			}
			return c.Delete()
		}, l2.ID},
		{"the closing touch is deleted", func(tx *bolt.Tx) error {
			k := make([]byte, 16)
			binary.BigEndian.PutUint64(k, uint64(l3.ID))
			c := tx.Bucket([]byte("touches")).Cursor()
			k, _ = c.Seek(k)
			if k == nil || binary.BigEndian.Uint64(k) != uint64(l3.ID) {
				return fmt.Errorf("lead %d has no touch", l3.ID)
			}
			return c.Delete()
		}, l3.ID},
		{"a touch of a lead that does not exist", func(tx *bolt.Tx) error {
			k := make([]byte, 16)
			binary.BigEndian.PutUint64(k, 77)
			binary.BigEndian.PutUint64(k[8:], 500)
			return tx.Bucket([]byte("touches")).Put(k, nil)
		}, 77},
		{"a lead record is garbage", func(tx *bolt.Tx) error {
			k := make([]byte, 8)
			binary.BigEndian.PutUint64(k, uint64(l1.ID))
			return tx.Bucket([]byte("leads")).Put(k, []byte{0xff, 0xff, 0xff})
		}, l1.ID},
		{"a lead's owner is not a rep", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("reps")).Delete([]byte("bob"))
		}, l3.ID},
	}
	original := fileBytes(t, clean)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("case%d.db", i))
			if err := os.WriteFile(path, original, 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(tt.corrupt); err != nil {
				t.Fatal(err)
			}
			db.Close()

			s, err := store.Open(path, store.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			problems, err := s.Check(p)
			if err != nil {
				t.Fatalf("check: %v", err)
			}
			if len(problems) == 0 {
				t.Fatal("check found nothing")
			}
			if tt.lead != 0 {
				re := regexp.MustCompile(fmt.Sprintf(`\blead %d\b`, tt.lead))
				named := false
				for _, pr := range problems {
					named = named || re.MatchString(pr)
				}
				if !named {
					t.Errorf("no problem names lead %d:\n%s", tt.lead, joinLines(problems))
				}
			}
			t.Logf("problems:\n%s", joinLines(problems))
		})
	}
}

func TestCheckCleanAfterManyChanges(t *testing.T) {
	p := testPolicy()
	s, _ := openTestStore(t)
	leads := fillSmall(t, s, p)
	mustAddRep(t, s, "carol")
	// Reassign, retouch, close and correct: the index follows every move.
	if _, err := s.UpdateLead(leads[0].ID, func(l *cadence.Lead) error { l.Owner = "carol"; return nil }); err != nil {
		t.Fatal(err)
	}
	at := testAt(2026, 1, 20, 10, 0)
	mustLog(t, s, p, cadence.Touch{LeadID: leads[0].ID, At: at, Rep: "carol", Channel: cadence.Call, Outcome: cadence.Connected})
	_, won := mustLog(t, s, p, cadence.Touch{LeadID: leads[1].ID, At: at, Rep: "alice", Channel: cadence.Email, Outcome: cadence.Won})
	mustLog(t, s, p, cadence.Touch{LeadID: leads[1].ID, At: at.Add(1), Rep: "alice", Channel: cadence.Email, Outcome: cadence.Voicemail, Supersedes: won.ID})
	if _, err := s.UpdateLead(leads[1].ID, func(l *cadence.Lead) error { l.Owner = "bob"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateLead(leads[1].ID, func(l *cadence.Lead) error { l.Owner = "nobody"; return nil }); !store.IsNotFound(err) {
		t.Errorf("reassigning to a missing rep: got %v, want ErrNotFound", err)
	}
	mustCheck(t, s, p)
	for rep, want := range map[string]int{"alice": 0, "bob": 1, "carol": 1} {
		if n, _ := s.QueueLen(rep); n != want {
			t.Errorf("queue of %s: %d leads, want %d", rep, n, want)
		}
	}
}
