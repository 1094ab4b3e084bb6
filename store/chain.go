package store

import (
	"bytes"
	"crypto/sha256"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The touch log is a hash chain, lead by lead (schema 5): each touch record
// holds, in its fTouchPrev field, the hash of the lead's touch before it,
// and a lead's first touch holds none (all zero). Editing, reordering or
// removing a touch outside followup breaks the link from the touch after
// it, which Check reports. The hash is of the stored bytes, never of a
// re-encoding, so fields a newer binary adds are covered and a record
// hashes the same in every version.
//
// The chain has no anchor outside the touch log: a lead's last touch is
// vouched for only by the lead's stored summary, which Check recounts.

// chainLen is the length of a chain hash: SHA-256 cut to 128 bits, which
// keeps finding a second record with the same hash out of reach at 18
// bytes a touch.
const chainLen = 16

// chainHash returns the hash a touch stores of the touch before it: of
// that touch's key (lead and touch id, so a record moved under another
// key does not match) and its stored value.
func chainHash(key, value []byte) []byte {
	var h chainHasher
	return h.hash(key, value)
}

// chainHasher computes chainHash in memory of its own, reused from one
// touch to the next: a bulk load hashes a million touches without
// allocating.
type chainHasher struct {
	joined []byte
	sum    [sha256.Size]byte
}

// hash returns chainHash(key, value), valid until the next call.
func (h *chainHasher) hash(key, value []byte) []byte {
	h.joined = append(append(h.joined[:0], key...), value...)
	h.sum = sha256.Sum256(h.joined)
	return h.sum[:chainLen]
}

// zeroHash is what a lead's first touch links to.
var zeroHash = make([]byte, chainLen)

// prevHash is the hash a new touch of lead links to: of the lead's last
// touch in b, or zeroHash when it has none. New touches take the bucket's
// next sequence number, so the lead's last touch is its latest.
func prevHash(b *bolt.Bucket, lead uint64) []byte {
	c := b.Cursor()
	var k, v []byte
	if lead == ^uint64(0) {
		k, v = c.Last()
	} else if k, _ = c.Seek(u64key(lead + 1)); k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if len(k) != 16 || btou(k) != lead {
		return zeroHash
	}
	return chainHash(k, v)
}

// touchPrev returns the chain hash a touch record holds (zeroHash when it
// holds none), without decoding the rest of the record.
func touchPrev(v []byte) ([]byte, error) {
	prev := zeroHash
	err := decode(v, func(f field) {
		if f.num == fTouchPrev {
			prev = f.bytes
		}
	})
	return prev, err
}

// chainMigrationRun is how many touches migrateChain rewrites at a time.
var chainMigrationRun = 10_000

// migrateChain links every stored touch to the one before it (schema 5).
// Records keep their bytes and gain the field at their end. bbolt does not
// allow writes under an open cursor, so the touches are rewritten in runs:
// read a run, write it, seek past it with a new cursor.
func migrateChain(tx *bolt.Tx) error {
	run := chainMigrationRun
	b := tx.Bucket(bucketTouches)
	type rewrite struct{ k, v []byte }
	out := make([]rewrite, 0, run)
	var lastLead uint64
	prev := zeroHash
	var after []byte // the last key rewritten
	for {
		out = out[:0]
		c := b.Cursor()
		k, v := c.First()
		if after != nil {
			if k, v = c.Seek(after); bytes.Equal(k, after) {
				k, v = c.Next()
			}
		}
		for ; k != nil && len(out) < run; k, v = c.Next() {
			if len(k) != 16 {
				return fmt.Errorf("touch key %x is not a lead and a touch id", k)
			}
			lead, id := splitChildKey(k)
			if lead != lastLead {
				lastLead, prev = lead, zeroHash
			}
			if _, err := touchPrev(v); err != nil {
				return fmt.Errorf("touch %d of lead %d: %w", id, lead, err)
			}
			nv := appendPrev(bytes.Clone(v), prev)
			out = append(out, rewrite{bytes.Clone(k), nv})
			prev = chainHash(k, nv)
		}
		if len(out) == 0 {
			return nil
		}
		for _, r := range out {
			if err := b.Put(r.k, r.v); err != nil {
				return fmt.Errorf("rewrite touch %d of lead %d: %w", btou(r.k[8:]), btou(r.k), err)
			}
		}
		after = out[len(out)-1].k
	}
}
