package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/followuphq/followup/cadence"
)

// A large import is written a slice at a time, so that its memory stays
// bounded (bbolt holds every page a transaction writes until it commits),
// and still counts as one transaction: until it is committed, what it
// wrote can be taken back, and is taken back by the next Open after a
// crash. While it runs, the import bucket keeps what it needs for that:
//
//	import/
//	    "meta"              → the import's record: first new lead id, the rep
//	                          given the last lead before it, name, start
//	    "l" lead id(8)      → a lead the import changed, as it was before
//	    "f" fingerprint     → a record it put in the seen table for a lead it
//	                          did not create (one with no room left for it)
//
// New leads need no entry: their ids are the ones from "first" on (the
// import's process holds the file lock throughout, so no one else adds
// leads in between).
var bucketImport = []byte("import")

var keyImportMeta = []byte("meta")

// errImportGone is a write to an import that was already taken back.
var errImportGone = errors.New("the import was taken back")

// ErrImportCutShort is a read-only open of a file whose last import was cut
// short: a writable open takes it back first.
var ErrImportCutShort = errors.New("an import was cut short and not yet taken back")

const (
	fImportFirst protowire.Number = iota + 1
	fImportLastAssigned
	fImportName
	fImportStarted
)

// Import is an import written in several transactions that counts as one.
type Import struct {
	s     *Store
	first uint64 // the first lead id it hands out
	idx   *deferredIndex
	// The contacts and seen buckets were empty when it began: then they
	// stay so until Commit (no lead older than the import can be met by
	// contact), and the import need not look in them.
	noContacts, noSeen bool
	// failed is the error of a slice whose commit failed after its leads
	// were staged in idx: the import can then only be taken back.
	failed error
}

// CutShortImport describes an import taken back because it never finished.
type CutShortImport struct {
	Name    string
	Started time.Time
	Leads   int // new leads taken back
	Changed int // existing leads put back as they were
}

// BeginImport starts an import named name (e.g. the file) at started.
func (s *Store) BeginImport(name string, started time.Time) (*Import, error) {
	im := &Import{s: s}
	err := s.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketImport) != nil {
			return fmt.Errorf("another import is under way")
		}
		b, err := tx.CreateBucket(bucketImport)
		if err != nil {
			return err
		}
		im.first = tx.Bucket(bucketLeads).Sequence() + 1
		im.noContacts = isEmpty(tx.Bucket(bucketContacts))
		im.noSeen = isEmpty(tx.Bucket(bucketSeen))
		e := encoder{}
		e.uint(fImportFirst, im.first)
		e.string(fImportLastAssigned, string(tx.Bucket(bucketMeta).Get(keyLastAssigned)))
		e.string(fImportName, name)
		e.time(fImportStarted, started)
		return b.Put(keyImportMeta, e.b)
	})
	if err != nil {
		return nil, fmt.Errorf("begin the import of %s: %w", name, err)
	}
	im.idx = newDeferredIndex(s.path, im.first)
	return im, nil
}

// Arrive enters a slice of the import's arrivals in one transaction, as
// Store.Arrive does, keeping what it changes so the import can be taken
// back.
func (im *Import) Arrive(arrivals []Arrival, o ArriveOptions) ([]ArrivalResult, error) {
	if im.idx.finished() {
		return nil, fmt.Errorf("enter arriving leads: %w", errImportGone)
	}
	if im.failed != nil {
		return nil, im.brokenBy()
	}
	return im.s.arrive(arrivals, o, im)
}

// Commit makes the import final: it writes the index entries of the
// leads it created, then drops what it kept for taking it back. (A crash
// before the last of that takes the import back whole.)
func (im *Import) Commit() error {
	if im.failed != nil {
		return im.brokenBy()
	}
	defer im.idx.close()
	err := im.idx.merge(im.s, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketImport) == nil {
			return errImportGone
		}
		return tx.DeleteBucket(bucketImport)
	})
	if err != nil {
		return fmt.Errorf("commit the import: %w", err)
	}
	return nil
}

// brokenBy is the error of an import one of whose slices failed to
// commit: it can only be taken back.
func (im *Import) brokenBy() error {
	return fmt.Errorf("a slice of the import failed to commit (%w); take the import back", im.failed)
}

// Abort takes back everything the import wrote.
func (im *Import) Abort() error {
	im.idx.close()
	err := im.s.update(func(tx *bolt.Tx) error {
		cut, err := takeBackImport(tx)
		if cut == nil && err == nil {
			return errImportGone
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("take back the import: %w", err)
	}
	return nil
}

// keepLead keeps lead id as it is now, before the import first changes it;
// a lead the import created needs nothing kept. im may be nil (no import).
func (im *Import) keepLead(tx *bolt.Tx, undo *bolt.Bucket, id cadence.LeadID) error {
	if im == nil || uint64(id) >= im.first {
		return nil
	}
	k := append([]byte{'l'}, u64key(uint64(id))...)
	if undo.Get(k) != nil {
		return nil
	}
	return undo.Put(k, bytes.Clone(tx.Bucket(bucketLeads).Get(u64key(uint64(id)))))
}

// keepSeen notes the records seen of leads the import did not create.
func (im *Import) keepSeen(undo *bolt.Bucket, seen map[string]cadence.LeadID) error {
	if im == nil {
		return nil
	}
	for fp, id := range seen {
		if uint64(id) < im.first {
			if err := undo.Put(append([]byte{'f'}, fp...), nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// takeBackImport undoes the import recorded in the import bucket, if any:
// its new leads go (with their queue and contact keys and the records seen
// of them), changed leads are put back, the lead ids and the assignment
// turn are as they were. It returns what it took back (nil: no import).
func takeBackImport(tx *bolt.Tx) (*CutShortImport, error) {
	undo := tx.Bucket(bucketImport)
	if undo == nil {
		return nil, nil
	}
	cut := &CutShortImport{}
	var first uint64
	var lastAssigned string
	if err := decode(undo.Get(keyImportMeta), func(f field) {
		switch f.num {
		case fImportFirst:
			first = f.id()
		case fImportLastAssigned:
			lastAssigned = f.string()
		case fImportName:
			cut.Name = f.string()
		case fImportStarted:
			cut.Started = f.time()
		}
	}); err != nil || first == 0 {
		return nil, fmt.Errorf("the record of the unfinished import is damaged (%v); restore a backup", err)
	}
	leads, queue, contacts, seen := tx.Bucket(bucketLeads), tx.Bucket(bucketQueue), tx.Bucket(bucketContacts), tx.Bucket(bucketSeen)
	// Its new leads go, with their queue keys: read first, then deleted
	// (a cursor sought again after each delete would walk every leaf
	// emptied so far), from the last, so each leaf shrinks at its end.
	var ids []uint64
	var queueKeys [][]byte
	c := leads.Cursor()
	for k, v := c.Seek(u64key(first)); k != nil; k, v = c.Next() {
		l, err := decodeLead(cadence.LeadID(btou(k)), v)
		if err != nil {
			return nil, err
		}
		if l.IsOpen() {
			queueKeys = append(queueKeys, queueKey(&l))
		}
		ids = append(ids, btou(k))
	}
	slices.SortFunc(queueKeys, bytes.Compare)
	for i := len(queueKeys) - 1; i >= 0; i-- {
		if err := queue.Delete(queueKeys[i]); err != nil {
			return nil, err
		}
	}
	for i := len(ids) - 1; i >= 0; i-- {
		if err := leads.Delete(u64key(ids[i])); err != nil {
			return nil, err
		}
	}
	cut.Leads = len(ids)
	// Its new leads' contacts go, a page at a time.
	var pages [][]byte
	if err := contacts.ForEach(func(page, _ []byte) error {
		pages = append(pages, bytes.Clone(page))
		return nil
	}); err != nil {
		return nil, err
	}
	for _, page := range pages {
		if err := filterContacts(contacts, page, func(_ []byte, id cadence.LeadID) bool { return uint64(id) < first }); err != nil {
			return nil, err
		}
	}
	// Put back the leads it changed; collect its records seen.
	var fps [][]byte
	uc := undo.Cursor()
	for k, v := uc.First(); k != nil; k, v = uc.Next() {
		switch k[0] {
		case 'l':
			id := cadence.LeadID(btou(k[1:]))
			was, err := decodeLead(id, v)
			if err != nil {
				return nil, err
			}
			now, err := getLead(tx, id)
			if err != nil {
				return nil, err
			}
			if err := putLead(tx, &now, &was); err != nil {
				return nil, err
			}
			cut.Changed++
		case 'f':
			fps = append(fps, bytes.Clone(k[1:]))
		}
	}
	sc := seen.Cursor()
	for k, v := sc.First(); k != nil; k, v = sc.Next() {
		if btou(v) >= first {
			fps = append(fps, bytes.Clone(k))
		}
	}
	for _, fp := range fps {
		if err := seen.Delete(fp); err != nil {
			return nil, err
		}
	}
	if err := leads.SetSequence(first - 1); err != nil {
		return nil, err
	}
	meta := tx.Bucket(bucketMeta)
	var err error
	if lastAssigned == "" {
		err = meta.Delete(keyLastAssigned)
	} else {
		err = meta.Put(keyLastAssigned, []byte(lastAssigned))
	}
	if err != nil {
		return nil, err
	}
	return cut, tx.DeleteBucket(bucketImport)
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
// or created by an earlier slice of the import (whose keys are not
// indexed until it commits); 0 if none. im may be nil (no import).
func (im *Import) findContact(tx *bolt.Tx, k []byte) cadence.LeadID {
	if im == nil {
		return lookupContact(tx.Bucket(bucketContacts), k)
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

// write writes what a slice decided: the records of its new and changed
// leads; the index entries of the new ones wait in a run for Commit. The
// leads it changed that were there before the import are indexed at once.
// Once it has written them, the slice's leads are staged (made findable
// to the next slices) on a goroutine while bbolt commits, and waits for
// the disk; settle takes the outcome.
func (im *Import) write(tx *bolt.Tx, fresh []*cadence.Lead, updated map[cadence.LeadID]*cadence.Lead,
	olds map[cadence.LeadID]cadence.Lead, seen map[string]cadence.LeadID) (staging <-chan error, err error) {
	leads := tx.Bucket(bucketLeads)
	leads.FillPercent = 0.9 // ids only grow: fill pages up
	// bbolt keeps keys and values until commit: the slice's records share
	// one buffer (a value keeps its bytes when the buffer grows).
	var buf, scratch []byte
	for _, l := range fresh {
		scratch = encodeLead(scratch, l)
		start := len(buf)
		buf = append(binary.BigEndian.AppendUint64(buf, uint64(l.ID)), scratch...)
		if err := leads.Put(buf[start:start+8:start+8], buf[start+8:len(buf):len(buf)]); err != nil {
			return nil, err
		}
	}
	for id, u := range updated {
		if im.idx.created(id) {
			if err := leads.Put(u64key(uint64(id)), encodeLead(nil, u)); err != nil {
				return nil, err
			}
			continue
		}
		old := olds[id]
		if err := putLead(tx, &old, u); err != nil {
			return nil, err
		}
	}
	im.idx.pendingFresh(fresh, seen)
	out := make(chan error, 1)
	go func() { out <- im.staged(fresh, updated, seen) }()
	return out, nil
}

// settle takes the outcome of a slice: commitErr, bbolt's, and what
// staging it sent. A slice whose commit failed was staged all the same,
// so the import now knows leads that are not there; one whose staging
// failed is in without all the import must keep of it. Either way the
// import can then only be taken back.
func (im *Import) settle(commitErr error, staging <-chan error) error {
	stageErr := <-staging
	switch {
	case commitErr != nil:
		im.failed = commitErr
		return commitErr
	case stageErr != nil:
		im.failed = stageErr
		return stageErr
	}
	return nil
}

// staged notes a slice's leads and records in the import's index, while its
// transaction commits (settle takes the outcome).
func (im *Import) staged(fresh []*cadence.Lead, updated map[cadence.LeadID]*cadence.Lead, seen map[string]cadence.LeadID) error {
	var changed []*cadence.Lead
	for id, u := range updated {
		if im.idx.created(id) {
			changed = append(changed, u)
		}
	}
	return im.idx.stage(fresh, changed, seen)
}
