package store

import (
	"bytes"
	"encoding/binary"
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
	arena   []byte // keys and values live here until commit: one allocation per megabyte, not per record
}

// arenaChunk is the size of one arena allocation.
const arenaChunk = 1 << 20

// keep returns the bytes appendTo appends, stored in the arena. bbolt keeps
// the key and value slices of a Put until the transaction commits, so each
// needs memory of its own; carving them from large chunks spares the
// allocator and the collector a million small objects.
func (b *Batch) keep(appendTo func([]byte) []byte) []byte {
	if cap(b.arena)-len(b.arena) < 4096 {
		b.arena = make([]byte, 0, arenaChunk)
	}
	start := len(b.arena)
	out := appendTo(b.arena[start:start])
	if len(out) > 0 && cap(out) == cap(b.arena)-start && &out[:1][0] == &b.arena[:start+1][start] {
		b.arena = b.arena[:start+len(out)]
		return out[:len(out):len(out)]
	}
	return out // outgrew the chunk: appendTo allocated it on its own
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
	key := b.keep(func(buf []byte) []byte { return binary.BigEndian.AppendUint64(buf, seq) })
	if err := b.leads.Put(key, b.keep(func(buf []byte) []byte { return encodeLead(buf, l) })); err != nil {
		return fmt.Errorf("write lead %d: %w", seq, err)
	}
	for i := range touches {
		t := &touches[i]
		id, err := b.touches.NextSequence()
		if err != nil {
			return err
		}
		t.ID, t.LeadID = cadence.TouchID(id), l.ID
		if err := b.touches.Put(b.childKey(seq, id), b.keep(func(buf []byte) []byte { return encodeTouch(buf, t) })); err != nil {
			return fmt.Errorf("write touch of lead %d: %w", seq, err)
		}
	}
	for i := range notes {
		n := &notes[i]
		id, err := b.notes.NextSequence()
		if err != nil {
			return err
		}
		n.ID, n.LeadID = cadence.NoteID(id), l.ID
		if err := b.notes.Put(b.childKey(seq, id), b.keep(func(buf []byte) []byte { return encodeNote(buf, n) })); err != nil {
			return fmt.Errorf("write note of lead %d: %w", seq, err)
		}
	}
	if l.IsOpen() {
		b.index = append(b.index, b.keep(func(buf []byte) []byte { return appendQueueKey(buf, l.Owner, cadence.KeyOf(l)) }))
	}
	return nil
}

// childKey is childKey(parent, child), kept in the arena.
func (b *Batch) childKey(parent, child uint64) []byte {
	return b.keep(func(buf []byte) []byte {
		return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(buf, parent), child)
	})
}
