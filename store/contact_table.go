package store

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// contactTable holds the contacts of leads added in bulk (by an import, by
// the demo loader) in memory until they are written: a hash table of
// chained entries over one buffer of key bytes, so a million leads cost
// two large arrays, not two million small ones. It has sixteen buckets to each page of the contacts
// bucket, and bucket i belongs to page i mod 65,536 (the low 16 bits of
// the same hash), so Commit can write each page once.
type contactTable struct {
	heads   []uint32 // per bucket: 1 + the index of its last entry; 0: empty
	entries []contactRef
	keys    []byte
	// chunks are the pages laid out for write once prepare has begun;
	// closing stop ends the laying out.
	chunks <-chan pageChunk
	stop   chan struct{}
}

// contactRef is one contact in contactTable.
type contactRef struct {
	id   cadence.LeadID
	hash uint32 // of the key: most misses end here, without reading it
	off  uint32 // of the key in keys
	n    uint32 // the key's length
	next uint32 // 1 + the index of the bucket's entry before it; 0: none
}

const memPageBits = contactPageBits + 4

func newContactTable() *contactTable {
	return &contactTable{heads: make([]uint32, 1<<memPageBits)}
}

// find returns the lead holding contact key k, 0 if none.
func (c *contactTable) find(k []byte) cadence.LeadID {
	h := crc32.Checksum(k, castagnoli)
	for i := c.heads[h&(1<<memPageBits-1)]; i != 0; {
		e := &c.entries[i-1]
		if e.hash == h && int(e.n) == len(k) && string(c.keys[e.off:e.off+e.n]) == string(k) {
			return e.id
		}
		i = e.next
	}
	return 0
}

// add gives contact key k to lead id; the caller knows no one holds it.
func (c *contactTable) add(k []byte, id cadence.LeadID) {
	h := crc32.Checksum(k, castagnoli)
	b := h & (1<<memPageBits - 1)
	// Doubled when full: append grows a large slice by a quarter, and
	// would copy a million entries a dozen times over.
	if len(c.entries) == cap(c.entries) {
		c.entries = slices.Grow(c.entries, max(len(c.entries), 1024))
	}
	if len(c.keys)+len(k) > cap(c.keys) {
		c.keys = slices.Grow(c.keys, max(len(c.keys), 64<<10, len(k)))
	}
	c.entries = append(c.entries, contactRef{id: id, hash: h, off: uint32(len(c.keys)), n: uint32(len(k)), next: c.heads[b]})
	c.keys = append(c.keys, k...)
	c.heads[b] = uint32(len(c.entries))
}

// claim gives contact key k to lead id unless a lead holds it: the first
// lead with a contact keeps it.
func (c *contactTable) claim(k []byte, id cadence.LeadID) {
	if c.find(k) == 0 {
		c.add(k, id)
	}
}

// appendPage appends the entries of contacts-bucket page p to v, in the
// bucket's page format.
func (c *contactTable) appendPage(v []byte, p int) []byte {
	for b := p; b < len(c.heads); b += 1 << contactPageBits {
		for i := c.heads[b]; i != 0; {
			e := &c.entries[i-1]
			v = appendContact(v, c.keys[e.off:e.off+e.n], e.id)
			i = e.next
		}
	}
	return v
}

// contactPagesPerTx is how many contacts pages one transaction writes.
const contactPagesPerTx = 8192

// pageChunk is the table's entries of contactPagesPerTx pages from first,
// in the bucket's page format: page first+i's in buf[ends[i-1]:ends[i]].
type pageChunk struct {
	first int
	buf   []byte
	ends  []int
}

// page returns the entries of the chunk's page i.
func (ch *pageChunk) page(i int) []byte {
	start := 0
	if i > 0 {
		start = ch.ends[i-1]
	}
	return ch.buf[start:ch.ends[i]:ch.ends[i]]
}

// prepare starts laying out the table's pages for write, a chunk ahead of
// it, on a goroutine of its own (e.g. while other indexes are written);
// the table must not change from then on.
func (c *contactTable) prepare() {
	if c.chunks != nil {
		return
	}
	chunks, stop := make(chan pageChunk, 1), make(chan struct{})
	c.chunks, c.stop = chunks, stop
	go func() {
		defer close(chunks)
		for first := 0; first < 1<<contactPageBits; first += contactPagesPerTx {
			ch := pageChunk{first: first, ends: make([]int, contactPagesPerTx)}
			for i := range contactPagesPerTx {
				ch.buf = c.appendPage(ch.buf, first+i)
				ch.ends[i] = len(ch.buf)
			}
			select {
			case chunks <- ch:
			case <-stop:
				return
			}
		}
	}()
}

// release ends the laying out of pages that prepare began, if any.
func (c *contactTable) release() {
	if c.stop != nil {
		close(c.stop)
		c.stop = nil
	}
}

// write adds the table's contacts to the contacts bucket, a page at a
// time, each page written once; a contact a lead already in the bucket
// holds stays that lead's. The last transaction also runs last, if
// not nil.
func (c *contactTable) write(s *Store, last func(tx *bolt.Tx) error) error {
	c.prepare()
	defer c.release()
	for ch := range c.chunks {
		err := s.update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketContacts)
			b.FillPercent = 0.9
			// bbolt keeps what is put until commit: the chunk's buffer,
			// and merged pages' values, stay until then.
			var merged []byte
			for i := range contactPagesPerTx {
				add := ch.page(i)
				if len(add) == 0 {
					continue
				}
				var p [2]byte
				binary.BigEndian.PutUint16(p[:], uint16(ch.first+i))
				v := add
				if held := b.Get(p[:]); len(held) > 0 {
					at := len(merged)
					merged = append(merged, held...)
					eachContact(add, func(k []byte, id cadence.LeadID) bool {
						if lookupContactIn(held, k) == 0 {
							merged = appendContact(merged, k, id)
						}
						return true
					})
					v = merged[at:len(merged):len(merged)]
				}
				if err := b.Put(bytes.Clone(p[:]), v); err != nil {
					return err
				}
			}
			if ch.first+contactPagesPerTx == 1<<contactPageBits && last != nil {
				return last(tx)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
