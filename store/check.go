package store

import (
	"bytes"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// maxProblems bounds how many problems Check reports; past that the file is
// broken enough that a longer list helps nobody.
const maxProblems = 50

// Check verifies the database: bbolt's own page consistency, that each
// lead's touch log is an unbroken hash chain (chain.go), that the queue
// index holds exactly one right entry per open lead, and that each lead's
// stored follow-up summary equals a recount from its touch log (replayed
// with p). It returns the problems found, each one sentence naming the
// record; none means the database is sound.
func (s *Store) Check(p cadence.Policy) ([]string, error) {
	var problems []string
	add := func(format string, args ...any) {
		if len(problems) < maxProblems {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	err := s.view(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			add("bbolt: %v", err)
		}
		if len(problems) > 0 {
			return nil // the pages themselves are bad: reading records could mislead
		}
		open, err := checkLeads(tx, p, add)
		if err != nil {
			return err
		}
		if err := checkContacts(tx, add); err != nil {
			return err
		}
		return checkIndex(tx, open, add)
	})
	if err != nil {
		return problems, fmt.Errorf("check %s: %w", s.path, err)
	}
	return problems, nil
}

// checkLeads walks leads and touches side by side (both in lead order),
// recounting each lead's summary and checking its index entry. It returns
// how many open leads there are.
func checkLeads(tx *bolt.Tx, p cadence.Policy, add func(string, ...any)) (int, error) {
	q := tx.Bucket(bucketQueue)
	reps := tx.Bucket(bucketReps)
	contacts := tx.Bucket(bucketContacts)
	tc := tx.Bucket(bucketTouches).Cursor()
	tk, tv := tc.First()
	open := 0
	err := tx.Bucket(bucketLeads).ForEach(func(k, v []byte) error {
		id := cadence.LeadID(btou(k))
		l, err := decodeLead(id, v)
		if err != nil {
			add("lead %d: the record does not decode: %v", id, err)
			return nil
		}
		var touches []cadence.Touch
		chain := chainCheck{lead: id}
		for ; tk != nil && btou(tk) <= uint64(id); tk, tv = tc.Next() {
			lead, tid := splitChildKey(tk)
			if lead < uint64(id) {
				add("touch %d: its lead %d does not exist", tid, lead)
				continue
			}
			chain.next(tk, tv, add)
			t, err := decodeTouch(id, cadence.TouchID(tid), tv)
			if err != nil {
				add("touch %d of lead %d: the record does not decode: %v", tid, id, err)
				continue
			}
			touches = append(touches, t)
		}
		if l.Owner != "" && reps.Get([]byte(l.Owner)) == nil {
			add("lead %d: its owner %q is not a rep", id, l.Owner)
		}
		for _, ck := range contactKeys(&l) {
			if lookupContact(contacts, ck) == 0 {
				add("lead %d: its contact %q is missing from the contacts index", id, ck[1:])
			}
		}
		if l.IsOpen() {
			open++
			if q.Get(queueKey(&l)) == nil {
				add("lead %d: open but missing from the queue of %q", id, l.Owner)
			}
		}
		recount, err := p.Replay(l, touches)
		if err != nil {
			add("lead %d: its touch log does not replay: %v", id, err)
			return nil
		}
		if d := summaryDiff(&l, &recount); d != "" {
			add("lead %d: the stored summary disagrees with its touch log: %s", id, d)
		}
		return nil
	})
	for ; err == nil && tk != nil; tk, _ = tc.Next() {
		lead, tid := splitChildKey(tk)
		add("touch %d: its lead %d does not exist", tid, lead)
	}
	return open, err
}

// summaryDiff names the first summary field that differs, or "".
func summaryDiff(stored, recount *cadence.Lead) string {
	switch {
	case stored.Touches != recount.Touches:
		return fmt.Sprintf("touches %d, recount %d", stored.Touches, recount.Touches)
	case stored.Status != recount.Status:
		return fmt.Sprintf("status %s, recount %s", stored.Status, recount.Status)
	case !stored.FirstContactAt.Equal(recount.FirstContactAt):
		return fmt.Sprintf("first contact %v, recount %v", stored.FirstContactAt, recount.FirstContactAt)
	case stored.Qualified != recount.Qualified:
		return fmt.Sprintf("qualified %v, recount %v", stored.Qualified, recount.Qualified)
	case !stored.LastTouchAt.Equal(recount.LastTouchAt):
		return fmt.Sprintf("last touch %v, recount %v", stored.LastTouchAt, recount.LastTouchAt)
	}
	return ""
}

// checkIndex checks that every index entry is the right key of an open
// lead, and that there are exactly as many entries as open leads.
func checkIndex(tx *bolt.Tx, open int, add func(string, ...any)) error {
	entries := 0
	err := tx.Bucket(bucketQueue).ForEach(func(k, _ []byte) error {
		entries++
		owner, qk, ok := parseQueueKey(k)
		if !ok {
			add("queue index: malformed key %x", k)
			return nil
		}
		l, err := getLead(tx, qk.ID)
		switch {
		case errors.Is(err, ErrNotFound):
			add("queue index of %q: lead %d does not exist", owner, qk.ID)
		case err != nil:
			add("queue index of %q: lead %d does not decode: %v", owner, qk.ID, err)
		case !l.IsOpen():
			add("queue index of %q: lead %d is %s, not open", owner, qk.ID, l.Status)
		case !bytes.Equal(queueKey(&l), k):
			add("queue index of %q: the entry of lead %d is stale (owner %q, %v)", owner, qk.ID, l.Owner, cadence.KeyOf(&l).At)
		}
		return nil
	})
	if err == nil && entries != open {
		add("queue index: %d entries for %d open leads", entries, open)
	}
	return err
}

// Stats counts what the database holds.
type Stats struct {
	Leads, Open, Touches, Notes, Reps int
}

// Stats returns record counts (from bbolt's bucket statistics; the open
// count from the queue index).
func (s *Store) Stats() (Stats, error) {
	var st Stats
	err := s.view(func(tx *bolt.Tx) error {
		st.Leads = tx.Bucket(bucketLeads).Stats().KeyN
		st.Open = tx.Bucket(bucketQueue).Stats().KeyN
		st.Touches = tx.Bucket(bucketTouches).Stats().KeyN
		st.Notes = tx.Bucket(bucketNotes).Stats().KeyN
		st.Reps = tx.Bucket(bucketReps).Stats().KeyN
		return nil
	})
	return st, err
}

// checkContacts checks that each contacts-index entry names a lead that
// has that contact.
func checkContacts(tx *bolt.Tx, add func(string, ...any)) error {
	return tx.Bucket(bucketContacts).ForEach(func(page, v []byte) error {
		seen := map[string]bool{}
		if !eachContact(v, func(k []byte, id cadence.LeadID) bool {
			switch p := contactPage(k); {
			case len(k) < 2 || (k[0] != 'e' && k[0] != 'p'):
				add("contacts index: malformed entry %q in page %x", k, page)
				return true
			case !bytes.Equal(p[:], page):
				add("contacts index: %q is in page %x, not its page %x", k[1:], page, p)
			case seen[string(k)]:
				add("contacts index: %q is in page %x twice", k[1:], page)
			}
			seen[string(k)] = true
			l, err := getLead(tx, id)
			if err != nil {
				add("contacts index: %q names lead %d, which does not exist", k[1:], id)
				return true
			}
			if (k[0] == 'e' && l.Email != string(k[1:])) || (k[0] == 'p' && l.Phone != string(k[1:])) {
				add("contacts index: %q names lead %d, which does not have it", k[1:], id)
			}
			return true
		}) {
			add("contacts index: page %x does not decode", page)
		}
		return nil
	})
}

// chainCheck follows one lead's touches through the hash chain and reports
// its first broken link, naming the touch whose stored bytes no longer
// match the hash the next touch holds of them.
type chainCheck struct {
	lead         cadence.LeadID
	prevK, prevV []byte // the touch before, as stored; nil before the first
	broken       bool   // reported: one problem a lead is enough
}

func (c *chainCheck) next(k, v []byte, add func(string, ...any)) {
	defer func() { c.prevK, c.prevV = k, v }()
	if c.broken {
		return
	}
	_, id := splitChildKey(k)
	held, err := touchPrev(v)
	if err != nil {
		return // reported as a record that does not decode
	}
	if c.prevK == nil {
		if !bytes.Equal(held, zeroHash) {
			c.broken = true
			add("touch %d of lead %d: it holds the hash of an earlier touch that is no longer there; the log was changed outside followup", id, c.lead)
		}
		return
	}
	if !bytes.Equal(held, chainHash(c.prevK, c.prevV)) {
		c.broken = true
		_, prevID := splitChildKey(c.prevK)
		add("touch %d of lead %d: its bytes do not match the hash the next touch (%d) holds of them; the log was changed outside followup (a touch edited, or one between them removed)", prevID, c.lead, id)
	}
}
