package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// This file lends the black-box tests (package store_test) a few internals.

// BucketNames lists the buckets of the current schema, as store.go lays
// them out.
var BucketNames = []string{
	string(bucketMeta), string(bucketLeads), string(bucketTouches), string(bucketNotes),
	string(bucketDrafts), string(bucketReps), string(bucketQueue), string(bucketContacts), string(bucketSeen), string(bucketEvents),
}

// MigrationName returns the name of the i-th migration (0-based).
func MigrationName(i int) string { return migrations[i].name }

// CreateAtSchema writes a new bbolt file at path holding a database at
// schema version v, as a binary that knew only the first v migrations left
// it: migrations 0…v-1 run, each recorded. v = 0 is an empty bbolt file.
func CreateAtSchema(path string, v int) error {
	if v < 0 || v > len(migrations) {
		return fmt.Errorf("schema %d: this binary knows 0…%d", v, len(migrations))
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Update(func(tx *bolt.Tx) error {
		for i := 0; i < v; i++ {
			if err := migrations[i].run(tx); err != nil {
				return err
			}
			meta, err := tx.CreateBucketIfNotExists(bucketMeta)
			if err != nil {
				return err
			}
			if err := meta.Put(keySchema, binary.AppendUvarint(nil, uint64(i+1))); err != nil {
				return err
			}
		}
		return nil
	})
}

// AppendFailingMigration adds a migration that does some writes and then
// fails, as a buggy newer migration would; the returned func removes it.
func AppendFailingMigration() (restore func()) {
	saved := migrations
	migrations = append(migrations[:len(migrations):len(migrations)], migration{
		name: "a failing migration",
		run: func(tx *bolt.Tx) error {
			if _, err := tx.CreateBucket([]byte("half-done")); err != nil {
				return err
			}
			if err := tx.Bucket(bucketMeta).Put([]byte("half-done"), []byte{1}); err != nil {
				return err
			}
			return fmt.Errorf("this migration always fails")
		},
	})
	return func() { migrations = saved }
}

// HoldWrites makes the import write each slice only once the next slice
// is decided (or the import ends), so that every slice after the first is
// decided on a database without the slice before it: what that slice
// wrote must come from the import's own overlays.
func (im *Import) HoldWrites() { im.hold = make(chan struct{}, 1) }
