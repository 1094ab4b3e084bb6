package store

import (
	"bytes"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// Batch writes many leads in one transaction, for building large databases
// (demos, imports). Leads, touches and notes are appended in id order;
// queue-index entries are collected and inserted sorted when the batch
// ends, which keeps bbolt's pages from being split at random.
type Batch struct {
	tx      *bolt.Tx
	leads   *bolt.Bucket
	touches *bolt.Bucket
	notes   *bolt.Bucket
	index   [][]byte
}

// Bulk runs fn with a Batch in one write transaction.
func (s *Store) Bulk(fn func(*Batch) error) error {
	return s.update(func(tx *bolt.Tx) error {
		b := &Batch{tx: tx, leads: tx.Bucket(bucketLeads), touches: tx.Bucket(bucketTouches), notes: tx.Bucket(bucketNotes)}
		// Appends in key order fill pages completely.
		b.leads.FillPercent, b.touches.FillPercent, b.notes.FillPercent = 1, 1, 1
		if err := fn(b); err != nil {
			return err
		}
		slices.SortFunc(b.index, bytes.Compare)
		q := tx.Bucket(bucketQueue)
		for _, k := range b.index {
			if err := q.Put(k, nil); err != nil {
				return fmt.Errorf("index: %w", err)
			}
		}
		return nil
	})
}

// AddRep registers a rep unless one of that name exists.
func (b *Batch) AddRep(r cadence.Rep) error {
	reps := b.tx.Bucket(bucketReps)
	if reps.Get([]byte(r.Name)) != nil {
		return nil
	}
	return reps.Put([]byte(r.Name), encodeRep(&r))
}

// AddLead stores a lead with its touches and notes (already applied to it:
// its summary must match them), giving each its id. The slices are updated
// in place with the ids given.
func (b *Batch) AddLead(l *cadence.Lead, touches []cadence.Touch, notes []cadence.Note) error {
	seq, err := b.leads.NextSequence()
	if err != nil {
		return err
	}
	l.ID = cadence.LeadID(seq)
	// bbolt keeps the value slices until commit: each needs its own.
	if err := b.leads.Put(u64key(seq), encodeLead(nil, l)); err != nil {
		return fmt.Errorf("write lead %d: %w", seq, err)
	}
	for i := range touches {
		t := &touches[i]
		err := appendChild(b.touches, seq, func(id uint64) []byte {
			t.ID, t.LeadID = cadence.TouchID(id), l.ID
			return encodeTouch(nil, t)
		})
		if err != nil {
			return fmt.Errorf("write touch of lead %d: %w", seq, err)
		}
	}
	for i := range notes {
		n := &notes[i]
		err := appendChild(b.notes, seq, func(id uint64) []byte {
			n.ID, n.LeadID = cadence.NoteID(id), l.ID
			return encodeNote(nil, n)
		})
		if err != nil {
			return fmt.Errorf("write note of lead %d: %w", seq, err)
		}
	}
	if l.IsOpen() {
		b.index = append(b.index, queueKey(l))
	}
	return nil
}
