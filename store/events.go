package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/followuphq/followup/cadence"
)

// The events bucket (schema 4) keeps what happened to a lead besides its
// touches and notes, for its timeline: hand-offs from one rep to another.
//
//	events/   (sequence: event ids)
//	    lead id(8) event id(8) → event record
var bucketEvents = []byte("events")

// Event is an entry of a lead's timeline that is neither a touch nor a
// note, e.g. "handed from alice to bob by maria".
type Event struct {
	LeadID cadence.LeadID
	At     time.Time
	By     string
	Text   string
}

const (
	fEventAt protowire.Number = iota + 1
	fEventBy
	fEventText
)

// Assign hands a lead to another rep: the owner changes, the queue index
// moves, and the hand-off joins the lead's timeline, in one transaction.
// A name on the nurture list given to a rep is qualified by hand: a lead
// from now (received at at, for its SLA). A lead handed over while its
// owner is away has its pause cut at the hand-off, replayed with p, so the
// new owner works it on its plan.
func (s *Store) Assign(p cadence.Policy, id cadence.LeadID, to, by string, at time.Time) (cadence.Lead, error) {
	var l cadence.Lead
	err := s.update(func(tx *bolt.Tx) error {
		old, err := getLead(tx, id)
		if err != nil {
			return err
		}
		v := tx.Bucket(bucketReps).Get([]byte(to))
		if v == nil {
			return fmt.Errorf("rep %s: %w", to, ErrNotFound)
		}
		if r, err := decodeRep(to, v); err != nil {
			return err
		} else if r.Role != cadence.RoleRep {
			return fmt.Errorf("%s is a %s and owns no leads; give it to a rep", to, r.Role)
		}
		if old.Owner == to {
			return fmt.Errorf("lead %d is already %s's", id, to)
		}
		l = old.Clone()
		l.Owner, l.AssignedAt = to, at
		text := fmt.Sprintf("handed from %s to %s", old.Owner, to)
		if old.IsName() {
			l.Status, l.ReceivedAt = cadence.StatusOpen, at
			text = fmt.Sprintf("qualified by hand and given to %s", to)
		}
		if cut := cutPauses(l.Pauses, at); cut != nil {
			l.Pauses = cut
			touches, err := leadTouches(tx, id)
			if err != nil {
				return err
			}
			if l, err = p.Replay(l, touches); err != nil {
				return err
			}
		}
		if err := putLead(tx, &old, &l); err != nil {
			return err
		}
		e := encoder{}
		e.time(fEventAt, at)
		e.string(fEventBy, by)
		e.string(fEventText, text)
		return appendChild(tx.Bucket(bucketEvents), uint64(id), func(uint64) []byte { return e.b })
	})
	if err != nil {
		return l, fmt.Errorf("assign lead %d to %s: %w", id, to, err)
	}
	return l, nil
}

// Events returns a lead's timeline events, oldest first.
func (s *Store) Events(id cadence.LeadID) ([]Event, error) {
	var out []Event
	err := s.view(func(tx *bolt.Tx) error {
		return forEachChild(tx.Bucket(bucketEvents), uint64(id), func(_ uint64, v []byte) error {
			ev := Event{LeadID: id}
			err := decode(v, func(f field) {
				switch f.num {
				case fEventAt:
					ev.At = f.time()
				case fEventBy:
					ev.By = f.string()
				case fEventText:
					ev.Text = f.string()
				}
			})
			out = append(out, ev)
			return err
		})
	})
	return out, err
}

// cutPauses ends at at a pause that runs past it (the owner's absence, for
// a lead handed to someone on duty); nil when none does.
func cutPauses(pauses []cadence.Pause, at time.Time) []cadence.Pause {
	var out []cadence.Pause
	cut := false
	for _, p := range pauses {
		if p.Until.After(at) {
			cut = true
			if !p.From.Before(at) {
				continue // not begun yet: gone
			}
			p.Until = at
		}
		out = append(out, p)
	}
	if !cut {
		return nil
	}
	if out == nil {
		out = []cadence.Pause{}
	}
	return out
}
