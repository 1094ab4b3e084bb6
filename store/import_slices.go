package store

import (
	"encoding/binary"
	"fmt"
	"maps"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// An import is entered a slice at a time, and each slice in two steps:
// it is decided in a read transaction (while the slice before it is
// written), then written in a transaction of its own (while the slice
// after it is decided). What a slice decides is staged in the import's
// own index at once, so the next slice finds the leads it created; the
// leads it changed, the next slice finds in the slice being written
// (inWrite), as the contacts leads from before the import took in it.

// Arrive enters a slice of the import's arrivals as Store.Arrive does,
// keeping what it changes so the import can be taken back. It returns once
// the slice is decided, and writes it while the caller reads the next:
// arrivals must not change until the next Arrive, Commit or Abort, which
// also report a slice that failed to be written.
func (im *Import) Arrive(arrivals []Arrival, o ArriveOptions) ([]ArrivalResult, error) {
	if im.idx.finished() {
		return nil, fmt.Errorf("enter arriving leads: %w", errImportEnded)
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
	written, hold := make(chan error, 1), im.hold
	im.inWrite, im.written = p, written
	go func() {
		if hold != nil {
			<-hold
		}
		written <- im.s.update(func(tx *bolt.Tx) error { return im.write(tx, p) })
	}()
	return p.results, nil
}

// decide decides a slice in a read transaction of its own. The slice
// before it may be written by then or not: what it writes, the slice
// holds (inWrite). (A read transaction held from one Arrive to the next
// would keep a write that must map the file again waiting, and every
// reader after it.)
func (im *Import) decide(arrivals []Arrival, o ArriveOptions) (*arrivalPlan, error) {
	var p *arrivalPlan
	err := im.s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketImport) == nil {
			return errImportGone
		}
		var err error
		p, err = decideArrivals(tx, arrivals, o, im)
		return err
	})
	return p, err
}

// wait waits for the slice being written, if any. A slice that failed
// leaves an import that can only be taken back: its leads were staged.
func (im *Import) wait() error {
	if im.written != nil {
		if im.hold != nil {
			im.hold <- struct{}{} // the next slice is decided: let this one be written
		}
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
	return fmt.Errorf("a slice of the import failed (%w); take the import back", im.failed)
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
	return im.idx.stage(p.fresh, changed, p.seen)
}

// created reports whether lead id is one the import created (im nil:
// no import, none).
func (im *Import) created(id cadence.LeadID) bool {
	return im != nil && im.idx.created(id)
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
	for id, u := range p.updated {
		if im.idx.created(id) {
			if err := leads.Put(u64key(uint64(id)), encodeLead(nil, u)); err != nil {
				return err
			}
		}
	}
	// The leads from before the import, in id order: the undo bucket
	// takes its keys in order (a node grows by appends, not inserts).
	earlier := slices.Sorted(maps.Keys(p.olds))
	for _, id := range earlier {
		if err := im.keepLead(tx, undo, id); err != nil {
			return err
		}
	}
	if err := putUpdated(tx, earlier, p.updated, p.olds); err != nil {
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

// findContact returns the lead with contact key k: taken by a lead from
// before the import in the slice being written, in the contacts index, or
// created by an earlier slice (whose keys are not indexed until the
// import commits); 0 if none. im may be nil (no import).
func (im *Import) findContact(tx *bolt.Tx, k []byte) cadence.LeadID {
	if im == nil {
		return lookupContact(tx.Bucket(bucketContacts), k)
	}
	if im.inWrite != nil {
		if id, ok := im.inWrite.gained[string(k)]; ok {
			return id
		}
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
