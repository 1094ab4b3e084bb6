package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// An import is entered a slice at a time, and each slice in two steps:
// it is decided in a read transaction (while the slice before it is
// written), then written in a transaction of its own (while the slice
// after it is decided). What a slice decides is staged in the import's
// own index at once, so the next slice finds the leads it created; the
// leads it changed, the next slice finds in the slice being written
// (inWrite); the contacts leads from before the import took, in gained.

// Arrive enters a slice of the import's arrivals as Store.Arrive does,
// keeping what it changes so the import can be taken back. It returns once
// the slice is decided, and writes it while the caller reads the next:
// arrivals must not change until the next Arrive, Commit or Abort, which
// also report a slice that failed to be written.
func (im *Import) Arrive(arrivals []Arrival, o ArriveOptions) ([]ArrivalResult, error) {
	if im.idx.finished() {
		return nil, fmt.Errorf("enter arriving leads: %w", errImportGone)
	}
	if im.failed != nil {
		return nil, im.brokenBy()
	}
	p, err := im.decide(arrivals, o)
	if err != nil { // it may have filed contacts of leads that will not be
		im.failed = err
		return nil, fmt.Errorf("enter arriving leads: %w", err)
	}
	if err := im.stage(p); err != nil {
		im.failed = err
		return nil, im.brokenBy()
	}
	im.encode(p)
	if err := im.wait(); err != nil {
		return nil, err
	}
	if len(p.fresh) == 0 && len(p.updated) == 0 && len(p.seen) == 0 && p.lastAssigned == "" {
		return p.results, nil // every record seen before: nothing to write
	}
	// The next slice is decided on what is written now, and on this
	// one: always so, however soon this one is written.
	if im.read, err = im.s.db.Begin(false); err != nil {
		return nil, fmt.Errorf("enter arriving leads: %w", err)
	}
	written := make(chan error, 1)
	im.inWrite, im.written = p, written
	go func() { written <- im.s.update(func(tx *bolt.Tx) error { return im.write(tx, p) }) }()
	return p.results, nil
}

// decide decides a slice in the read transaction begun when the slice
// before it began to be written (one of its own for the first).
func (im *Import) decide(arrivals []Arrival, o ArriveOptions) (*arrivalPlan, error) {
	tx := im.read
	im.read = nil
	if tx == nil {
		var err error
		if tx, err = im.s.db.Begin(false); err != nil {
			return nil, err
		}
	}
	defer tx.Rollback()
	if tx.Bucket(bucketImport) == nil {
		return nil, errImportGone
	}
	return decideArrivals(tx, arrivals, o, im)
}

// endRead ends the read transaction begun for the next slice, if any: a
// write on this goroutine may need the file mapped again, which waits for
// every reader.
func (im *Import) endRead() {
	if im.read != nil {
		im.read.Rollback()
		im.read = nil
	}
}

// wait waits for the slice being written, if any. A slice that failed
// leaves an import that can only be taken back: its leads were staged.
func (im *Import) wait() error {
	im.endRead()
	if im.written != nil {
		if err := <-im.written; err != nil && im.failed == nil {
			im.failed = err
		}
		im.spare = im.inWrite.records // bbolt is done with it: the slice committed or rolled back
		im.inWrite, im.written = nil, nil
	}
	if im.failed != nil {
		return im.brokenBy()
	}
	return nil
}

// brokenBy is the error of an import one of whose slices failed: it can
// only be taken back.
func (im *Import) brokenBy() error {
	return fmt.Errorf("a slice of the import failed to be written (%w); take the import back", im.failed)
}

// stage makes what a slice decided findable to the slices after it (its
// leads' contacts were filed as it decided them): its records with
// nowhere else to be found; and queues the index entries of its new
// leads for Commit, and notes the leads it created and changed again.
func (im *Import) stage(p *arrivalPlan) error {
	var changed []*cadence.Lead
	for id, u := range p.updated {
		if im.idx.created(id) {
			changed = append(changed, u)
		}
	}
	im.idx.pendingFresh(p.fresh, p.seen)
	return im.idx.stage(changed, p.seen)
}

// file files contact key k, which no lead holds, as lead id's: in the
// import's own index for a lead it created, else in gained (it is
// written with the lead).
func (im *Import) file(k []byte, id cadence.LeadID) {
	if im.idx.created(id) {
		im.idx.contacts.add(k, id)
	} else {
		im.gained[string(k)] = id
	}
}

// write writes what a slice decided: the records of its new and changed
// leads (the index entries of the new ones wait in a run for Commit;
// those of leads from before the import are written at once), and what
// taking the import back needs: how the leads from before it were.
func (im *Import) write(tx *bolt.Tx, p *arrivalPlan) error {
	undo := tx.Bucket(bucketImport)
	if undo == nil {
		return errImportGone
	}
	leads := tx.Bucket(bucketLeads)
	leads.FillPercent = 0.9 // ids only grow: fill pages up
	start, buf := 0, p.records.buf
	for _, end := range p.records.ends {
		if err := leads.Put(buf[start:start+8:start+8], buf[start+8:end:end]); err != nil {
			return err
		}
		start = end
	}
	if n := len(p.fresh); n > 0 {
		if err := leads.SetSequence(uint64(p.fresh[n-1].ID)); err != nil {
			return err
		}
	}
	earlier := map[cadence.LeadID]*cadence.Lead{}
	for id, u := range p.updated {
		if im.idx.created(id) {
			if err := leads.Put(u64key(uint64(id)), encodeLead(nil, u)); err != nil {
				return err
			}
			continue
		}
		if err := im.keepLead(tx, undo, id); err != nil {
			return err
		}
		earlier[id] = u
	}
	if err := putUpdated(tx, earlier); err != nil {
		return err
	}
	if err := im.keepSeen(undo, p.seen); err != nil {
		return err
	}
	return putLastAssigned(tx, p.lastAssigned)
}

// encodedRecords are the records of a slice's new leads, encoded: each
// lead's key (its id) and value one after the other in buf; ends[i] is
// where the value of lead i ends.
type encodedRecords struct {
	buf  []byte
	ends []int
}

// encode encodes the records of a slice's new leads (while the slice
// before it is written), in the memory of the slice written before that
// one. bbolt keeps what is put until commit: the records stay in that
// memory until the slice is written.
func (im *Import) encode(p *arrivalPlan) {
	r, scratch := encodedRecords{im.spare.buf[:0], im.spare.ends[:0]}, im.scratch
	im.spare = encodedRecords{}
	for _, l := range p.fresh {
		scratch = encodeLead(scratch, l)
		r.buf = append(binary.BigEndian.AppendUint64(r.buf, uint64(l.ID)), scratch...)
		r.ends = append(r.ends, len(r.buf))
	}
	p.records, im.scratch = r, scratch
}

// nextID hands out the id of a new lead: the import's next one, or the
// leads bucket's (im nil: no import).
func (im *Import) nextID(tx *bolt.Tx) (uint64, error) {
	if im == nil {
		return tx.Bucket(bucketLeads).NextSequence()
	}
	im.next++
	return im.next - 1, nil
}

// writing returns lead id as the slice being written has it, nil if that
// slice does not change it (or there is none, or no import).
func (im *Import) writing(id cadence.LeadID) *cadence.Lead {
	if im == nil {
		return nil
	}
	return im.inWrite.lead(id)
}

// seenBefore returns the lead of a record an earlier slice of the import
// saw. im may be nil (no import).
func (im *Import) seenBefore(fp []byte) (cadence.LeadID, bool) {
	if im == nil {
		return 0, false
	}
	return im.idx.seenBefore(fp)
}

// findContact returns the lead with contact key k: in the contacts index,
// taken by a lead from before the import in an earlier slice, or created
// by an earlier slice (whose keys are not indexed until the import
// commits); 0 if none. im may be nil (no import).
func (im *Import) findContact(tx *bolt.Tx, k []byte) cadence.LeadID {
	if im == nil {
		return lookupContact(tx.Bucket(bucketContacts), k)
	}
	if id, ok := im.gained[string(k)]; ok {
		return id
	}
	if !im.noContacts {
		if id := lookupContact(tx.Bucket(bucketContacts), k); id != 0 {
			return id
		}
	}
	return im.idx.findContact(k)
}

// seenBucket is the seen bucket when the import (nil: none) may find a
// record in it.
func (im *Import) seenBucket(tx *bolt.Tx) *bolt.Bucket {
	if im != nil && im.noSeen {
		return nil
	}
	return tx.Bucket(bucketSeen)
}

func isEmpty(b *bolt.Bucket) bool {
	k, _ := b.Cursor().First()
	return k == nil
}
