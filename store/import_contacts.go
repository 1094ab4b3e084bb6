package store

import (
	"hash/crc32"

	"github.com/followuphq/followup/cadence"
)

// importContacts are the contacts of the leads an import created, kept in
// memory until it commits: a hash table of chained entries over one
// buffer of key bytes, so a million leads cost two large arrays, not two
// million small ones. It has sixteen buckets to each page of the contacts
// bucket, and bucket i belongs to page i mod 65,536 (the low 16 bits of
// the same hash), so Commit can write each page once.
type importContacts struct {
	heads   []uint32 // per bucket: 1 + the index of its last entry; 0: empty
	entries []contactRef
	keys    []byte
}

// contactRef is one contact in importContacts.
type contactRef struct {
	id   cadence.LeadID
	hash uint32 // of the key: most misses end here, without reading it
	off  uint32 // of the key in keys
	n    uint32 // the key's length
	next uint32 // 1 + the index of the bucket's entry before it; 0: none
}

const memPageBits = contactPageBits + 4

func newImportContacts() *importContacts {
	return &importContacts{heads: make([]uint32, 1<<memPageBits)}
}

// find returns the lead holding contact key k, 0 if none.
func (c *importContacts) find(k []byte) cadence.LeadID {
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
func (c *importContacts) add(k []byte, id cadence.LeadID) {
	h := crc32.Checksum(k, castagnoli)
	b := h & (1<<memPageBits - 1)
	c.entries = append(c.entries, contactRef{id: id, hash: h, off: uint32(len(c.keys)), n: uint32(len(k)), next: c.heads[b]})
	c.keys = append(c.keys, k...)
	c.heads[b] = uint32(len(c.entries))
}

// appendPage appends the entries of contacts-bucket page p to v, in the
// bucket's page format.
func (c *importContacts) appendPage(v []byte, p int) []byte {
	for b := p; b < len(c.heads); b += 1 << contactPageBits {
		for i := c.heads[b]; i != 0; {
			e := &c.entries[i-1]
			v = appendContact(v, c.keys[e.off:e.off+e.n], e.id)
			i = e.next
		}
	}
	return v
}
