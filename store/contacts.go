package store

import (
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// The contacts bucket finds a lead by its email or phone, so that a person
// who reaches out again is another interaction of the same lead, never a
// second lead. Its keys are 'e' email and 'p' E.164 phone, each held by
// the first lead with it; since schema 6 they are kept in pages
// (contact_pages.go).
var bucketContacts = []byte("contacts")

func emailKey(email string) []byte { return appendEmailKey(nil, email) }
func phoneKey(phone string) []byte { return appendPhoneKey(nil, phone) }

func appendEmailKey(b []byte, email string) []byte { return append(append(b, 'e'), email...) }
func appendPhoneKey(b []byte, phone string) []byte { return append(append(b, 'p'), phone...) }

// contactKeys are a lead's keys in the contacts bucket.
func contactKeys(l *cadence.Lead) [][]byte {
	var keys contactKeyBuf
	return slices.Clone(keys.of(l))
}

// contactKeyBuf builds a lead's contact keys in memory of its own, reused
// from one lead to the next: for loops over many leads, where each lead's
// keys are done with before the next's.
type contactKeyBuf struct {
	keys  [2][]byte
	bytes [2][]byte
}

// of returns l's contact keys (as contactKeys), valid until the next call.
func (b *contactKeyBuf) of(l *cadence.Lead) [][]byte {
	n := 0
	if l.Email != "" {
		b.bytes[n] = appendEmailKey(b.bytes[n][:0], l.Email)
		b.keys[n] = b.bytes[n]
		n++
	}
	if l.Phone != "" {
		b.bytes[n] = appendPhoneKey(b.bytes[n][:0], l.Phone)
		b.keys[n] = b.bytes[n]
		n++
	}
	return b.keys[:n]
}

// indexContacts records the lead under each of its contacts not yet taken
// by another lead.
func indexContacts(tx *bolt.Tx, l *cadence.Lead) error {
	b := tx.Bucket(bucketContacts)
	for _, k := range contactKeys(l) {
		if err := putContact(b, k, l.ID); err != nil {
			return fmt.Errorf("index the contacts of lead %d: %w", l.ID, err)
		}
	}
	return nil
}

// unindexContacts removes the contacts of old that l no longer has, where
// they point at this lead.
func unindexContacts(tx *bolt.Tx, old, l *cadence.Lead) error {
	b := tx.Bucket(bucketContacts)
	keep := map[string]bool{}
	for _, k := range contactKeys(l) {
		keep[string(k)] = true
	}
	for _, k := range contactKeys(old) {
		if keep[string(k)] {
			continue
		}
		if err := deleteContact(b, k, old.ID); err != nil {
			return fmt.Errorf("unindex the contacts of lead %d: %w", old.ID, err)
		}
	}
	return nil
}

// FindContact returns the lead holding this email or phone (normalised:
// lowercase, E.164), the email first.
func (s *Store) FindContact(email, phone string) (cadence.LeadID, bool, error) {
	var id cadence.LeadID
	err := s.view(func(tx *bolt.Tx) error {
		id = findContact(tx, email, phone)
		return nil
	})
	return id, id != 0, err
}

func findContact(tx *bolt.Tx, email, phone string) cadence.LeadID {
	b := tx.Bucket(bucketContacts)
	if email != "" {
		if id := lookupContact(b, emailKey(email)); id != 0 {
			return id
		}
	}
	if phone != "" {
		return lookupContact(b, phoneKey(phone))
	}
	return 0
}

// migrateContacts creates the contacts bucket and indexes every lead, a
// key per contact: the layout of schema 2 to 5, which migration 6 pages.
func migrateContacts(tx *bolt.Tx) error {
	b, err := tx.CreateBucketIfNotExists(bucketContacts)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketLeads).ForEach(func(k, v []byte) error {
		l, err := decodeLead(cadence.LeadID(btou(k)), v)
		if err != nil {
			return err
		}
		for _, ck := range contactKeys(&l) {
			if b.Get(ck) == nil {
				if err := b.Put(ck, u64key(uint64(l.ID))); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
