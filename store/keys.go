package store

import (
	"bytes"
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

func u64key(v uint64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), v) }

// childKey is a parent id followed by a child id: touches and notes of one
// lead sit together, in the order they were written.
func childKey(parent, child uint64) []byte {
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, parent)
	binary.BigEndian.PutUint64(k[8:], child)
	return k
}

func splitChildKey(k []byte) (parent, child uint64) {
	return binary.BigEndian.Uint64(k), binary.BigEndian.Uint64(k[8:])
}

// timeBits maps a time to a uint64 whose byte order is time order.
func timeBits(t time.Time) uint64 {
	if t.IsZero() {
		return 0
	}
	return uint64(t.UnixNano()) ^ (1 << 63)
}

func bitsTime(v uint64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(v^(1<<63))).UTC()
}

// ownerPrefix is the queue-index prefix of one owner's entries.
func ownerPrefix(owner string) []byte {
	p := make([]byte, 0, len(owner)+1)
	return append(append(p, owner...), 0)
}

// queueKey is the index key of an open lead.
func queueKey(l *cadence.Lead) []byte {
	return appendQueueKey(nil, l.Owner, cadence.KeyOf(l))
}

func appendQueueKey(b []byte, owner string, k cadence.QueueKey) []byte {
	b = append(append(b, owner...), 0)
	if k.Touched {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.BigEndian.AppendUint64(b, timeBits(k.At))
	return binary.BigEndian.AppendUint64(b, uint64(k.ID))
}

// parseQueueKey reads an index key back; ok is false for a malformed key.
func parseQueueKey(k []byte) (owner string, qk cadence.QueueKey, ok bool) {
	i := bytes.IndexByte(k, 0)
	if i < 0 || len(k) != i+1+1+8+8 {
		return "", qk, false
	}
	qk, _ = parseQueueKeyRest(k[i+1:])
	return string(k[:i]), qk, true
}

// parseQueueKeyRest reads the part of an index key after the owner prefix.
func parseQueueKeyRest(rest []byte) (cadence.QueueKey, bool) {
	if len(rest) != 1+8+8 {
		return cadence.QueueKey{}, false
	}
	return cadence.QueueKey{
		Touched: rest[0] == 1,
		At:      bitsTime(binary.BigEndian.Uint64(rest[1:9])),
		ID:      cadence.LeadID(binary.BigEndian.Uint64(rest[9:17])),
	}, true
}

func btou(k []byte) uint64 { return binary.BigEndian.Uint64(k) }

// appendChild writes a new child record of parent under the bucket's next
// sequence number; encode gets that id (the record's own) and returns the
// value, which bbolt keeps until commit.
func appendChild(b *bolt.Bucket, parent uint64, encode func(id uint64) []byte) error {
	id, err := b.NextSequence()
	if err != nil {
		return err
	}
	return b.Put(childKey(parent, id), encode(id))
}
