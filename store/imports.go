package store

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"slices"
	"time"

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
	Lead cadence.Lead
	// Fingerprint is Fingerprint(record) of the record the lead came from
	// (e.g. an import row); nil: never seen before.
	Fingerprint []byte
}

// Fingerprint is how Arrive knows a record it has seen: a hash of its bytes.
func Fingerprint(record []byte) []byte {
	sum := sha256.Sum256(record)
	return sum[:]
}

// ArriveOptions are the team's rules for arrivals.
type ArriveOptions struct {
	// MinInteractions is how many interactions make a person a lead
	// (qualify.min_interactions). Below it, and without a request to be
	// contacted, a new person is a name on the nurture list: no owner, in
	// no queue, until an arrival qualifies them. 0 counts as 1.
	MinInteractions int
	// Assign names the owner of each lead that is new or qualifies now
	// and names none. It is called inside the transaction; the store
	// remembers the last rep it named (LastAssigned) in the same one.
	Assign func() string
}

// ArrivalResult says what became of an arrival.
type ArrivalResult struct {
	ID        cadence.LeadID
	Owner     string
	New       bool // a new lead or name
	Duplicate bool // another interaction of an existing lead or name
	Seen      bool // this very record came before: nothing changed
	Name      bool // the person is on the nurture list, not yet a lead
	Qualified bool // this arrival made a name a lead
}

var keyLastAssigned = []byte("assign.last")

// LastAssigned returns the rep the last new lead was given to by an
// ArriveOptions.Assign, "" if none: where a round robin goes on from.
func (s *Store) LastAssigned() (string, error) {
	var name string
	err := s.view(func(tx *bolt.Tx) error {
		name = string(tx.Bucket(bucketMeta).Get(keyLastAssigned))
		return nil
	})
	return name, err
}

// Arrive enters leads as they arrive, all in one transaction: a lead
// whose email or phone is already known (in the database, or earlier in
// this batch) is another interaction of that lead, never a second lead; a
// record seen before changes nothing. New leads must name their owner.
//
// It decides everything first (reads), then writes each bucket's keys in
// sorted order: a large import stays an append, not a million inserts at
// random places in one huge transaction.
func (s *Store) Arrive(arrivals []Arrival, o ArriveOptions) ([]ArrivalResult, error) {
	return s.arrive(arrivals, o, nil)
}

// arrive is Arrive; within an import it first keeps what the import
// changes in the import's undo bucket, so that it can be taken back.
func (s *Store) arrive(arrivals []Arrival, o ArriveOptions, im *Import) ([]ArrivalResult, error) {
	out := make([]ArrivalResult, len(arrivals))
	err := s.update(func(tx *bolt.Tx) error {
		seenB, reps := tx.Bucket(bucketSeen), tx.Bucket(bucketReps)
		var undo *bolt.Bucket
		if im != nil {
			if undo = tx.Bucket(bucketImport); undo == nil {
				return errImportGone
			}
		}
		lastAssigned := ""
		// own gives a lead that is new or qualifies now its owner.
		own := func(l *cadence.Lead) error {
			if l.Owner == "" && o.Assign != nil {
				l.Owner = o.Assign()
				lastAssigned = l.Owner
			}
			if l.Owner == "" || reps.Get([]byte(l.Owner)) == nil {
				return fmt.Errorf("lead %q: owner %q: rep %w", l.Name, l.Owner, ErrNotFound)
			}
			return nil
		}
		// qualify makes a name that now qualifies a lead, arrived with a.
		qualify := func(u, a *cadence.Lead, r *ArrivalResult) error {
			if !u.IsName() || !u.Qualifies(o.MinInteractions) {
				r.Name = u.IsName()
				return nil
			}
			u.Status = cadence.StatusOpen
			u.ReceivedAt, u.EnteredAt, u.AssignedAt = a.ReceivedAt, a.EnteredAt, a.AssignedAt
			u.Owner = a.Owner
			if err := own(u); err != nil {
				return err
			}
			r.Owner, r.Qualified = u.Owner, true
			return nil
		}
		fps := make([][]byte, len(arrivals))
		seenNow := map[string]cadence.LeadID{}
		byContact := map[string]int{}                 // contact key → index of the new lead in this batch
		dbContact := map[string]cadence.LeadID{}      // contact key → database lead updated in this batch
		updated := map[cadence.LeadID]*cadence.Lead{} // existing leads with new interactions
		olds := map[cadence.LeadID]cadence.Lead{}
		var fresh []*cadence.Lead
		for i := range arrivals {
			a := &arrivals[i]
			if a.Fingerprint != nil {
				fps[i] = a.Fingerprint
				if v := seenB.Get(fps[i]); v != nil {
					out[i] = ArrivalResult{ID: cadence.LeadID(btou(v)), Seen: true}
					fps[i] = nil
					continue
				}
				if id, ok := seenNow[string(fps[i])]; ok {
					out[i] = ArrivalResult{ID: id, Seen: true}
					fps[i] = nil
					continue
				}
			}
			l := &a.Lead
			keys := contactKeys(l)
			// A duplicate of a database lead met earlier in this batch?
			if id, ok := firstKnown(dbContact, keys); ok {
				merge(updated[id], l, claimed(tx, byContact, dbContact, id))
				out[i] = ArrivalResult{ID: id, Owner: updated[id].Owner, Duplicate: true}
				if err := qualify(updated[id], l, &out[i]); err != nil {
					return err
				}
				remember(seenNow, fps[i], id)
				continue
			}
			// A duplicate of a lead new in this batch?
			if j, ok := firstIn(byContact, keys); ok {
				merge(fresh[j], l, func(k []byte) bool {
					if jj, ok := byContact[string(k)]; ok && jj != j {
						return true
					}
					_, inDB := dbContact[string(k)]
					return inDB || tx.Bucket(bucketContacts).Get(k) != nil
				})
				for _, k := range keys { // the merged contacts find it too
					if _, known := byContact[string(k)]; !known {
						byContact[string(k)] = j
					}
				}
				out[i] = ArrivalResult{ID: fresh[j].ID, Owner: fresh[j].Owner, Duplicate: true}
				if err := qualify(fresh[j], l, &out[i]); err != nil {
					return err
				}
				remember(seenNow, fps[i], fresh[j].ID)
				continue
			}
			// Of a lead already in the database?
			if id := findContact(tx, l.Email, l.Phone); id != 0 {
				u, ok := updated[id]
				for _, k := range keys { // later rows with these contacts are this lead too
					if _, known := dbContact[string(k)]; !known {
						dbContact[string(k)] = id
					}
				}
				if !ok {
					old, err := getLead(tx, id)
					if err != nil {
						return err
					}
					if err := im.keepLead(tx, undo, id); err != nil {
						return err
					}
					olds[id] = old
					c := old.Clone()
					u = &c
					updated[id] = u
				}
				merge(u, l, claimed(tx, byContact, dbContact, id))
				out[i] = ArrivalResult{ID: id, Owner: u.Owner, Duplicate: true}
				if err := qualify(u, l, &out[i]); err != nil {
					return err
				}
				remember(seenNow, fps[i], id)
				continue
			}
			name := !l.Qualifies(o.MinInteractions)
			if name {
				l.Status, l.Owner, l.AssignedAt = cadence.StatusName, "", time.Time{}
			} else if err := own(l); err != nil {
				return err
			}
			seq, err := tx.Bucket(bucketLeads).NextSequence()
			if err != nil {
				return err
			}
			l.ID = cadence.LeadID(seq)
			for _, k := range keys {
				byContact[string(k)] = len(fresh)
			}
			fresh = append(fresh, l)
			out[i] = ArrivalResult{ID: l.ID, Owner: l.Owner, New: true, Name: name}
			remember(seenNow, fps[i], l.ID)
		}
		if lastAssigned != "" {
			if err := tx.Bucket(bucketMeta).Put(keyLastAssigned, []byte(lastAssigned)); err != nil {
				return err
			}
		}
		if err := im.keepSeen(undo, seenNow); err != nil {
			return err
		}
		return writeArrivals(tx, fresh, updated, olds, seenNow)
	})
	if err != nil {
		return nil, fmt.Errorf("enter arriving leads: %w", err)
	}
	return out, nil
}

// writeArrivals writes what Arrive decided: new leads in id order, their
// queue and contact keys sorted, the updated leads, the fingerprints.
func writeArrivals(tx *bolt.Tx, fresh []*cadence.Lead, updated map[cadence.LeadID]*cadence.Lead,
	olds map[cadence.LeadID]cadence.Lead, seen map[string]cadence.LeadID) error {
	leads, queue, contacts, seenB := tx.Bucket(bucketLeads), tx.Bucket(bucketQueue), tx.Bucket(bucketContacts), tx.Bucket(bucketSeen)
	var queueKeys, contactKeysSorted [][]byte
	contactOf := map[string]cadence.LeadID{}
	for _, l := range fresh {
		if err := leads.Put(u64key(uint64(l.ID)), encodeLead(nil, l)); err != nil {
			return err
		}
		if l.IsOpen() {
			queueKeys = append(queueKeys, queueKey(l))
		}
		for _, k := range contactKeys(l) {
			if _, ok := contactOf[string(k)]; !ok {
				contactOf[string(k)] = l.ID
				contactKeysSorted = append(contactKeysSorted, k)
			}
		}
	}
	slices.SortFunc(queueKeys, bytes.Compare)
	for _, k := range queueKeys {
		if err := queue.Put(k, nil); err != nil {
			return err
		}
	}
	slices.SortFunc(contactKeysSorted, bytes.Compare)
	for _, k := range contactKeysSorted {
		if contacts.Get(k) == nil {
			if err := contacts.Put(k, u64key(uint64(contactOf[string(k)]))); err != nil {
				return err
			}
		}
	}
	for id, u := range updated {
		old := olds[id]
		if err := putLead(tx, &old, u); err != nil {
			return err
		}
	}
	fps := make([]string, 0, len(seen))
	for fp := range seen {
		fps = append(fps, fp)
	}
	slices.Sort(fps)
	for _, fp := range fps {
		if err := seenB.Put([]byte(fp), u64key(uint64(seen[fp]))); err != nil {
			return err
		}
	}
	return nil
}

// firstIn returns the batch index of the first key known.
func firstIn(byContact map[string]int, keys [][]byte) (int, bool) {
	for _, k := range keys {
		if j, ok := byContact[string(k)]; ok {
			return j, true
		}
	}
	return 0, false
}

// merge counts an arrival as one more interaction of lead u, and gives u
// the arrival's email or phone where u has none, unless another lead
// already holds it (taken reports that).
func merge(u, l *cadence.Lead, taken func(key []byte) bool) {
	u.Interactions += max(l.Interactions, 1)
	u.ContactMe = u.ContactMe || l.ContactMe
	if u.Email == "" && l.Email != "" && !taken(emailKey(l.Email)) {
		u.Email = l.Email
	}
	if u.Phone == "" && l.Phone != "" && !taken(phoneKey(l.Phone)) {
		u.Phone = l.Phone
	}
}

// claimed returns a check of whether a contact belongs to a lead other
// than self: in the database, or to a lead of this batch.
func claimed(tx *bolt.Tx, byContact map[string]int, dbContact map[string]cadence.LeadID, self cadence.LeadID) func([]byte) bool {
	return func(k []byte) bool {
		if id, ok := dbContact[string(k)]; ok && id != self {
			return true
		}
		if _, ok := byContact[string(k)]; ok {
			return true
		}
		if v := tx.Bucket(bucketContacts).Get(k); v != nil && cadence.LeadID(btou(v)) != self {
			return true
		}
		return false
	}
}

// firstKnown returns the database lead of the first key known.
func firstKnown(m map[string]cadence.LeadID, keys [][]byte) (cadence.LeadID, bool) {
	for _, k := range keys {
		if id, ok := m[string(k)]; ok {
			return id, true
		}
	}
	return 0, false
}

func remember(seen map[string]cadence.LeadID, fp []byte, id cadence.LeadID) {
	if fp != nil {
		seen[string(fp)] = id
	}
}

// Seen reports whether a record with this fingerprint (Fingerprint) was
// entered before: Arrive would change nothing for it.
func (s *Store) Seen(fingerprint []byte) (bool, error) {
	seen := false
	err := s.view(func(tx *bolt.Tx) error {
		seen = tx.Bucket(bucketSeen).Get(fingerprint) != nil
		return nil
	})
	return seen, err
}
