package store

import (
	"fmt"

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
