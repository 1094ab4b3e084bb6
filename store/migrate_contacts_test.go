package store

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// Migration 2 indexes the leads a schema-1 database already holds, so an
// old team's leads are found as duplicates from the first import on.
func TestMigrationIndexesExistingContacts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	if err := CreateAtSchema(path, 1); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	leads := []cadence.Lead{
		{ID: 1, Name: "Dana", Email: "dana@fbi.gov", Phone: "+13125550142", ReceivedAt: at},
		{ID: 2, Name: "Dana again", Email: "dana@fbi.gov", ReceivedAt: at}, // a duplicate the old binary let in
		{ID: 3, Name: "Fox", Phone: "+12125550100", ReceivedAt: at},
	}
	err = db.Update(func(tx *bolt.Tx) error {
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
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
