package store

import (
	bolt "go.etcd.io/bbolt"
)

var keyDemo = []byte("demo")

// MarkDemo records that the database holds demo data, so that `followup
// demo` may later replace it and never replaces a real one.
func (s *Store) MarkDemo() error {
	return s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyDemo, []byte{1}) })
}

// IsDemo reports whether the database holds demo data.
func (s *Store) IsDemo() (bool, error) {
	demo := false
	err := s.view(func(tx *bolt.Tx) error {
		demo = tx.Bucket(bucketMeta).Get(keyDemo) != nil
		return nil
	})
	return demo, err
}
