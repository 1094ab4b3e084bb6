package store

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// deferredIndex holds what an import has not yet written to the indexes
// for the leads it created: a slice writes its new leads' records at once
// (they are appended: their ids only grow) and their queue keys (and the
// fingerprints of records with no contact) as a sorted run; their contacts
// go into pages kept in memory, the layout of the contacts bucket. Commit
// merges the runs and writes the pages, each index page once. Until then
// the import finds the people it created itself in those pages, and the
// records with no contact in memory.
type deferredIndex struct {
	dir   string
	first uint64 // the import's first new lead id
	// contacts are the contacts of the leads the import created; always
	// up to date, also for leads it changed.
	contacts *contactTable
	seen     map[cadence.Fingerprint]cadence.LeadID // records with nowhere else to be found
	// Runs are sorted and written by one goroutine while the import
	// goes on: sorting is a good part of a slice's work.
	toRun   chan []entry
	runsOut chan runsDone
	failed  atomic.Pointer[error] // the run writer's first error, as soon as it has one
	// rewrite are leads the import created and changed again after
	// their slice, with their queue keys as last changed (nil: not in
	// a queue): their runs' queue entries are stale, so Commit merges
	// these in instead.
	rewrite map[cadence.LeadID][]byte
}

func newDeferredIndex(path string, first uint64) *deferredIndex {
	dir := filepath.Dir(path)
	if f, err := os.CreateTemp(dir, ".followup-probe-*"); err != nil {
		dir = "" // the system's temporary directory
	} else {
		f.Close()
		os.Remove(f.Name())
	}
	d := &deferredIndex{
		dir: dir, first: first, contacts: newContactTable(),
		seen: map[cadence.Fingerprint]cadence.LeadID{}, rewrite: map[cadence.LeadID][]byte{},
		toRun: make(chan []entry, 1), runsOut: make(chan runsDone, 1),
	}
	go d.writeRuns(d.toRun)
	return d
}

// runsDone is what the run writer did: the runs, or its first error.
type runsDone struct {
	runs []*run
	err  error
}

// writeRuns writes each slice's entries as a run, until toRun closes.
func (d *deferredIndex) writeRuns(toRun <-chan []entry) {
	var done runsDone
	for entries := range toRun {
		if done.err != nil {
			continue
		}
		r, err := writeRun(d.dir, entries)
		if err != nil {
			done.err = err
			d.failed.Store(&err)
			continue
		}
		done.runs = append(done.runs, r)
	}
	d.runsOut <- done
}

// finished reports whether the import was committed or taken back (or
// failed doing so): it takes no more slices.
func (d *deferredIndex) finished() bool { return d.toRun == nil }

// finish waits for the run writer and returns the runs, once.
func (d *deferredIndex) finish() ([]*run, error) {
	if d.toRun == nil {
		return nil, nil
	}
	close(d.toRun)
	d.toRun = nil
	done := <-d.runsOut
	return done.runs, done.err
}

// created reports whether lead id is one this import created.
func (d *deferredIndex) created(id cadence.LeadID) bool { return uint64(id) >= d.first }

// findContact returns the lead this import created with contact key k, or 0.
func (d *deferredIndex) findContact(k []byte) cadence.LeadID { return d.contacts.find(k) }

// seenBefore returns the lead of a record this import saw in an earlier slice.
func (d *deferredIndex) seenBefore(fp []byte) (cadence.LeadID, bool) {
	f, ok := fingerprintOf(fp)
	if !ok {
		return 0, false
	}
	id, ok := d.seen[f]
	return id, ok
}

// stage notes what a slice decided: the index entries of the leads it
// created and of its records with nowhere else to be found become a run;
// those records become findable; the leads it created and changed again
// are to be indexed from their last change.
func (d *deferredIndex) stage(fresh, changed []*cadence.Lead, seen map[string]cadence.LeadID) error {
	run := entryList{list: make([]entry, 0, len(fresh)+len(seen)), buf: make([]byte, 0, 48*len(fresh)+48*len(seen))}
	var key []byte
	for _, l := range fresh {
		if l.IsOpen() {
			key = appendQueueKey(key[:0], l.Owner, cadence.KeyOf(l))
			run.add(entryQueue, key, nil)
		}
	}
	for fp, id := range seen {
		run.add(entrySeen, []byte(fp), u64key(uint64(id)))
		if f, ok := fingerprintOf([]byte(fp)); ok {
			d.seen[f] = id
		}
	}
	for _, l := range changed {
		var key []byte
		if l.IsOpen() {
			key = appendQueueKey(append(d.rewrite[l.ID][:0], entryQueue), l.Owner, cadence.KeyOf(l))
		}
		d.rewrite[l.ID] = key
	}
	if err := d.failed.Load(); err != nil {
		return *err // a full disk says so now, not at the end of the file
	}
	if len(run.list) > 0 {
		d.toRun <- run.list // the writer's from now on
	}
	return nil
}

// entryList is a list of index entries whose bytes share one buffer (an
// entry keeps its bytes when the buffer grows).
type entryList struct {
	list []entry
	buf  []byte
}

// add appends the entry of key in the bucket kind names, with value.
func (l *entryList) add(kind byte, key, value []byte) {
	start := len(l.buf)
	l.buf = append(append(append(l.buf, kind), key...), value...)
	k := l.buf[start : start+1+len(key) : start+1+len(key)]
	v := l.buf[start+1+len(key) : len(l.buf) : len(l.buf)]
	l.list = append(l.list, entry{k, v})
}

// fits reports whether an entry of n bytes (kind, key and value) fits in
// the buffer without growing it.
func (l *entryList) fits(n int) bool { return len(l.buf)+n <= cap(l.buf) }

// reset empties the list, keeping its memory.
func (l *entryList) reset() { l.list, l.buf = l.list[:0], l.buf[:0] }

// mergeChunk is how many index entries one transaction of the merge writes.
const mergeChunk = 200_000

// merge writes every run into the indexes, in key order, a chunk of
// entries a transaction, with the queue keys of the leads changed after
// their slice as one more run; then the contacts pages, a chunk of pages
// a transaction, the last of which also runs done.
func (d *deferredIndex) merge(s *Store, done func(tx *bolt.Tx) error) error {
	runs, err := d.finish()
	defer func() { closeRuns(runs) }()
	if err != nil {
		return err
	}
	d.contacts.prepare() // laid out while the runs are merged
	// The queue keys of the leads changed after their slice are one more
	// run, current; theirs in the other runs are stale.
	current := -1
	if len(d.rewrite) > 0 {
		entries := make([]entry, 0, len(d.rewrite))
		for _, key := range d.rewrite {
			if key != nil {
				entries = append(entries, entry{key: key})
			}
		}
		r, err := writeRun(d.dir, entries)
		if err != nil {
			return err
		}
		runs = append(runs, r)
		current = len(runs) - 1
	}
	var batch entryList
	flush := func() error {
		if len(batch.list) == 0 {
			return nil
		}
		err := s.update(func(tx *bolt.Tx) error {
			buckets := map[byte]*bolt.Bucket{entryQueue: tx.Bucket(bucketQueue), entrySeen: tx.Bucket(bucketSeen)}
			for _, b := range buckets {
				b.FillPercent = 0.9 // keys arrive in order: fill pages up
			}
			for _, e := range batch.list {
				if err := buckets[e.key[0]].Put(e.key[1:], e.value); err != nil {
					return err
				}
			}
			return nil
		})
		batch.reset() // the transaction is over: its pages are written
		return err
	}
	err = mergeRuns(runs, func(key, value []byte, run int) error {
		if key[0] == entryQueue && run != current {
			if _, changed := d.rewrite[cadence.LeadID(btou(key[len(key)-8:]))]; changed {
				return nil // stale
			}
		}
		if !batch.fits(len(key) + len(value)) {
			if err := flush(); err != nil {
				return err
			}
			batch.buf = slices.Grow(batch.buf, max(32<<20, len(key)+len(value)))
		}
		batch.add(key[0], key[1:], value)
		if len(batch.list) == mergeChunk {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err == nil {
		err = d.contacts.write(s, done)
	}
	if err != nil {
		return fmt.Errorf("write the import's indexes: %w", err)
	}
	return nil
}

// close drops the runs.
func (d *deferredIndex) close() {
	runs, _ := d.finish()
	closeRuns(runs)
	d.contacts.release()
}

func closeRuns(runs []*run) {
	for _, r := range runs {
		r.close()
	}
}
