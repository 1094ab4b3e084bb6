package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the database to path while it stays in
// use (a read transaction's snapshot). The copy is written beside path and
// renamed into place only when complete and synced, so a failed backup
// never leaves a half-written file under that name. It returns the size.
func (s *Store) Backup(path string) (int64, error) {
	// Renaming the copy over the open database would leave this store
	// writing to a file no longer under that name: every later write lost.
	if fi, err := os.Stat(path); err == nil {
		if self, err := os.Stat(s.path); err == nil && os.SameFile(fi, self) {
			return 0, fmt.Errorf("back up to %s: that is the database itself; back up to another file", path)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("back up to %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	var n int64
	err = s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(tmp)
		return err
	})
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return 0, fmt.Errorf("back up to %s: %w", path, err)
	}
	return n, nil
}

// WriteTo writes a consistent copy of the database to w while it stays in
// use (a read transaction's snapshot), e.g. to an admin's SSH session. It
// returns the bytes written. Writers are not blocked, but while the copy
// runs the file cannot grow its memory map, so a write that needs more
// room waits for the copy to end.
func (s *Store) WriteTo(w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("copy %s: %w", s.path, err)
	}
	return n, nil
}
