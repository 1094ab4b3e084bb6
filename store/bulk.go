package store

import (
	"bytes"
	"cmp"
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
	tx              *bolt.Tx
	leads           *bolt.Bucket
	touches         *bolt.Bucket
	notes           *bolt.Bucket
	index           [][]byte
	arena           []byte  // keys and values live here until commit: one allocation per megabyte, not per record
	loader          *Loader // when set, index entries go to it instead of into this transaction
	pending         []indexEntry
	pendingContacts []contactEntry
	chain           chainHasher   // links each touch to the one before it
	keys            contactKeyBuf // counts a lead's contact keys
	added           []*Encoded    // to add again if the batch rolls back
}

// arenaChunk is the size of one arena allocation.
const arenaChunk = 1 << 20

// room returns the arena's free space (empty, with capacity) to append a
// key or value into; took then keeps what was appended. bbolt keeps the
// key and value slices of a Put until the transaction commits, so each
// needs memory of its own; carving them from large chunks spares the
// allocator and the collector a million small objects.
func (b *Batch) room() []byte {
	if cap(b.arena)-len(b.arena) < 4096 {
		b.arena = make([]byte, 0, arenaChunk)
	}
	return b.arena[len(b.arena):len(b.arena)]
}

// took keeps out, appended to room(): in the arena when it fit, else
// (it outgrew the free space and was reallocated) on its own.
func (b *Batch) took(out []byte) []byte {
	start := len(b.arena)
	if len(out) > 0 && cap(out) == cap(b.arena)-start && &out[:1][0] == &b.arena[:start+1][start] {
		b.arena = b.arena[:start+len(out)]
		return out[:len(out):len(out)]
	}
	return out
}

// Bulk runs fn with a Batch in one write transaction.
func (s *Store) Bulk(fn func(*Batch) error) error { return s.bulk(nil, fn) }

// Loader builds a large database batch by batch and writes the queue index
// once, sorted, at the end: inserting each batch's entries among all the
// earlier ones would rewrite most of the index every time. Until Finish,
// the leads written are in no queue, so build into a new file and put it
// in place only when Finish has returned.
type Loader struct {
	s        *Store
	entries  []indexEntry
	contacts *contactTable // the contacts of the leads added, written by Finish
	filed    chan struct{} // closed when the contacts of the batches so far are in contacts
	owners   []string
	ownerOf  map[string]uint32
}

// contactEntry is a contacts-index key and the lead it names.
type contactEntry struct {
	key []byte
	id  cadence.LeadID
}

// indexEntry is a queue-index key held as numbers, which sort much faster
// than a million byte strings.
type indexEntry struct {
	owner   uint32 // position in Loader.owners; ranked by name at Finish
	touched bool
	at      uint64 // timeBits
	id      cadence.LeadID
}

// Loader starts a deferred-index build.
func (s *Store) Loader() *Loader { return &Loader{s: s, ownerOf: map[string]uint32{}} }

// Batch runs fn with a Batch in one write transaction; its index entries
// wait for Finish.
func (ld *Loader) Batch(fn func(*Batch) error) error { return ld.s.bulk(ld, fn) }

// entry is the index entry of an open lead. It is kept only when the
// lead's batch commits: a rolled-back batch must leave no entry behind.
func (ld *Loader) entry(l *cadence.Lead) indexEntry {
	o, ok := ld.ownerOf[l.Owner]
	if !ok {
		o = uint32(len(ld.owners))
		ld.owners = append(ld.owners, l.Owner)
		ld.ownerOf[l.Owner] = o
	}
	k := cadence.KeyOf(l)
	return indexEntry{owner: o, touched: k.Touched, at: timeBits(k.At), id: k.ID}
}

// Finish writes the contacts and the queue index of every lead the
// batches added; the index sorted (beside the writing of the contacts),
// in runs of finishChunk keys a transaction (one huge transaction would
// grow one huge in-memory page).
func (ld *Loader) Finish() error {
	sorted := make(chan struct{})
	go func() {
		defer close(sorted)
		ld.sortEntries()
	}()
	if err := ld.finishContacts(); err != nil {
		<-sorted
		return err
	}
	<-sorted
	for start := 0; start < len(ld.entries); start += finishChunk {
		chunk := ld.entries[start:min(start+finishChunk, len(ld.entries))]
		err := ld.s.update(func(tx *bolt.Tx) error {
			q := tx.Bucket(bucketQueue)
			q.FillPercent = 1
			keys := make([]byte, 0, len(chunk)*32) // bbolt keeps keys until commit
			for _, e := range chunk {
				start := len(keys)
				keys = appendQueueKey(keys, ld.owners[e.owner], cadence.QueueKey{Touched: e.touched, At: bitsTime(e.at), ID: e.id})
				if err := q.Put(keys[start:len(keys):len(keys)], nil); err != nil {
					return fmt.Errorf("index: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	ld.entries = nil
	return nil
}

// sortEntries puts the index entries in the order of their keys.
func (ld *Loader) sortEntries() {
	// Rank owners by name: index keys start with the owner's bytes.
	byName := slices.Clone(ld.owners)
	slices.Sort(byName)
	rank := make([]uint32, len(ld.owners))
	for r, name := range byName {
		rank[ld.ownerOf[name]] = uint32(r)
	}
	slices.SortFunc(ld.entries, func(a, b indexEntry) int {
		switch {
		case a.owner != b.owner:
			return cmp.Compare(rank[a.owner], rank[b.owner])
		case a.touched != b.touched:
			if !a.touched {
				return -1
			}
			return 1
		case a.at != b.at:
			return cmp.Compare(a.at, b.at)
		}
		return cmp.Compare(a.id, b.id)
	})
}

// addContacts files the contacts of a batch's leads, in the order they
// were added: the first lead with a contact keeps it, as when leads are
// added one by one. Filing runs beside the next batches, after the
// batches before it; finishContacts waits for it.
func (ld *Loader) addContacts(entries []contactEntry) {
	if ld.contacts == nil {
		ld.contacts = newContactTable()
	}
	before, filed := ld.filed, make(chan struct{})
	ld.filed = filed
	go func() {
		defer close(filed)
		if before != nil {
			<-before
		}
		for _, e := range entries {
			ld.contacts.claim(e.key, e.id)
		}
	}()
}

// finishContacts writes the contacts, a page at a time.
func (ld *Loader) finishContacts() error {
	if ld.contacts == nil {
		return nil
	}
	<-ld.filed
	if err := ld.contacts.write(ld.s, nil); err != nil {
		return fmt.Errorf("contacts index: %w", err)
	}
	ld.contacts = nil
	return nil
}

// finishChunk is how many index keys Finish writes a transaction.
const finishChunk = 50_000

func (s *Store) bulk(ld *Loader, fn func(*Batch) error) error {
	var b *Batch
	err := s.update(func(tx *bolt.Tx) error {
		b = &Batch{tx: tx, leads: tx.Bucket(bucketLeads), touches: tx.Bucket(bucketTouches), notes: tx.Bucket(bucketNotes), loader: ld}
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
	if err != nil && b != nil {
		for _, e := range b.added {
			e.added = false
		}
	}
	if err == nil && ld != nil {
		ld.entries = append(ld.entries, b.pending...)
		ld.addContacts(b.pendingContacts)
	}
	return err
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
	leads := []cadence.Lead{*l}
	err := b.AddEncoded(Encode(leads, [][]cadence.Touch{touches}, [][]cadence.Note{notes}))
	l.ID = leads[0].ID
	return err
}

// childKey is childKey(parent, child), kept in the arena.
func (b *Batch) childKey(parent, child uint64) []byte {
	return b.took(binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(b.room(), parent), child))
}
