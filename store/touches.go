package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// LogTouch appends a touch to a lead's log and applies it with the policy,
// all in one durable transaction: the touch, the lead's new state and its
// new place in the queue index are written together or not at all.
//
// The touch is linked to the lead's touch before it by its chain hash
// (chain.go). A touch that supersedes another is a correction: the lead's state is
// replayed from its whole log without the superseded touch.
func (s *Store) LogTouch(p cadence.Policy, t cadence.Touch) (cadence.Lead, cadence.Touch, error) {
	var l cadence.Lead
	err := s.update(func(tx *bolt.Tx) error {
		old, err := getLead(tx, t.LeadID)
		if err != nil {
			return err
		}
		b := tx.Bucket(bucketTouches)
		if t.Supersedes != 0 {
			touches, err := leadTouches(tx, t.LeadID)
			if err != nil {
				return err
			}
			if !hasTouch(touches, t.Supersedes) {
				return fmt.Errorf("touch %d is not a touch of lead %d: %w", t.Supersedes, t.LeadID, ErrNotFound)
			}
			for _, other := range touches {
				if other.Supersedes == t.Supersedes {
					return fmt.Errorf("touch %d was already corrected by touch %d; to change it again, correct touch %d", t.Supersedes, other.ID, other.ID)
				}
			}
			seq, err := b.NextSequence()
			if err != nil {
				return err
			}
			t.ID = cadence.TouchID(seq)
			if l, err = p.Replay(old, append(touches, t)); err != nil {
				return fmt.Errorf("with this correction the lead's history no longer holds (%w); correct a later touch instead", err)
			}
		} else {
			if l, err = p.Apply(old, t); err != nil {
				return err
			}
			seq, err := b.NextSequence()
			if err != nil {
				return err
			}
			t.ID = cadence.TouchID(seq)
		}
		prev := prevHash(b, uint64(t.LeadID))
		if err := b.Put(childKey(uint64(t.LeadID), uint64(t.ID)), encodeTouch(nil, &t, prev)); err != nil {
			return fmt.Errorf("write touch: %w", err)
		}
		return putLead(tx, &old, &l)
	})
	if err != nil {
		return l, t, fmt.Errorf("log %s on lead %d: %w", t.Outcome, t.LeadID, err)
	}
	return l, t, nil
}

func hasTouch(ts []cadence.Touch, id cadence.TouchID) bool {
	for _, t := range ts {
		if t.ID == id {
			return true
		}
	}
	return false
}

// Touches returns a lead's touches in the order they were logged.
func (s *Store) Touches(lead cadence.LeadID) ([]cadence.Touch, error) {
	var out []cadence.Touch
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = leadTouches(tx, lead)
		return err
	})
	return out, err
}

func leadTouches(tx *bolt.Tx, lead cadence.LeadID) ([]cadence.Touch, error) {
	var out []cadence.Touch
	err := forEachChild(tx.Bucket(bucketTouches), uint64(lead), func(child uint64, v []byte) error {
		t, err := decodeTouch(lead, cadence.TouchID(child), v)
		out = append(out, t)
		return err
	})
	return out, err
}

// forEachChild walks the records of one parent in a parent/child bucket.
func forEachChild(b *bolt.Bucket, parent uint64, fn func(child uint64, v []byte) error) error {
	prefix := u64key(parent)
	c := b.Cursor()
	for k, v := c.Seek(prefix); len(k) == 16 && btou(k) == parent; k, v = c.Next() {
		_, child := splitChildKey(k)
		if err := fn(child, v); err != nil {
			return err
		}
	}
	return nil
}

// ForEachTouch calls fn with every touch, lead by lead, each lead's in the
// order logged. fn runs inside a read transaction: it must not call back
// into the store.
func (s *Store) ForEachTouch(fn func(cadence.Touch) error) error {
	return s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTouches).ForEach(func(k, v []byte) error {
			lead, id := splitChildKey(k)
			t, err := decodeTouch(cadence.LeadID(lead), cadence.TouchID(id), v)
			if err != nil {
				return err
			}
			return fn(t)
		})
	})
}

// RepActivity is what a rep did in a period: touches logged, and the
// latest one's time.
type RepActivity struct {
	Touches int
	Last    time.Time
}

// Activity counts each rep's touches at or after since, and the time of
// each rep's latest touch ever (zero when none). It reads the touch log
// field by field, without decoding whole records.
func (s *Store) Activity(since time.Time) (map[string]RepActivity, error) {
	out := map[string]RepActivity{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTouches).ForEach(func(k, v []byte) error {
			var rep string
			var at time.Time
			err := decode(v, func(f field) {
				switch f.num {
				case fTouchAt:
					at = f.time()
				case fTouchRep:
					rep = f.string()
				}
			})
			if err != nil {
				lead, id := splitChildKey(k)
				return fmt.Errorf("touch %d of lead %d: %w", id, lead, err)
			}
			a := out[rep]
			if !at.Before(since) {
				a.Touches++
			}
			if at.After(a.Last) {
				a.Last = at
			}
			out[rep] = a
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read the touch log: %w", err)
	}
	return out, nil
}
