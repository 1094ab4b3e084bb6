package server

import (
	"sync"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// hub fans the id of every changed lead out to every open session, so a
// write in one session reaches the others within a moment. Sessions
// subscribe when they start and cancel when they end.
type hub struct {
	mu   sync.Mutex
	next int
	subs map[int]chan cadence.LeadID
}

func newHub() *hub { return &hub{subs: map[int]chan cadence.LeadID{}} }

// subscribe returns a channel of changed lead ids and a cancel that closes
// it. The channel is buffered; a session too slow to keep up misses
// changes rather than slowing every writer.
func (h *hub) subscribe() (<-chan cadence.LeadID, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	id := h.next
	h.next++
	ch := make(chan cadence.LeadID, 256)
	h.subs[id] = ch
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if c, ok := h.subs[id]; ok {
			delete(h.subs, id)
			close(c)
		}
	}
}

// publish tells every session that a lead changed.
func (h *hub) publish(id cadence.LeadID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.subs {
		select {
		case ch <- id:
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
		p.hub.publish(l.ID)
	}
	return l, t, err
}

// AddLead writes a lead and announces it.
func (p publishingStore) AddLead(l cadence.Lead) (cadence.Lead, error) {
	l, err := p.Store.AddLead(l)
	if err == nil {
		p.hub.publish(l.ID)
	}
	return l, err
}

// AddNote writes a note and announces its lead.
func (p publishingStore) AddNote(n cadence.Note) (cadence.Note, error) {
	n, err := p.Store.AddNote(n)
	if err == nil {
		p.hub.publish(n.LeadID)
	}
	return n, err
}
