package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// The contacts bucket (schema 6) keeps its entries in pages: a contact
// key lives in the page its hash names, with the lead that holds it,
//
//	contacts/
//	    page(2) → entries: uvarint len, contact key ('e' email | 'p' phone), lead id(8)
//
// so that an import of a million leads writes at most 65,536 values
// instead of a key per email and phone, and a lookup reads one value of a
// few dozen entries. (Schema 2 to 5 kept a key per contact: migrate.go.)
const contactPageBits = 16

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// contactPage is the page contact key k lives in.
func contactPage(k []byte) [2]byte {
	var p [2]byte
	binary.BigEndian.PutUint16(p[:], uint16(crc32.Checksum(k, castagnoli)))
	return p
}

// eachContact calls fn with every entry of page value v until fn returns
// false; it reports whether v is well formed.
func eachContact(v []byte, fn func(k []byte, id cadence.LeadID) bool) bool {
	for len(v) > 0 {
		n, w := binary.Uvarint(v)
		if w <= 0 || n > uint64(len(v)-w) || uint64(len(v)-w)-n < 8 {
			return false
		}
		k, id := v[w:w+int(n)], cadence.LeadID(binary.BigEndian.Uint64(v[w+int(n):]))
		v = v[w+int(n)+8:]
		if !fn(k, id) {
			return true
		}
	}
	return true
}

// appendContact appends the entry k → id to a page value.
func appendContact(v, k []byte, id cadence.LeadID) []byte {
	v = binary.AppendUvarint(v, uint64(len(k)))
	return binary.BigEndian.AppendUint64(append(v, k...), uint64(id))
}

// lookupContact returns the lead holding contact key k, 0 if none.
func lookupContact(b *bolt.Bucket, k []byte) cadence.LeadID {
	p := contactPage(k)
	return lookupContactIn(b.Get(p[:]), k)
}

// lookupContactIn returns the lead holding contact key k in page value v.
func lookupContactIn(v, k []byte) cadence.LeadID {
	var found cadence.LeadID
	eachContact(v, func(ek []byte, id cadence.LeadID) bool {
		if bytes.Equal(ek, k) {
			found = id
			return false
		}
		return true
	})
	return found
}

// putContact gives contact key k to lead id, unless a lead holds it.
func putContact(b *bolt.Bucket, k []byte, id cadence.LeadID) error {
	p := contactPage(k)
	v := b.Get(p[:])
	if lookupContactIn(v, k) != 0 {
		return nil
	}
	return b.Put(p[:], appendContact(bytes.Clone(v), k, id))
}

// deleteContact takes contact key k from lead id, if id holds it.
func deleteContact(b *bolt.Bucket, k []byte, id cadence.LeadID) error {
	p := contactPage(k)
	return filterContacts(b, p[:], func(ek []byte, eid cadence.LeadID) bool {
		return eid != id || !bytes.Equal(ek, k)
	})
}

// filterContacts keeps the entries of a page that keep says to keep.
func filterContacts(b *bolt.Bucket, page []byte, keep func(k []byte, id cadence.LeadID) bool) error {
	v := b.Get(page)
	var out []byte
	changed := false
	eachContact(v, func(k []byte, id cadence.LeadID) bool {
		if keep(k, id) {
			out = appendContact(out, k, id)
		} else {
			changed = true
		}
		return true
	})
	switch {
	case !changed:
		return nil
	case len(out) == 0:
		return b.Delete(page)
	default:
		return b.Put(page, out)
	}
}

// migrateContactPages moves the contacts bucket from a key per contact
// (schema 2–5) to pages (schema 6).
func migrateContactPages(tx *bolt.Tx) error {
	old := tx.Bucket(bucketContacts)
	if old == nil {
		_, err := tx.CreateBucket(bucketContacts)
		return err
	}
	pages := map[[2]byte][]byte{}
	if err := old.ForEach(func(k, v []byte) error {
		if len(v) != 8 {
			return fmt.Errorf("contacts index: malformed entry %q", k)
		}
		p := contactPage(k)
		pages[p] = appendContact(pages[p], k, cadence.LeadID(binary.BigEndian.Uint64(v)))
		return nil
	}); err != nil {
		return err
	}
	if err := tx.DeleteBucket(bucketContacts); err != nil {
		return err
	}
	b, err := tx.CreateBucket(bucketContacts)
	if err != nil {
		return err
	}
	b.FillPercent = 0.9
	for i := range 1 << contactPageBits {
		var p [2]byte
		binary.BigEndian.PutUint16(p[:], uint16(i))
		if v, ok := pages[p]; ok {
			if err := b.Put(p[:], v); err != nil {
				return err
			}
		}
	}
	return nil
}
