package store_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// A Loader's leads join their queues only at Finish, in queue order, and
// the database then checks out.
func TestLoaderWritesTheIndexAtFinish(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "load.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustAddRep(t, s, "alice")
	p := cadence.DefaultPolicy(time.UTC)
	ld := s.Loader()
	base := testAt(2026, 11, 23, 9, 0)
	for batch := 0; batch < 3; batch++ {
		err := ld.Batch(func(b *store.Batch) error {
			for i := 0; i < 5; i++ {
				// Later batches hold older leads: the index must sort across batches.
				l := cadence.Lead{Name: "lead", Owner: "alice", ReceivedAt: base.Add(-time.Duration(batch*5+i) * time.Hour)}
				if err := b.AddLead(&l, nil, nil); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if q, _ := s.Queue("alice", 0); len(q) != 0 {
		t.Fatalf("%d leads in the queue before Finish", len(q))
	}
	if err := ld.Finish(); err != nil {
		t.Fatal(err)
	}
	q, err := s.Queue("alice", 0)
	if err != nil || len(q) != 15 {
		t.Fatalf("queue after Finish: %d leads, %v", len(q), err)
	}
	for i := 1; i < len(q); i++ {
		if q[i].ReceivedAt.Before(q[i-1].ReceivedAt) {
			t.Fatalf("queue not oldest first at %d", i)
		}
	}
	if problems, err := s.Check(p); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// A batch that fails leaves nothing for Finish to index.
func TestLoaderForgetsAFailedBatch(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "load.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustAddRep(t, s, "alice")
	ld := s.Loader()
	_ = ld.Batch(func(b *store.Batch) error {
		l := cadence.Lead{Name: "rolled back", Owner: "alice", ReceivedAt: testAt(2026, 11, 23, 9, 0)}
		if err := b.AddLead(&l, nil, nil); err != nil {
			return err
		}
		return errors.New("the batch fails")
	})
	if err := ld.Batch(func(b *store.Batch) error {
		l := cadence.Lead{Name: "kept", Owner: "alice", ReceivedAt: testAt(2026, 11, 23, 10, 0)}
		return b.AddLead(&l, nil, nil)
	}); err != nil {
		t.Fatal(err)
	}
	if err := ld.Finish(); err != nil {
		t.Fatal(err)
	}
	if problems, err := s.Check(cadence.DefaultPolicy(time.UTC)); err != nil || len(problems) > 0 {
		t.Fatalf("check after a failed batch: %v %v", problems, err)
	}
	if q, _ := s.Queue("alice", 0); len(q) != 1 || q[0].Name != "kept" {
		t.Errorf("queue: %+v", q)
	}
}

// Contacts are filed beside the batches that follow, in the order the
// leads were added: after Finish, a contact shared by leads of several
// batches belongs to the first lead that had it, and each lead's own
// contacts find it. An encoded batch is added once.
func TestLoaderFilesContactsInOrder(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "load.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustAddRep(t, s, "alice")
	ld := s.Loader()
	at := testAt(2026, 11, 23, 9, 0)
	var firstWithShared cadence.LeadID
	var encoded *store.Encoded
	for batch := range 20 {
		leads := make([]cadence.Lead, 50)
		for i := range leads {
			leads[i] = cadence.Lead{Name: "lead", Owner: "alice", ReceivedAt: at,
				Email: fmt.Sprintf("b%d.l%d@example.com", batch, i), Phone: fmt.Sprintf("+1312555%04d", batch*50+i)}
		}
		leads[7].Email = "shared@example.com" // in every batch
		encoded = store.Encode(leads, make([][]cadence.Touch, len(leads)), make([][]cadence.Note, len(leads)))
		if err := ld.Batch(func(b *store.Batch) error { return b.AddEncoded(encoded) }); err != nil {
			t.Fatal(err)
		}
		if batch == 0 {
			firstWithShared = leads[7].ID
		}
	}
	if err := ld.Batch(func(b *store.Batch) error { return b.AddEncoded(encoded) }); err == nil {
		t.Error("the same encoded batch was added twice")
	}
	if err := ld.Finish(); err != nil {
		t.Fatal(err)
	}
	if id, ok, err := s.FindContact("shared@example.com", ""); err != nil || !ok || id != firstWithShared {
		t.Errorf("shared email found %d (%v, %v), want the first lead with it, %d", id, ok, err, firstWithShared)
	}
	if id, ok, err := s.FindContact("", "+13125550999"); err != nil || !ok || id != 1000 {
		t.Errorf("the last lead's phone found %d (%v, %v), want 1000", id, ok, err)
	}
	if problems, err := s.Check(cadence.DefaultPolicy(time.UTC)); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// An encoded batch whose transaction rolled back can be added again, and
// one with a touch or note list missing is refused with a sentence.
func TestEncodedAfterARollback(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "load.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustAddRep(t, s, "alice")
	leads := []cadence.Lead{{Name: "again", Owner: "alice", ReceivedAt: testAt(2026, 11, 23, 9, 0), Email: "again@example.com"}}
	e := store.Encode(leads, [][]cadence.Touch{nil}, [][]cadence.Note{nil})
	ld := s.Loader()
	err = ld.Batch(func(b *store.Batch) error {
		if err := b.AddEncoded(e); err != nil {
			return err
		}
		return errors.New("the batch fails")
	})
	if err == nil {
		t.Fatal("the failing batch committed")
	}
	if err := ld.Batch(func(b *store.Batch) error { return b.AddEncoded(e) }); err != nil {
		t.Fatalf("adding the rolled-back batch again: %v", err)
	}
	if err := ld.Finish(); err != nil {
		t.Fatal(err)
	}
	if q, err := s.Queue("alice", 0); err != nil || len(q) != 1 || q[0].ID != leads[0].ID {
		t.Fatalf("queue %v, %v: want the one lead, id %d", q, err, leads[0].ID)
	}
	bad := store.Encode(leads, nil, [][]cadence.Note{nil})
	err = s.Bulk(func(b *store.Batch) error { return b.AddEncoded(bad) })
	if err == nil || !strings.Contains(err.Error(), "1 leads with 0 lists of touches") {
		t.Errorf("leads without their touch lists: %v", err)
	}
}
