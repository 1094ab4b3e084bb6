package store

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// Migration 2 indexes the leads a schema-1 database already holds, so an
// old team's leads are found as duplicates from the first import on.
func TestMigrationIndexesExistingContacts(t *testing.T) {
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	leads := []cadence.Lead{
		{ID: 1, Name: "Dana", Email: "dana@fbi.gov", Phone: "+13125550142", ReceivedAt: at},
		{ID: 2, Name: "Dana again", Email: "dana@fbi.gov", ReceivedAt: at}, // a duplicate the old binary let in
		{ID: 3, Name: "Fox", Phone: "+12125550100", ReceivedAt: at},
	}
	s := openAtSchema(t, 1, func(tx *bolt.Tx) error {
		for i := range leads {
			if err := tx.Bucket(bucketLeads).Put(u64key(uint64(leads[i].ID)), encodeLead(nil, &leads[i])); err != nil {
				return err
			}
			if leads[i].IsOpen() {
				if err := tx.Bucket(bucketQueue).Put(queueKey(&leads[i]), nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	for _, tc := range []struct {
		email, phone string
		want         cadence.LeadID
	}{
		{"dana@fbi.gov", "", 1}, // the first lead with it wins
		{"", "+13125550142", 1},
		{"", "+12125550100", 3},
	} {
		if id, ok, err := s.FindContact(tc.email, tc.phone); err != nil || !ok || id != tc.want {
			t.Errorf("FindContact(%q, %q) = %d, %v, %v; want %d", tc.email, tc.phone, id, ok, err, tc.want)
		}
	}
	if problems, err := s.Check(cadence.DefaultPolicy(time.UTC)); err != nil || len(problems) > 0 {
		t.Errorf("check after migrating: %v %v", problems, err)
	}
}

// Migration 6 moves a schema-5 contacts index (a key per contact) into
// pages, keeping who holds each contact: even a holder that is not the
// first lead with it (an edit gave lead 2 an email lead 3 held).
func TestMigrationPagesTheContactsIndex(t *testing.T) {
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	holders := map[string]cadence.LeadID{}
	s := openAtSchema(t, 5, func(tx *bolt.Tx) error {
		for id := cadence.LeadID(1); id <= 3000; id++ {
			l := cadence.Lead{ID: id, Name: "Lead", Email: fmt.Sprintf("l%d@example.com", id), Phone: fmt.Sprintf("+1312555%04d", id), ReceivedAt: at}
			if id == 2 {
				l.Email = "l3@example.com"
			}
			if err := tx.Bucket(bucketLeads).Put(u64key(uint64(id)), encodeLead(nil, &l)); err != nil {
				return err
			}
			if err := tx.Bucket(bucketQueue).Put(queueKey(&l), nil); err != nil {
				return err
			}
			for _, k := range contactKeys(&l) {
				if _, held := holders[string(k)]; !held && !(id == 2 && k[0] == 'e') {
					holders[string(k)] = id
					if err := tx.Bucket(bucketContacts).Put(k, u64key(uint64(id))); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if holders["el3@example.com"] != 3 {
		t.Fatalf("fixture: l3@example.com held by %d", holders["el3@example.com"])
	}
	for k, want := range holders {
		email, phone := k[1:], ""
		if k[0] == 'p' {
			email, phone = "", k[1:]
		}
		if id, ok, err := s.FindContact(email, phone); err != nil || !ok || id != want {
			t.Fatalf("FindContact(%q, %q) = %d, %v, %v; want %d", email, phone, id, ok, err, want)
		}
	}
	pages := 0
	err := s.view(func(tx *bolt.Tx) error {
		pages = tx.Bucket(bucketContacts).Stats().KeyN
		return nil
	})
	if err != nil || pages < 1000 || pages > 6000 {
		t.Errorf("%d pages for %d contacts (%v): not paged", pages, len(holders), err)
	}
	if problems, err := s.Check(cadence.DefaultPolicy(time.UTC)); err != nil || len(problems) > 0 {
		t.Errorf("check after migrating: %v %v", problems, err)
	}
}

// openAtSchema makes a database at schema version, writes into it with
// fill as an older binary would have, and opens it: the migrations after
// version run.
func openAtSchema(t *testing.T, version int, fill func(tx *bolt.Tx) error) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("v%d.db", version))
	if err := CreateAtSchema(path, version); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(fill)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// A damaged contacts page is named by check (and read as empty), never a
// fault: a length prefix past the end of the page included.
func TestCheckNamesADamagedContactsPage(t *testing.T) {
	s := openAtSchema(t, SchemaVersion(), func(tx *bolt.Tx) error {
		return tx.Bucket(bucketContacts).Put([]byte{0, 1}, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 'e', 'x'})
	})
	problems, err := s.Check(cadence.DefaultPolicy(time.UTC))
	if err != nil || len(problems) != 1 || !strings.Contains(problems[0], "page 0001 does not decode") {
		t.Errorf("check: %q, %v; want the damaged page named", problems, err)
	}
	if id, ok, err := s.FindContact("x", ""); ok || err != nil {
		t.Errorf("FindContact in a damaged page: %d, %v, %v", id, ok, err)
	}
}
