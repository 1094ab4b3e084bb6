package server

import (
	"slices"
	"sync"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// hub fans the id of every changed lead out to the open sessions it
// concerns, so a write in one session reaches the others within a moment:
// a rep's session hears of the rep's own leads (and of leads taken from
// them), a manager's of every lead. Sessions subscribe when they start and
// cancel when they end.
type hub struct {
	mu   sync.Mutex
	next int
	subs map[int]subscriber
}

// subscriber is one session's channel and whose leads it shows ("" all).
type subscriber struct {
	ch    chan cadence.LeadID
	owner string
}

func newHub() *hub { return &hub{subs: map[int]subscriber{}} }

// subscribe returns a channel of the ids of owner's leads as they change
// ("" for every lead) and a cancel that closes it. The channel is
// buffered; a session too slow to keep up misses changes rather than
// slowing every writer.
func (h *hub) subscribe(owner string) (<-chan cadence.LeadID, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	id := h.next
	h.next++
	ch := make(chan cadence.LeadID, 256)
	h.subs[id] = subscriber{ch: ch, owner: owner}
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if sub, ok := h.subs[id]; ok {
			delete(h.subs, id)
			close(sub.ch)
		}
	}
}

// publish tells the sessions of owners (the lead's owner, and its owner
// before a hand-off) and every manager's that a lead changed; with no
// owner named, every session.
func (h *hub) publish(id cadence.LeadID, owners ...string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, sub := range h.subs {
		if sub.owner != "" && len(owners) > 0 && !slices.Contains(owners, sub.owner) {
			continue
		}
		select {
		case sub.ch <- id:
		default:
		}
	}
}

// publishingStore is the store as a session writes to it: every write that
// changes a lead is announced on the hub after it commits.
type publishingStore struct {
	*store.Store
	hub *hub
}

// LogTouch writes a touch and announces its lead.
func (p publishingStore) LogTouch(pol cadence.Policy, t cadence.Touch) (cadence.Lead, cadence.Touch, error) {
	l, t, err := p.Store.LogTouch(pol, t)
	if err == nil {
		p.hub.publish(l.ID, l.Owner)
	}
	return l, t, err
}

// AddLead writes a lead and announces it.
func (p publishingStore) AddLead(l cadence.Lead) (cadence.Lead, error) {
	l, err := p.Store.AddLead(l)
	if err == nil {
		p.hub.publish(l.ID, l.Owner)
	}
	return l, err
}

// AddNote writes a note and announces its lead.
func (p publishingStore) AddNote(n cadence.Note) (cadence.Note, error) {
	n, err := p.Store.AddNote(n)
	if err == nil {
		var owners []string
		if l, err := p.Store.Lead(n.LeadID); err == nil {
			owners = append(owners, l.Owner)
		}
		p.hub.publish(n.LeadID, owners...)
	}
	return n, err
}
