package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// AddNote appends a note to a lead and clears the writer's draft for it, in
// one transaction.
func (s *Store) AddNote(n cadence.Note) (cadence.Note, error) {
	err := s.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketLeads).Get(u64key(uint64(n.LeadID))) == nil {
			return fmt.Errorf("lead %d: %w", n.LeadID, ErrNotFound)
		}
		err := appendChild(tx.Bucket(bucketNotes), uint64(n.LeadID), func(id uint64) []byte {
			n.ID = cadence.NoteID(id)
			return encodeNote(nil, &n)
		})
		if err != nil {
			return err
		}
		return tx.Bucket(bucketDrafts).Delete(draftKey(n.Rep, n.LeadID))
	})
	if err != nil {
		return n, fmt.Errorf("add a note to lead %d: %w", n.LeadID, err)
	}
	return n, nil
}

// Notes returns a lead's notes, oldest first.
func (s *Store) Notes(lead cadence.LeadID) ([]cadence.Note, error) {
	var out []cadence.Note
	err := s.view(func(tx *bolt.Tx) error {
		return forEachChild(tx.Bucket(bucketNotes), uint64(lead), func(child uint64, v []byte) error {
			n, err := decodeNote(lead, cadence.NoteID(child), v)
			out = append(out, n)
			return err
		})
	})
	return out, err
}

func draftKey(rep string, lead cadence.LeadID) []byte {
	return append(ownerPrefix(rep), u64key(uint64(lead))...)
}

// SaveDraft keeps the text a rep is typing for a lead, so a closed terminal
// or a dropped connection loses nothing. Empty text removes the draft.
func (s *Store) SaveDraft(rep string, lead cadence.LeadID, text string) error {
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDrafts)
		if text == "" {
			return b.Delete(draftKey(rep, lead))
		}
		return b.Put(draftKey(rep, lead), []byte(text))
	})
	if err != nil {
		return fmt.Errorf("save the draft of %s on lead %d: %w", rep, lead, err)
	}
	return nil
}

// Draft returns a rep's unsaved note on a lead, or "".
func (s *Store) Draft(rep string, lead cadence.LeadID) (string, error) {
	var text string
	err := s.view(func(tx *bolt.Tx) error {
		text = string(tx.Bucket(bucketDrafts).Get(draftKey(rep, lead)))
		return nil
	})
	return text, err
}
