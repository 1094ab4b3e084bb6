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
	return s.arrive(arrivals, o, nil)
}

// arrive is Arrive; within an import it first keeps what the import
// changes in the import's undo bucket, so that it can be taken back.
func (s *Store) arrive(arrivals []Arrival, o ArriveOptions, im *Import) ([]ArrivalResult, error) {
	out := make([]ArrivalResult, len(arrivals))
	seenNow := map[string]cadence.LeadID{}        // records of this batch → their lead
	updated := map[cadence.LeadID]*cadence.Lead{} // existing leads with new interactions
	var fresh []*cadence.Lead                     // new leads and names
	var staging <-chan error                      // the import's staging of this slice, when started
	err := s.update(func(tx *bolt.Tx) error {
		seenB, reps := im.seenBucket(tx), tx.Bucket(bucketReps)
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
		byContact := make(map[string]int, 2*len(arrivals)) // contact key → index of the new lead in this batch
		dbContact := map[string]cadence.LeadID{}           // contact key → database lead updated in this batch
		olds := map[cadence.LeadID]cadence.Lead{}
		// holder returns the lead a contact key belongs to (0: none); j
		// is its index in fresh when it is new in this batch, else -1.
		holder := func(k []byte) (j int, id cadence.LeadID) {
			if id, ok := dbContact[string(k)]; ok {
				return -1, id
			}
			if j, ok := byContact[string(k)]; ok {
				return j, fresh[j].ID
			}
			return -1, im.findContact(tx, k)
		}
		// lead returns a holder as this batch has it, reading a lead of
		// the database once a batch.
		read := map[cadence.LeadID]*cadence.Lead{}
		lead := func(j int, id cadence.LeadID) (*cadence.Lead, error) {
			switch {
			case j >= 0:
				return fresh[j], nil
			case updated[id] != nil:
				return updated[id], nil
			case read[id] != nil:
				return read[id], nil
			}
			l, err := getLead(tx, id)
			if err != nil {
				return nil, err
			}
			read[id] = &l
			return &l, nil
		}
		var arrivalKeys contactKeyBuf
		for i := range arrivals {
			a := &arrivals[i]
			l := &a.Lead
			keys := arrivalKeys.of(l) // until the next arrival
			fp, hasFP := fingerprintOf(a.Fingerprint)
			// A record an older import kept in the seen table?
			if hasFP && seenB != nil {
				if v := seenB.Get(a.Fingerprint); v != nil {
					out[i] = ArrivalResult{ID: cadence.LeadID(btou(v)), Seen: true}
					continue
				}
			}
			// Another interaction of a lead known by one of its contacts
			// (the first that is known decides)? A lead new in this batch,
			// or one already in the database. The same record again is
			// found on the lead that holds one of its contacts (a lead
			// never loses a contact to an import), or in the seen table.
			j, id := -1, cadence.LeadID(0)
			seen := cadence.LeadID(0)
			for _, k := range keys {
				kj, kid := holder(k)
				if kid == 0 {
					continue
				}
				if id == 0 {
					j, id = kj, kid
				}
				if hasFP && seen == 0 {
					h, err := lead(kj, kid)
					if err != nil {
						return err
					}
					if h.HasRecord(fp) {
						seen = kid
					}
				}
			}
			if hasFP && seen == 0 {
				if sid, ok := seenNow[string(a.Fingerprint)]; ok {
					seen = sid
				} else if sid, ok := im.seenBefore(a.Fingerprint); ok {
					seen = sid
				}
			}
			if seen != 0 {
				out[i] = ArrivalResult{ID: seen, Seen: true}
				continue
			}
			if id != 0 {
				u := updated[id]
				if j >= 0 {
					u = fresh[j]
				} else if u == nil { // first changed in this batch: keep it as it was
					old, err := lead(-1, id)
					if err != nil {
						return err
					}
					if err := im.keepLead(tx, undo, id); err != nil {
						return err
					}
					olds[id] = *old
					c := old.Clone()
					u = &c
					updated[id] = u
				}
				merge(u, l, func(k []byte) bool {
					_, other := holder(k)
					return other != 0 && other != id
				})
				if hasFP {
					if len(u.Records) < maxRecords {
						u.Records = append(u.Records, fp)
					} else {
						seenNow[string(a.Fingerprint)] = id
					}
				}
				for _, k := range contactKeys(u) { // later rows with a contact it took are this lead too
					if _, other := holder(k); other == 0 {
						if j >= 0 {
							byContact[string(k)] = j
						} else {
							dbContact[string(k)] = id
						}
					}
				}
				out[i] = ArrivalResult{ID: id, Owner: u.Owner, Duplicate: true}
				if err := qualify(u, l, &out[i]); err != nil {
					return err
				}
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
			if hasFP {
				if len(keys) > 0 {
					l.Records = append(l.Records[:0:0], fp)
				} else { // nothing would find it on the lead
					seenNow[string(a.Fingerprint)] = l.ID
				}
			}
			fresh = append(fresh, l)
			out[i] = ArrivalResult{ID: l.ID, Owner: l.Owner, New: true, Name: name}
		}
		if lastAssigned != "" {
			if err := tx.Bucket(bucketMeta).Put(keyLastAssigned, []byte(lastAssigned)); err != nil {
				return err
			}
		}
		if err := im.keepSeen(undo, seenNow); err != nil {
			return err
		}
		if im != nil {
			var err error
			staging, err = im.write(tx, fresh, updated, olds, seenNow)
			return err
		}
		return writeArrivals(tx, fresh, updated, olds, seenNow)
	})
	if staging != nil {
		err = im.settle(err, staging)
	}
	if err != nil {
		return nil, fmt.Errorf("enter arriving leads: %w", err)
	}
	return out, nil
}

// writeArrivals writes what Arrive decided: new leads in id order, their
// queue keys sorted, their contacts into their pages, the updated leads,
// the records with nowhere else to go.
func writeArrivals(tx *bolt.Tx, fresh []*cadence.Lead, updated map[cadence.LeadID]*cadence.Lead,
	olds map[cadence.LeadID]cadence.Lead, seen map[string]cadence.LeadID) error {
	leads, queue, contacts, seenB := tx.Bucket(bucketLeads), tx.Bucket(bucketQueue), tx.Bucket(bucketContacts), tx.Bucket(bucketSeen)
	var queueKeys [][]byte
	for _, l := range fresh {
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
