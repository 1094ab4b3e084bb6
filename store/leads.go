package store

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// AddLead stores a new lead, gives it the next id and puts it in its
// owner's queue, all in one transaction. It returns the stored lead.
func (s *Store) AddLead(l cadence.Lead) (cadence.Lead, error) {
	err := s.update(func(tx *bolt.Tx) error {
		if l.Owner != "" && tx.Bucket(bucketReps).Get([]byte(l.Owner)) == nil {
			return fmt.Errorf("owner %q: rep %w; add them with followup reps add %s --role rep", l.Owner, ErrNotFound, l.Owner)
		}
		seq, err := tx.Bucket(bucketLeads).NextSequence()
		if err != nil {
			return err
		}
		l.ID = cadence.LeadID(seq)
		return putLead(tx, nil, &l)
	})
	if err != nil {
		return l, fmt.Errorf("add lead %q: %w", l.Name, err)
	}
	return l, nil
}

// Lead returns the lead with the given id, or ErrNotFound.
func (s *Store) Lead(id cadence.LeadID) (cadence.Lead, error) {
	var l cadence.Lead
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		l, err = getLead(tx, id)
		return err
	})
	return l, err
}

// Queue returns up to limit open leads of owner in queue order, read from
// the queue index: only the leads returned are loaded. limit ≤ 0 means all.
func (s *Store) Queue(owner string, limit int) ([]cadence.Lead, error) {
	return s.QueueAfter(owner, nil, limit)
}

// QueueAfter is Queue starting after the given key (nil: from the top), for
// paging through a long queue.
func (s *Store) QueueAfter(owner string, after *cadence.QueueKey, limit int) ([]cadence.Lead, error) {
	var out []cadence.Lead
	err := s.view(func(tx *bolt.Tx) error {
		prefix := ownerPrefix(owner)
		c := tx.Bucket(bucketQueue).Cursor()
		var k []byte
		if after == nil {
			k, _ = c.Seek(prefix)
		} else {
			from := appendQueueKey(nil, owner, *after)
			k, _ = c.Seek(from)
			if bytes.Equal(k, from) {
				k, _ = c.Next()
			}
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			_, qk, ok := parseQueueKey(k)
			if !ok {
				return fmt.Errorf("queue index: malformed key %x; run followup check", k)
			}
			l, err := getLead(tx, qk.ID)
			if err != nil {
				return fmt.Errorf("queue index of %s: %w; run followup check", owner, err)
			}
			out = append(out, l)
			if limit > 0 && len(out) >= limit {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the queue of %s: %w", owner, err)
	}
	return out, nil
}

// QueueLen counts owner's open leads by walking the index (keys only).
func (s *Store) QueueLen(owner string) (int, error) { return s.countQueue(ownerPrefix(owner)) }

// ForEachLead calls fn with every lead in id order. fn runs inside a read
// transaction: it must not call back into the store.
func (s *Store) ForEachLead(fn func(cadence.Lead) error) error {
	return s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLeads).ForEach(func(k, v []byte) error {
			l, err := decodeLead(cadence.LeadID(btou(k)), v)
			if err != nil {
				return err
			}
			return fn(l)
		})
	})
}

func getLead(tx *bolt.Tx, id cadence.LeadID) (cadence.Lead, error) {
	v := tx.Bucket(bucketLeads).Get(u64key(uint64(id)))
	if v == nil {
		return cadence.Lead{}, fmt.Errorf("lead %d: %w", id, ErrNotFound)
	}
	return decodeLead(id, v)
}

// putLead writes l and keeps the queue index in step with it: the old
// entry (if old was open) goes, the new one (if l is open) comes.
func putLead(tx *bolt.Tx, old, l *cadence.Lead) error {
	if old != nil {
		if err := unindexContacts(tx, old, l); err != nil {
			return err
		}
	}
	if err := indexContacts(tx, l); err != nil {
		return err
	}
	q := tx.Bucket(bucketQueue)
	if old != nil && old.IsOpen() {
		if err := q.Delete(queueKey(old)); err != nil {
			return fmt.Errorf("unindex lead %d: %w", old.ID, err)
		}
	}
	if l.IsOpen() {
		if err := q.Put(queueKey(l), nil); err != nil {
			return fmt.Errorf("index lead %d: %w", l.ID, err)
		}
	}
	if err := tx.Bucket(bucketLeads).Put(u64key(uint64(l.ID)), encodeLead(nil, l)); err != nil {
		return fmt.Errorf("write lead %d: %w", l.ID, err)
	}
	return nil
}

// UpdateLead changes a lead's contact data or owner through fn, keeping
// the index in step, in one transaction. fn must not change follow-up
// state: that changes only through LogTouch.
func (s *Store) UpdateLead(id cadence.LeadID, fn func(*cadence.Lead) error) (cadence.Lead, error) {
	var l cadence.Lead
	err := s.update(func(tx *bolt.Tx) error {
		old, err := getLead(tx, id)
		if err != nil {
			return err
		}
		l = old.Clone()
		if err := fn(&l); err != nil {
			return err
		}
		l.ID = id
		if l.Owner != old.Owner && tx.Bucket(bucketReps).Get([]byte(l.Owner)) == nil {
			return fmt.Errorf("owner %q: rep %w", l.Owner, ErrNotFound)
		}
		return putLead(tx, &old, &l)
	})
	if err != nil {
		return l, fmt.Errorf("update lead %d: %w", id, err)
	}
	return l, nil
}

// IsNotFound reports whether err says something does not exist.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// QueueKeys returns the place of every open lead of owner, in queue order,
// read from the index keys alone (no lead is loaded): a 200,000-lead queue
// is a few megabytes, and lets a screen show any page of it.
func (s *Store) QueueKeys(owner string) ([]cadence.QueueKey, error) {
	var out []cadence.QueueKey
	err := s.view(func(tx *bolt.Tx) error {
		prefix := ownerPrefix(owner)
		c := tx.Bucket(bucketQueue).Cursor()
		out = make([]cadence.QueueKey, 0, 64)
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			qk, ok := parseQueueKeyRest(k[len(prefix):])
			if !ok {
				return fmt.Errorf("queue index: malformed key %x; run followup check", k)
			}
			out = append(out, qk)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the queue of %s: %w", owner, err)
	}
	return out, nil
}

// Leads returns the leads with the given ids, in that order; an id that
// does not exist is an error.
func (s *Store) Leads(ids []cadence.LeadID) ([]cadence.Lead, error) {
	out := make([]cadence.Lead, 0, len(ids))
	err := s.view(func(tx *bolt.Tx) error {
		for _, id := range ids {
			l, err := getLead(tx, id)
			if err != nil {
				return err
			}
			out = append(out, l)
		}
		return nil
	})
	return out, err
}

// SearchQueue returns the open leads of owner whose name, company or email
// holds query (case-insensitive), or whose phone holds its digits (three or
// more), in queue order. It reads every lead of the queue: run it when the
// rep asks, not per keystroke.
func (s *Store) SearchQueue(owner, query string) ([]cadence.LeadID, error) {
	q := []byte(strings.ToLower(strings.TrimSpace(query)))
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, string(q))
	phone := []byte(digits)
	var out []cadence.LeadID
	err := s.view(func(tx *bolt.Tx) error {
		prefix := ownerPrefix(owner)
		leads := tx.Bucket(bucketLeads)
		c := tx.Bucket(bucketQueue).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			qk, ok := parseQueueKeyRest(k[len(prefix):])
			if !ok {
				return fmt.Errorf("queue index: malformed key %x; run followup check", k)
			}
			// Match on the record's bytes, field by field: decoding every
			// lead would allocate all its strings.
			found := false
			err := decode(leads.Get(u64key(uint64(qk.ID))), func(f field) {
				switch f.num {
				case fLeadName, fLeadCompany, fLeadEmail:
					found = found || containsFold(f.bytes, q)
				case fLeadPhone:
					found = found || len(phone) >= 3 && bytes.Contains(f.bytes, phone)
				}
			})
			if err != nil {
				return fmt.Errorf("lead %d: %w", qk.ID, err)
			}
			if found {
				out = append(out, qk.ID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search the queue of %s: %w", owner, err)
	}
	return out, nil
}

// containsFold reports whether s holds sub (lower case), ignoring case.
func containsFold(s, sub []byte) bool {
	if len(sub) == 0 {
		return true
	}
	first := sub[0]
	for i := 0; i+len(sub) <= len(s); i++ {
		if c := s[i]; c != first && c|0x20 != first {
			continue
		}
		if bytes.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// FirstContact is when a lead was received and first contacted.
type FirstContact struct {
	Owner          string
	ReceivedAt     time.Time
	FirstContactAt time.Time
}

// FirstContactsSince lists the leads first contacted at or after since,
// reading the lead records field by field.
func (s *Store) FirstContactsSince(since time.Time) ([]FirstContact, error) {
	var out []FirstContact
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLeads).ForEach(func(k, v []byte) error {
			var fc FirstContact
			var owner []byte
			err := decode(v, func(f field) {
				switch f.num {
				case fLeadOwner:
					owner = f.bytes
				case fLeadReceived:
					fc.ReceivedAt = f.time()
				case fLeadFirstContact:
					fc.FirstContactAt = f.time()
				}
			})
			if err != nil {
				return fmt.Errorf("lead %d: %w", btou(k), err)
			}
			if !fc.FirstContactAt.IsZero() && !fc.FirstContactAt.Before(since) {
				fc.Owner = string(owner)
				out = append(out, fc)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read first contacts: %w", err)
	}
	return out, nil
}

// UntouchedLen counts owner's untouched leads: the head of their queue in
// the index (keys only).
func (s *Store) UntouchedLen(owner string) (int, error) {
	return s.countQueue(append(ownerPrefix(owner), 0)) // touched = 0
}

// countQueue counts the queue index keys with the prefix.
func (s *Store) countQueue(prefix []byte) (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketQueue).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			n++
		}
		return nil
	})
	return n, err
}
