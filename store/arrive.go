package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// arrivalPlan is what a batch of arrivals changes, decided before any of
// it is written: Arrive decides and writes in one transaction; an import
// decides a slice in a read transaction while the slice before it is
// written.
type arrivalPlan struct {
	results []ArrivalResult
	// fresh are the new leads and names, in id order (their ids follow
	// one another).
	fresh []*cadence.Lead
	// updated are the leads that were there before the batch and have
	// new interactions, as they are to be written; olds are those not
	// created by the import as they were before the batch.
	updated map[cadence.LeadID]*cadence.Lead
	olds    map[cadence.LeadID]cadence.Lead
	// gained are the contacts taken in the batch by leads an import did
	// not create (no import: by every lead).
	gained map[string]cadence.LeadID
	// seen are the records with nowhere else to be found: those of a
	// lead with neither email nor phone, or with no room for more.
	seen map[string]cadence.LeadID
	// lastAssigned is the rep Assign named last in the batch, "" if none.
	lastAssigned string
	// records are the fresh leads' records encoded (within an import).
	records encodedRecords
}

// lead returns the lead of the plan with id, nil if the plan does not
// change it.
func (p *arrivalPlan) lead(id cadence.LeadID) *cadence.Lead {
	if p == nil {
		return nil
	}
	if u := p.updated[id]; u != nil {
		return u
	}
	if len(p.fresh) > 0 {
		if i := int(id) - int(p.fresh[0].ID); i >= 0 && i < len(p.fresh) {
			return p.fresh[i]
		}
	}
	return nil
}

// decideArrivals decides what arrivals change, reading tx: a lead whose
// email or phone is already known (in the database, or earlier in the
// batch) is another interaction of that lead, never a second lead; a
// record seen before changes nothing. Within an import (im not nil) it
// also finds what the import wrote or decided before and tx may not
// show yet.
func decideArrivals(tx *bolt.Tx, arrivals []Arrival, o ArriveOptions, im *Import) (*arrivalPlan, error) {
	p := &arrivalPlan{
		results: make([]ArrivalResult, len(arrivals)),
		updated: map[cadence.LeadID]*cadence.Lead{},
		olds:    map[cadence.LeadID]cadence.Lead{},
		seen:    map[string]cadence.LeadID{},
	}
	out, fresh, updated, seenNow := p.results, p.fresh, p.updated, p.seen
	seenB, reps := im.seenBucket(tx), tx.Bucket(bucketReps)
	isRep := map[string]bool{} // the reps found in the bucket
	// own gives a lead that is new or qualifies now its owner.
	own := func(l *cadence.Lead) error {
		if l.Owner == "" && o.Assign != nil {
			l.Owner = o.Assign()
			p.lastAssigned = l.Owner
		}
		if !isRep[l.Owner] {
			if l.Owner == "" || reps.Get([]byte(l.Owner)) == nil {
				return fmt.Errorf("lead %q: owner %q: rep %w", l.Name, l.Owner, ErrNotFound)
			}
			isRep[l.Owner] = true
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
	// The contacts the batch's leads take are filed at once: those of
	// leads an import creates in its own index, the others in filed
	// until they are written (the next slice of an import finds them
	// in the slice being written).
	var filed map[string]cadence.LeadID
	if im == nil {
		filed = make(map[string]cadence.LeadID, 2*len(arrivals))
	} else {
		filed = map[string]cadence.LeadID{}
	}
	p.gained = filed
	file := func(k []byte, id cadence.LeadID) {
		if im.created(id) {
			im.idx.contacts.add(k, id)
		} else {
			filed[string(k)] = id
		}
	}
	// holder returns the lead a contact key belongs to (0: none); j
	// is its index in fresh when it is new in this batch, else -1.
	holder := func(k []byte) (j int, id cadence.LeadID) {
		if id = filed[string(k)]; id == 0 {
			id = im.findContact(tx, k)
		}
		if len(fresh) > 0 && id >= fresh[0].ID { // ids of new leads follow one another
			return int(id - fresh[0].ID), id
		}
		return -1, id
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
		if l := im.writing(id); l != nil {
			return l, nil // not to be changed: it is being written
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
					return nil, err
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
			} else if u == nil { // first changed in this batch
				old, err := lead(-1, id)
				if err != nil {
					return nil, err
				}
				if !im.created(id) {
					p.olds[id] = *old // to unindex it by
				}
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
					file(k, id)
				}
			}
			out[i] = ArrivalResult{ID: id, Owner: u.Owner, Duplicate: true, OtherEmail: l.Email != "" && u.Email != l.Email}
			if err := qualify(u, l, &out[i]); err != nil {
				return nil, err
			}
			continue
		}
		name := !l.Qualifies(o.MinInteractions)
		if name {
			l.Status, l.Owner, l.AssignedAt = cadence.StatusName, "", time.Time{}
		} else if err := own(l); err != nil {
			return nil, err
		}
		seq, err := im.nextID(tx)
		if err != nil {
			return nil, err
		}
		l.ID = cadence.LeadID(seq)
		for _, k := range keys { // no one holds them: else it would be another interaction
			file(k, l.ID)
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
	p.fresh = fresh
	return p, nil
}
