package store

import (
	"bytes"
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

// errImportEnded is a slice or a commit of an import already committed
// or taken back.
var errImportEnded = errors.New("the import was already committed or taken back")

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
	// next is the id the next new lead gets.
	next uint64
	// inWrite is the slice being written while the next is decided, nil
	// if none; written gives the outcome of its transaction.
	inWrite *arrivalPlan
	written chan error
	// spare is the memory of the records of a slice that is written,
	// for a slice to come; scratch is where a record is encoded first.
	spare   encodedRecords
	scratch []byte
	// hold, when not nil (in tests), holds each slice's write until the
	// next slice is decided, so that the next always reads the database
	// without it.
	hold chan struct{}
	// failed is the error of a slice that failed after its leads were
	// staged in idx: the import can then only be taken back.
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
		im.next = im.first
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
	s.importing = im
	return im, nil
}

// Commit makes the import final: it writes the index entries of the
// leads it created, then drops what it kept for taking it back. (A crash
// before the last of that takes the import back whole.)
func (im *Import) Commit() error {
	if err := im.wait(); err != nil {
		return err
	}
	if im.idx.finished() {
		return fmt.Errorf("commit the import: %w", errImportEnded)
	}
	defer im.idx.close()
	err := im.idx.merge(im.s, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketImport) == nil {
			return errImportGone
		}
		return tx.DeleteBucket(bucketImport)
	})
	if err != nil {
		im.failed = err // what it wrote is not all there: it can only be taken back
		return fmt.Errorf("commit the import: %w", err)
	}
	im.s.importing = nil
	return nil
}

// Abort takes back everything the import wrote.
func (im *Import) Abort() error {
	im.wait() // whatever became of the last slice, it is taken back with the rest
	im.s.importing = nil
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
// a lead the import created needs nothing kept.
func (im *Import) keepLead(tx *bolt.Tx, undo *bolt.Bucket, id cadence.LeadID) error {
	if im.idx.created(id) {
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
	for fp, id := range seen {
		if !im.idx.created(id) {
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
