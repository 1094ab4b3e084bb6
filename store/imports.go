package store

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"maps"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// The seen bucket (schema 3) remembers imported rows by a fingerprint, so
// importing the same file again changes nothing:
//
//	seen/
//	    sha256(row) → lead id(8)
//
// Since schema 6 a row with an email or a phone is remembered on the lead
// it made or joined (Lead.Records, found through its contacts), and only a
// row with neither goes here; older imports' rows stay here.
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
	// OtherEmail: a duplicate whose email is not its lead's (found by its
	// phone, a line the two may share); the lead keeps its own email.
	OtherEmail bool
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
// It decides everything first (reads), then writes: new leads in id
// order, their queue keys sorted, each contact into its page.
func (s *Store) Arrive(arrivals []Arrival, o ArriveOptions) ([]ArrivalResult, error) {
	var p *arrivalPlan
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		if p, err = decideArrivals(tx, arrivals, o, nil); err != nil {
			return err
		}
		return writeArrivals(tx, p)
	})
	if err != nil {
		return nil, fmt.Errorf("enter arriving leads: %w", err)
	}
	return p.results, nil
}

// writeArrivals writes what Arrive decided: new leads in id order, their
// queue keys sorted, their contacts into their pages, the updated leads,
// the records with nowhere else to go, the rep named last.
func writeArrivals(tx *bolt.Tx, p *arrivalPlan) error {
	leads, queue, contacts, seenB := tx.Bucket(bucketLeads), tx.Bucket(bucketQueue), tx.Bucket(bucketContacts), tx.Bucket(bucketSeen)
	var queueKeys [][]byte
	for _, l := range p.fresh {
		if err := leads.Put(u64key(uint64(l.ID)), encodeLead(nil, l)); err != nil {
			return err
		}
		if l.IsOpen() {
			queueKeys = append(queueKeys, queueKey(l))
		}
		for _, k := range contactKeys(l) {
			if err := putContact(contacts, k, l.ID); err != nil {
				return err
			}
		}
	}
	slices.SortFunc(queueKeys, bytes.Compare)
	for _, k := range queueKeys {
		if err := queue.Put(k, nil); err != nil {
			return err
		}
	}
	if err := putUpdated(tx, slices.Sorted(maps.Keys(p.olds)), p.updated, p.olds); err != nil {
		return err
	}
	fps := make([]string, 0, len(p.seen))
	for fp := range p.seen {
		fps = append(fps, fp)
	}
	slices.Sort(fps)
	for _, fp := range fps {
		if err := seenB.Put([]byte(fp), u64key(uint64(p.seen[fp]))); err != nil {
			return err
		}
	}
	return putLastAssigned(tx, p.lastAssigned)
}

// putUpdated writes the leads ids, which were there before the batch,
// as updated has them, keeping the indexes in step from how olds has them.
func putUpdated(tx *bolt.Tx, ids []cadence.LeadID, updated map[cadence.LeadID]*cadence.Lead, olds map[cadence.LeadID]cadence.Lead) error {
	for _, id := range ids {
		old := olds[id]
		if err := putLead(tx, &old, updated[id]); err != nil {
			return err
		}
	}
	return nil
}

// putLastAssigned remembers the rep an Assign named last ("": none named).
func putLastAssigned(tx *bolt.Tx, name string) error {
	if name == "" {
		return nil
	}
	return tx.Bucket(bucketMeta).Put(keyLastAssigned, []byte(name))
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

// Seen reports whether Arrive would find a's record entered before, and
// change nothing for it.
func (s *Store) Seen(a Arrival) (bool, error) {
	fp, ok := fingerprintOf(a.Fingerprint)
	if !ok {
		return false, nil
	}
	seen := false
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketSeen).Get(a.Fingerprint) != nil {
			seen = true
			return nil
		}
		for _, k := range contactKeys(&a.Lead) {
			if id := lookupContact(tx.Bucket(bucketContacts), k); id != 0 {
				l, err := getLead(tx, id)
				if err != nil {
					return err
				}
				if seen = l.HasRecord(fp); seen {
					return nil
				}
			}
		}
		return nil
	})
	return seen, err
}

// maxRecords is how many record fingerprints a lead keeps; the records of
// a person met more often than that go to the seen table, so no lead's
// record grows without bound.
const maxRecords = 64

// fingerprintOf is the part of a record's fingerprint a lead keeps.
func fingerprintOf(fp []byte) (cadence.Fingerprint, bool) {
	if len(fp) < len(cadence.Fingerprint{}) {
		return cadence.Fingerprint{}, false
	}
	return cadence.Fingerprint(fp), true
}
