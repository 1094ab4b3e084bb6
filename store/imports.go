package store

import (
	"crypto/sha256"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// The seen bucket (schema 3) remembers every imported row by a
// fingerprint, so importing the same file again changes nothing:
//
//	seen/
//	    sha256(row) → lead id(8)
var bucketSeen = []byte("seen")

// Arrival is one lead as it arrives (an import row, an intake request):
// the lead, and a fingerprint of the record it came from.
type Arrival struct {
	Lead        cadence.Lead
	Fingerprint []byte // e.g. the row's fields; nil: never seen before
}

// ArrivalResult says what became of an arrival.
type ArrivalResult struct {
	ID        cadence.LeadID
	New       bool // a new lead
	Duplicate bool // another interaction of an existing lead
	Seen      bool // this very record came before: nothing changed
}

// Arrive enters leads as they arrive, all in one transaction: a lead
// whose email or phone is already known (in the database, or earlier in
// this batch) is another interaction of that lead, never a second lead; a
// record seen before changes nothing. New leads must name their owner.
func (s *Store) Arrive(arrivals []Arrival) ([]ArrivalResult, error) {
	out := make([]ArrivalResult, len(arrivals))
	err := s.update(func(tx *bolt.Tx) error {
		seen := tx.Bucket(bucketSeen)
		for i := range arrivals {
			a := &arrivals[i]
			var fp []byte
			if a.Fingerprint != nil {
				sum := sha256.Sum256(a.Fingerprint)
				fp = sum[:]
				if v := seen.Get(fp); v != nil {
					out[i] = ArrivalResult{ID: cadence.LeadID(btou(v)), Seen: true}
					continue
				}
			}
			r, err := arrive(tx, &a.Lead)
			if err != nil {
				return fmt.Errorf("lead %q: %w", a.Lead.Name, err)
			}
			out[i] = r
			if fp != nil {
				if err := seen.Put(fp, u64key(uint64(r.ID))); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("enter arriving leads: %w", err)
	}
	return out, nil
}

// arrive enters one lead: a duplicate counts one more interaction (and
// may ask to be contacted) on the existing lead.
func arrive(tx *bolt.Tx, l *cadence.Lead) (ArrivalResult, error) {
	if id := findContact(tx, l.Email, l.Phone); id != 0 {
		old, err := getLead(tx, id)
		if err != nil {
			return ArrivalResult{}, err
		}
		updated := old.Clone()
		updated.Interactions += max(l.Interactions, 1)
		updated.ContactMe = updated.ContactMe || l.ContactMe
		if updated.Email == "" {
			updated.Email = l.Email
		}
		if updated.Phone == "" {
			updated.Phone = l.Phone
		}
		return ArrivalResult{ID: id, Duplicate: true}, putLead(tx, &old, &updated)
	}
	if l.Owner == "" || tx.Bucket(bucketReps).Get([]byte(l.Owner)) == nil {
		return ArrivalResult{}, fmt.Errorf("owner %q: rep %w", l.Owner, ErrNotFound)
	}
	seq, err := tx.Bucket(bucketLeads).NextSequence()
	if err != nil {
		return ArrivalResult{}, err
	}
	l.ID = cadence.LeadID(seq)
	return ArrivalResult{ID: l.ID, New: true}, putLead(tx, nil, l)
}
