package store

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// AddRep registers a new team member; a name already taken is ErrExists.
func (s *Store) AddRep(r cadence.Rep) error {
	if err := cadence.ValidateRepName(r.Name); err != nil {
		return err
	}
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReps)
		if b.Get([]byte(r.Name)) != nil {
			return fmt.Errorf("rep %s %w", r.Name, ErrExists)
		}
		return b.Put([]byte(r.Name), encodeRep(&r))
	})
	if err != nil {
		return fmt.Errorf("add rep %s: %w", r.Name, err)
	}
	return nil
}

// PutRep writes a rep, replacing what was there.
func (s *Store) PutRep(r cadence.Rep) error {
	if err := cadence.ValidateRepName(r.Name); err != nil {
		return err
	}
	err := s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReps).Put([]byte(r.Name), encodeRep(&r))
	})
	if err != nil {
		return fmt.Errorf("save rep %s: %w", r.Name, err)
	}
	return nil
}

// Rep returns one team member, or ErrNotFound.
func (s *Store) Rep(name string) (cadence.Rep, error) {
	var r cadence.Rep
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketReps).Get([]byte(name))
		if v == nil {
			return fmt.Errorf("rep %s: %w", name, ErrNotFound)
		}
		var err error
		r, err = decodeRep(name, v)
		return err
	})
	return r, err
}

// Reps returns the team in name order.
func (s *Store) Reps() ([]cadence.Rep, error) {
	var out []cadence.Rep
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReps).ForEach(func(k, v []byte) error {
			r, err := decodeRep(string(k), v)
			out = append(out, r)
			return err
		})
	})
	return out, err
}

// Absence is what SetAway did.
type Absence struct {
	Rep       cadence.Rep
	Paused    int              // touched open leads whose cadence was paused or resumed
	Untouched []cadence.LeadID // untouched leads still waiting in the rep's queue
}

// SetAway takes a rep out of the rotation from from until until and pauses
// the cadence of each of their open leads for that time, so the plan
// resumes with the same spacing, not with every step overdue at once. For
// a rep already away it moves the end of the current absence: until at or
// before its start cancels it, until now ends it now. Each lead's state is
// replayed from its touch log with the policy, in one transaction.
func (s *Store) SetAway(p cadence.Policy, name string, from, until time.Time) (Absence, error) {
	var a Absence
	err := s.update(func(tx *bolt.Tx) error {
		reps := tx.Bucket(bucketReps)
		v := reps.Get([]byte(name))
		if v == nil {
			return fmt.Errorf("rep %s: %w", name, ErrNotFound)
		}
		r, err := decodeRep(name, v)
		if err != nil {
			return err
		}
		start := from
		if r.AwayAt(from) {
			start = r.AwayFrom // already away: change the current absence
		} else if !until.After(from) {
			return fmt.Errorf("%s is not away at %s", name, from.Format(time.RFC3339))
		}
		var ids []cadence.LeadID
		prefix := ownerPrefix(name)
		c := tx.Bucket(bucketQueue).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			qk, ok := parseQueueKeyRest(k[len(prefix):])
			if !ok {
				return fmt.Errorf("queue index: malformed key %x; run followup check", k)
			}
			if !qk.Touched {
				a.Untouched = append(a.Untouched, qk.ID)
				continue
			}
			ids = append(ids, qk.ID)
		}
		for _, id := range ids {
			old, err := getLead(tx, id)
			if err != nil {
				return err
			}
			l := old.Clone()
			l.Pauses = setPause(l.Pauses, start, until)
			touches, err := leadTouches(tx, id)
			if err != nil {
				return err
			}
			if l, err = p.Replay(l, touches); err != nil {
				return err
			}
			if err := putLead(tx, &old, &l); err != nil {
				return err
			}
			a.Paused++
		}
		r.AwayFrom, r.AwayUntil = start, until
		if !until.After(start) {
			r.AwayFrom, r.AwayUntil = time.Time{}, time.Time{}
		}
		a.Rep = r
		return reps.Put([]byte(name), encodeRep(&r))
	})
	if err != nil {
		return a, fmt.Errorf("set %s away: %w", name, err)
	}
	return a, nil
}

// setPause gives pauses a pause from start to until, replacing the one
// that starts at start; until at or before start removes it.
func setPause(pauses []cadence.Pause, start, until time.Time) []cadence.Pause {
	out := pauses[:0:0]
	for _, p := range pauses {
		if !p.From.Equal(start) {
			out = append(out, p)
		}
	}
	if until.After(start) {
		out = append(out, cadence.Pause{From: start, Until: until})
		slices.SortFunc(out, func(a, b cadence.Pause) int { return a.From.Compare(b.From) })
	}
	return out
}
