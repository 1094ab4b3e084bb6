package store

import (
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// LeadHistory is one lead as a report reads it: the fields reports need,
// its touch log in the order logged, and its hand-offs. ScanHistories
// reuses one LeadHistory for every lead: copy what you keep.
type LeadHistory struct {
	ID         cadence.LeadID
	Name       string
	Source     string
	Owner      string // the current owner
	Status     cadence.Status
	ReceivedAt time.Time
	EnteredAt  time.Time
	AssignedAt time.Time // when the current owner got the lead
	NextDue    time.Time // the stored schedule: when the next touch is due
	Touches    []cadence.Touch
	HandOffs   []HandOff

	raw []byte // the lead record, valid only while fn runs
}

// IsName reports whether h is a name on the nurture list, not yet a lead
// (see cadence.Lead.IsName).
func (h *LeadHistory) IsName() bool { return h.Status == cadence.StatusName }

// HandOff is a lead handed from one rep to another (followup assign).
type HandOff struct {
	At       time.Time
	From, To string // From is empty for a lead that had no owner
	By       string
}

// Lead decodes the whole lead record. It may be called only from inside
// the ScanHistories callback that received h.
func (h *LeadHistory) Lead() (cadence.Lead, error) {
	if h.raw == nil {
		return cadence.Lead{}, fmt.Errorf("lead %d: the record is only readable during the scan", h.ID)
	}
	return decodeLead(h.ID, h.raw)
}

// ScanHistories calls fn with every lead in id order, in one read
// transaction, with memory bounded by the largest single lead: leads,
// touches and events are all keyed by lead id first, so three cursors walk
// them side by side. When want is not nil it is called with the lead's
// fields and hand-offs (Touches still empty); if it returns false the
// lead's touches are skipped without being read, and fn is not called.
// Neither function may call back into the store.
func (s *Store) ScanHistories(want func(*LeadHistory) bool, fn func(*LeadHistory) error) error {
	return s.ScanHistoriesBetween(0, 0, want, fn)
}

// ScanHistoriesBetween is ScanHistories for the leads with ids from from
// up to (not including) to; a to of 0 means no end. Scans of disjoint
// ranges may run side by side, each in its own read transaction.
func (s *Store) ScanHistoriesBetween(from, to cadence.LeadID, want func(*LeadHistory) bool, fn func(*LeadHistory) error) error {
	err := s.view(func(tx *bolt.Tx) error {
		start := u64key(uint64(from))
		sc := historyScanner{
			touches: tx.Bucket(bucketTouches).Cursor(),
			strs:    map[string]string{},
		}
		if b := tx.Bucket(bucketEvents); b != nil {
			sc.events = b.Cursor()
			sc.ek, sc.ev = sc.events.Seek(start)
		}
		sc.tk, sc.tv = sc.touches.Seek(start)
		h := &LeadHistory{}
		lc := tx.Bucket(bucketLeads).Cursor()
		for k, v := lc.Seek(start); k != nil; k, v = lc.Next() {
			if len(k) != 8 {
				return fmt.Errorf("leads bucket: malformed key %x; run followup check", k)
			}
			id := cadence.LeadID(btou(k))
			if to != 0 && id >= to {
				break
			}
			if err := sc.lead(h, id, v); err != nil {
				return err
			}
			if err := sc.handOffs(h); err != nil {
				return err
			}
			if want != nil && !want(h) {
				sc.skipTouches(h.ID)
				continue
			}
			if err := sc.readTouches(h); err != nil {
				return err
			}
			err := fn(h)
			h.raw = nil
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the leads and their touch logs in %s: %w", s.path, err)
	}
	return nil
}

// LeadIDSpan returns the lowest and the highest lead id in the store, both
// 0 when it holds no lead.
func (s *Store) LeadIDSpan() (lo, hi cadence.LeadID, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketLeads).Cursor()
		if k, _ := c.First(); len(k) == 8 {
			lo = cadence.LeadID(btou(k))
		}
		if k, _ := c.Last(); len(k) == 8 {
			hi = cadence.LeadID(btou(k))
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("read the span of lead ids in %s: %w", s.path, err)
	}
	return lo, hi, nil
}

// historyScanner holds the cursors of a ScanHistories walk.
type historyScanner struct {
	touches *bolt.Cursor
	tk, tv  []byte
	events  *bolt.Cursor
	ek, ev  []byte
	strs    map[string]string // rep and source names: few, read millions of times
	recent  [64]string        // strings interned lately, by a cheap hash of their bytes
}

// intern returns b as a string, allocating only the first time.
func (sc *historyScanner) intern(b []byte) string {
	h := uint32(2166136261) // FNV-1a, over names of a few bytes
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	slot := &sc.recent[h%uint32(len(sc.recent))]
	if *slot == string(b) {
		return *slot
	}
	if s, ok := sc.strs[string(b)]; ok {
		*slot = s
		return s
	}
	if len(sc.strs) > 10_000 { // not a small set after all: stop remembering
		return string(b)
	}
	s := string(b)
	sc.strs[s] = s
	*slot = s
	return s
}

// leadFieldsRead are the fields of a lead record a LeadHistory holds, as
// a set of bits for fieldReader.nextOf.
const leadFieldsRead = 1<<fLeadName | 1<<fLeadSource | 1<<fLeadOwner | 1<<fLeadStatus | 1<<fLeadReceived |
	1<<fLeadEntered | 1<<fLeadAssigned | 1<<fLeadNextDue

// lead decodes the fields of a lead record into h.
func (sc *historyScanner) lead(h *LeadHistory, id cadence.LeadID, v []byte) error {
	h.ID, h.raw = id, v
	h.Name, h.Source, h.Owner = "", "", ""
	h.Status = cadence.StatusOpen
	h.ReceivedAt, h.EnteredAt, h.AssignedAt, h.NextDue = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	h.Touches, h.HandOffs = h.Touches[:0], h.HandOffs[:0]
	r := fieldReader{b: v}
	for r.nextOf(leadFieldsRead) {
		f := &r.f
		switch f.num {
		case fLeadName:
			h.Name = f.string()
		case fLeadSource:
			h.Source = sc.intern(f.bytes)
		case fLeadOwner:
			h.Owner = sc.intern(f.bytes)
		case fLeadStatus:
			h.Status = cadence.Status(f.u8())
		case fLeadReceived:
			h.ReceivedAt = f.time()
		case fLeadEntered:
			h.EnteredAt = f.time()
		case fLeadAssigned:
			h.AssignedAt = f.time()
		case fLeadNextDue:
			h.NextDue = f.time()
		}
	}
	err := r.err
	if err != nil {
		return fmt.Errorf("lead %d: %w", id, err)
	}
	return nil
}

// handOffs reads the lead's hand-off events into h, passing over events of
// leads that no longer exist.
func (sc *historyScanner) handOffs(h *LeadHistory) error {
	if sc.events == nil {
		return nil
	}
	for ; sc.ek != nil && btou(sc.ek) <= uint64(h.ID); sc.ek, sc.ev = sc.events.Next() {
		if len(sc.ek) != 16 || btou(sc.ek) < uint64(h.ID) {
			continue
		}
		var ho HandOff
		var text []byte
		err := decode(sc.ev, func(f field) {
			switch f.num {
			case fEventAt:
				ho.At = f.time()
			case fEventBy:
				ho.By = sc.intern(f.bytes)
			case fEventText:
				text = f.bytes
			}
		})
		if err != nil {
			return fmt.Errorf("event of lead %d: %w", h.ID, err)
		}
		from, to, ok := parseHandOff(string(text))
		if !ok {
			continue // another kind of event
		}
		ho.From, ho.To = sc.intern([]byte(from)), sc.intern([]byte(to))
		h.HandOffs = append(h.HandOffs, ho)
	}
	return nil
}

// parseHandOff reads the text Assign writes, "handed from A to B" (rep
// names hold no spaces; A is empty for a lead that had no owner).
func parseHandOff(text string) (from, to string, ok bool) {
	rest, ok := strings.CutPrefix(text, "handed from ")
	if !ok {
		return "", "", false
	}
	i := strings.LastIndex(rest, " to ")
	if i < 0 {
		return "", "", false
	}
	return rest[:i], rest[i+len(" to "):], true
}

// skipTouches moves the touch cursor past the touches of lead id.
func (sc *historyScanner) skipTouches(id cadence.LeadID) {
	if sc.tk == nil || btou(sc.tk) > uint64(id) {
		return
	}
	sc.tk, sc.tv = sc.touches.Seek(u64key(uint64(id) + 1))
}

// readTouches decodes the lead's touches into h.Touches, reusing its
// backing array; touches of leads that no longer exist are passed over.
func (sc *historyScanner) readTouches(h *LeadHistory) error {
	for ; sc.tk != nil && btou(sc.tk) <= uint64(h.ID); sc.tk, sc.tv = sc.touches.Next() {
		if len(sc.tk) != 16 || btou(sc.tk) < uint64(h.ID) {
			continue
		}
		h.Touches = append(h.Touches, cadence.Touch{})
		t := &h.Touches[len(h.Touches)-1]
		t.ID, t.LeadID = cadence.TouchID(btou(sc.tk[8:])), h.ID
		if err := readTouch(t, sc.tv, sc.intern); err != nil {
			return err
		}
	}
	return nil
}
