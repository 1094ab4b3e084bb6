package store_test

import (
	"errors"
	"path/filepath"
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
