package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// migration moves the database from one schema version to the next. The
// i-th migration (0-based) takes a database at version i to version i+1.
type migration struct {
	name string
	run  func(tx *bolt.Tx) error
}

// migrations in order. Append only: a released migration never changes.
var migrations = []migration{
	{name: "create the buckets", run: func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketLeads, bucketTouches, bucketNotes, bucketDrafts, bucketReps, bucketQueue} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		return nil
	}},
	{name: "index leads by email and phone", run: migrateContacts},
	{name: "remember imported records", run: func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketSeen)
		return err
	}},
	{name: "keep timeline events (hand-offs)", run: func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketEvents)
		return err
	}},
	{name: "link each lead's touches in a hash chain", run: migrateChain},
	{name: "keep the contacts index in pages", run: migrateContactPages},
}

// SchemaVersion is the schema version this binary writes.
func SchemaVersion() int { return len(migrations) }

func schemaVersion(tx *bolt.Tx) uint64 {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return 0
	}
	v, _ := binary.Uvarint(meta.Get(keySchema))
	return v
}

// migrate runs every migration after version, recording each step, all in
// the caller's transaction: a failed migration leaves the file as it was.
func migrate(tx *bolt.Tx, version uint64) error {
	for i := version; i < uint64(len(migrations)); i++ {
		m := migrations[i]
		if err := m.run(tx); err != nil {
			return fmt.Errorf("migrate to schema %d (%s): %w", i+1, m.name, err)
		}
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return fmt.Errorf("migrate to schema %d: %w", i+1, err)
		}
		if err := meta.Put(keySchema, binary.AppendUvarint(nil, i+1)); err != nil {
			return fmt.Errorf("migrate to schema %d: record version: %w", i+1, err)
		}
	}
	return nil
}
