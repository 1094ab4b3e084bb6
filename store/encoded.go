package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/followuphq/followup/cadence"
)

// Encoded is a run of new leads, with their touches and notes, already
// turned into records for Batch.AddEncoded. Encoding is much of the cost
// of adding a lead and needs no transaction, so a bulk load can encode on
// other goroutines while one goroutine writes.
type Encoded struct {
	leads   []cadence.Lead
	touches [][]cadence.Touch
	notes   [][]cadence.Note
	buf     []byte
	// spans are in buf, per lead in this order: its record, its contact
	// keys (contactKeys), its touches, its notes.
	spans []span
	added bool  // by a batch that has not been rolled back
	err   error // what made the leads unencodable
}

// span is a record's place in Encoded.buf.
type span struct{ off, end uint32 }

// prevField is the length of a touch's chain-hash field: tag, length and
// hash. A touch after a lead's first is encoded without the field and
// prevField zero bytes after it; AddEncoded writes the field there when it
// knows the touch before (linkTouch).
var prevField = len(appendPrev(nil, bytes.Repeat([]byte{1}, chainLen))) // any hash but zeroHash

// Encode encodes leads (lead i with touches[i] and notes[i], already
// applied to it: its summary must match them) for Batch.AddEncoded. It
// may run on any goroutine. The slices are the caller's: AddEncoded gives
// the leads, touches and notes their ids in place, so they must not change
// until it has.
func Encode(leads []cadence.Lead, touches [][]cadence.Touch, notes [][]cadence.Note) *Encoded {
	e := &Encoded{leads: leads, touches: touches, notes: notes}
	if len(touches) != len(leads) || len(notes) != len(leads) {
		e.err = fmt.Errorf("encode %d leads with %d lists of touches and %d of notes: one of each a lead", len(leads), len(touches), len(notes))
		return e
	}
	e.buf, e.spans = make([]byte, 0, len(leads)*512), make([]span, 0, len(leads)*4)
	var keys contactKeyBuf
	for i := range leads {
		l := &leads[i]
		e.keep(encodeLead(e.tail(), l))
		for _, k := range keys.of(l) {
			e.keep(k)
		}
		for j := range touches[i] {
			v := encodeTouch(e.tail(), &touches[i][j], zeroHash)
			if j > 0 {
				v = append(v, make([]byte, prevField)...) // room for the hash, filled by AddEncoded
			}
			e.keep(v)
		}
		for j := range notes[i] {
			e.keep(encodeNote(e.tail(), &notes[i][j]))
		}
	}
	if len(e.buf) > math.MaxUint32 {
		e.err = fmt.Errorf("encode %d leads: %d bytes are more than one batch can hold; add fewer at a time", len(leads), len(e.buf))
	}
	return e
}

// tail is the free end of e.buf, to encode a record into.
func (e *Encoded) tail() []byte { return e.buf[len(e.buf):] }

// keep appends record v, encoded into tail() (or, when it outgrew it,
// elsewhere), to e.buf as the next span.
func (e *Encoded) keep(v []byte) {
	start := len(e.buf)
	e.buf = append(e.buf, v...)
	e.spans = append(e.spans, span{uint32(start), uint32(len(e.buf))})
}

// record returns the bytes of span s.
func (e *Encoded) record(s span) []byte { return e.buf[s.off:s.end:s.end] }

// AddEncoded stores the leads of e with their touches and notes, giving
// each its id (in the caller's slices given to Encode). An Encoded is
// added once; again only when the batch that added it was rolled back.
func (b *Batch) AddEncoded(e *Encoded) error {
	if e.err != nil {
		return e.err
	}
	if e.added {
		return fmt.Errorf("these leads were added already")
	}
	e.added = true
	b.added = append(b.added, e)
	if b.loader != nil {
		b.pending = slices.Grow(b.pending, len(e.leads))
		b.pendingContacts = slices.Grow(b.pendingContacts, 2*len(e.leads))
	}
	next := 0
	take := func() []byte { s := e.record(e.spans[next]); next++; return s }
	for i := range e.leads {
		l := &e.leads[i]
		seq, err := b.leads.NextSequence()
		if err != nil {
			return err
		}
		l.ID = cadence.LeadID(seq)
		key := b.took(binary.BigEndian.AppendUint64(b.room(), seq))
		if err := b.leads.Put(key, take()); err != nil {
			return fmt.Errorf("write lead %d: %w", seq, err)
		}
		var contacts [2][]byte // Encode kept a span for each contact key
		n := 0
		for range b.keys.of(l) {
			contacts[n] = take()
			n++
		}
		var prevKey, prevValue []byte
		for j := range e.touches[i] {
			t := &e.touches[i][j]
			id, err := b.touches.NextSequence()
			if err != nil {
				return err
			}
			t.ID, t.LeadID = cadence.TouchID(id), l.ID
			k, v := b.childKey(seq, id), take()
			if j > 0 {
				v = linkTouch(v, b.chain.hash(prevKey, prevValue))
			}
			if err := b.touches.Put(k, v); err != nil {
				return fmt.Errorf("write touch of lead %d: %w", seq, err)
			}
			prevKey, prevValue = k, v
		}
		for j := range e.notes[i] {
			n := &e.notes[i][j]
			id, err := b.notes.NextSequence()
			if err != nil {
				return err
			}
			n.ID, n.LeadID = cadence.NoteID(id), l.ID
			if err := b.notes.Put(b.childKey(seq, id), take()); err != nil {
				return fmt.Errorf("write note of lead %d: %w", seq, err)
			}
		}
		if b.loader != nil {
			for _, k := range contacts[:n] {
				b.pendingContacts = append(b.pendingContacts, contactEntry{key: k, id: l.ID})
			}
		} else if err := indexContacts(b.tx, l); err != nil {
			return err
		}
		if l.IsOpen() {
			if b.loader != nil {
				b.pending = append(b.pending, b.loader.entry(l)) // the loader's once the batch commits
			} else {
				b.index = append(b.index, b.took(appendQueueKey(b.room(), l.Owner, cadence.KeyOf(l))))
			}
		}
	}
	return nil
}

// linkTouch writes hash into the room Encode left at the end of an
// encoded touch, the same record encodeTouch(…, hash) gives.
func linkTouch(v, hash []byte) []byte {
	if bytes.Equal(hash, zeroHash) {
		return v[:len(v)-prevField] // encodeTouch leaves the field out for zeroHash
	}
	appendPrev(v[:len(v)-prevField], hash)
	return v
}
