// Package store keeps followup's data in one bbolt file. It is the only
// package that imports bbolt.
//
// Bucket layout (schema version 6; the buckets later schemas added are
// drawn where they are used: contacts in contact_pages.go, seen in
// imports.go, events in events.go, import in journal.go):
//
//	meta/
//	    schema                      → uvarint schema version
//	    assign.last                 → the rep the last new lead went to
//	leads/     (sequence: lead ids)
//	    id(8)                       → lead record (with the fingerprints of
//	                                  the import rows it arrived by)
//	touches/   (sequence: touch ids)
//	    lead id(8) touch id(8)      → touch record (append-only; each holds the
//	                                  hash of its lead's touch before it: chain.go)
//	notes/     (sequence: note ids)
//	    lead id(8) note id(8)       → note record
//	drafts/
//	    rep 0x00 lead id(8)         → draft text of an unsaved note
//	reps/
//	    name                        → rep record
//	queue/     (the queue index, one entry per open lead)
//	    owner 0x00 touched(1) at(8) lead id(8) → empty
//
// Integers in keys are big-endian, so byte order is numeric order. In the
// queue index "touched" is 0 for an untouched lead and 1 otherwise, and "at"
// is the receipt time (untouched) or the next due time (touched) in Unix
// nanoseconds with the sign bit flipped: a cursor over one owner's prefix
// walks the queue in order, and the key does not change as the clock moves.
// Records are in the protobuf wire format (codec.go).
package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Bucket names.
var (
	bucketMeta    = []byte("meta")
	bucketLeads   = []byte("leads")
	bucketTouches = []byte("touches")
	bucketNotes   = []byte("notes")
	bucketDrafts  = []byte("drafts")
	bucketReps    = []byte("reps")
	bucketQueue   = []byte("queue")

	keySchema = []byte("schema")
)

// Sentinel errors. Callers test them with errors.Is.
var (
	ErrNotFound    = errors.New("not found")
	ErrLocked      = errors.New("database in use")
	ErrNoDatabase  = errors.New("no database")
	ErrTooNew      = errors.New("database written by a newer followup")
	ErrNotDatabase = errors.New("not a followup database")
	ErrExists      = errors.New("already exists")
)

// Options tunes Open.
type Options struct {
	// Timeout is how long to wait for the file lock held by another
	// process before failing with ErrLocked. Zero means 500ms.
	Timeout time.Duration
	// ReadOnly opens the file for reading only; it must exist.
	ReadOnly bool
	// NoSync skips fsync on commit. Only for building throwaway databases
	// (demos, benchmarks); call Sync before closing.
	NoSync bool
	// InitialMmapSize maps this many bytes from the start, so that a bulk
	// build does not remap (and copy every pending page) as the file grows.
	InitialMmapSize int
}

// Store is an open followup database.
type Store struct {
	db       *bolt.DB
	path     string
	readOnly bool
	cutShort *CutShortImport // an unfinished import taken back on opening
	// importing is the import under way, nil if none: Close waits for
	// the slice it is writing.
	importing *Import
}

// CutShort returns the unfinished import this Open took back, or nil.
func (s *Store) CutShort() *CutShortImport { return s.cutShort }

// Open opens (and, unless read-only, creates) the database at path, creating
// its buckets and migrating it to the current schema.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout == 0 {
		opts.Timeout = 500 * time.Millisecond
	}
	if opts.ReadOnly {
		fi, err := os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("open %s: %w", path, ErrNoDatabase)
		}
		// bbolt would try to initialize an empty file, and fail with a
		// write error on the read-only descriptor.
		if err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
			return nil, fmt.Errorf("open %s: %w: the file is empty", path, ErrNotDatabase)
		}
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create the folder of %s: %w", path, err)
	}
	if err := checkWhole(path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db, err := openReplaced(path, opts)
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("open %s: %w", path, ErrLocked)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch), errors.Is(err, bolterrors.ErrChecksum),
		err != nil && strings.Contains(err.Error(), "file size too small"): // bbolt has no sentinel for this one
		return nil, fmt.Errorf("open %s: %w (%v)", path, ErrNotDatabase, err)
	case err != nil:
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{db: db, path: path, readOnly: opts.ReadOnly}
	if err := s.prepare(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// openReplaced opens the bbolt file at path. If the file under that name
// was replaced while this process waited for its lock (a demo rebuilt, a
// backup restored), the lock it got is on a file no longer under the name,
// and every write would be lost: it opens the new file instead.
func openReplaced(path string, opts Options) (*bolt.DB, error) {
	for attempt := 0; ; attempt++ {
		before, statErr := os.Stat(path)
		db, err := bolt.Open(path, 0o600, &bolt.Options{
			Timeout:         opts.Timeout,
			ReadOnly:        opts.ReadOnly,
			NoSync:          opts.NoSync,
			FreelistType:    bolt.FreelistMapType,
			InitialMmapSize: opts.InitialMmapSize,
		})
		if err != nil || statErr != nil || attempt == 3 {
			return db, err
		}
		if after, err := os.Stat(path); err == nil && os.SameFile(before, after) {
			return db, nil
		}
		db.Close()
	}
}

// prepare checks the schema version and, when writable, migrates.
func (s *Store) prepare() error {
	var version uint64
	pending := false
	err := s.db.View(func(tx *bolt.Tx) error {
		pending = tx.Bucket(bucketImport) != nil
		version = schemaVersion(tx)
		// Migrations record the version in the transaction that creates
		// the buckets, so a followup file at version 0 holds no buckets;
		// any bucket (even one named "meta") is another program's.
		if version == 0 && hasForeignBuckets(tx) {
			return ErrNotDatabase
		}
		return nil
	})
	if err != nil {
		return err
	}
	if version > uint64(len(migrations)) {
		return fmt.Errorf("%w: schema %d, this binary knows up to %d; upgrade followup", ErrTooNew, version, len(migrations))
	}
	if version == uint64(len(migrations)) {
		return s.takeBackCutShort(pending)
	}
	if s.readOnly {
		if version == 0 {
			return fmt.Errorf("%w: the file is empty", ErrNotDatabase)
		}
		return fmt.Errorf("the database is at schema %d and needs migrating to %d; open it once without read-only access", version, len(migrations))
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return migrate(tx, version) }); err != nil {
		return err
	}
	return s.takeBackCutShort(pending)
}

// takeBackCutShort takes back an import that never finished (the process
// died or was killed during it); a read-only open cannot, and refuses.
func (s *Store) takeBackCutShort(pending bool) error {
	if !pending {
		return nil
	}
	if s.readOnly {
		return ErrImportCutShort
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		cut, err := takeBackImport(tx)
		s.cutShort = cut
		return err
	})
}

// hasForeignBuckets reports whether the file holds buckets that are not
// followup's: another program's bbolt file.
func hasForeignBuckets(tx *bolt.Tx) bool {
	foreign := false
	_ = tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
		foreign = true
		return nil
	})
	return foreign
}

// Close closes the database, once the slice an import is writing is
// written (an import not committed is taken back by the next Open).
func (s *Store) Close() error {
	if im := s.importing; im != nil { // not committed: the next Open takes it back
		im.wait()
		im.idx.close()
		s.importing = nil
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close %s: %w", s.path, err)
	}
	return nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Sync flushes the file to disk; needed only after opening with NoSync.
func (s *Store) Sync() error {
	if err := s.db.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", s.path, err)
	}
	return nil
}

func (s *Store) view(fn func(tx *bolt.Tx) error) error { return s.db.View(fn) }

func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("write to %s: the database is open read-only", s.path)
	}
	return s.db.Update(fn)
}
