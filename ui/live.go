package ui

import (
	"slices"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/followuphq/followup/cadence"
)

// Live updates: whoever writes the store (another session of the team
// server, the HTTP intake) sends the id of each lead it changed on the
// channel in Options.Changes. The screen re-reads only that lead and moves
// its row; the rest of the queue is not read again.

type (
	changedMsg      struct{ id cadence.LeadID }
	changesDoneMsg  struct{}
	leadReloadedMsg struct {
		lead  cadence.Lead
		found bool
	}
)

// waitForChange is a command that waits for the next changed lead; the
// model re-arms it after each one.
func waitForChange(ch <-chan cadence.LeadID) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		id, ok := <-ch
		if !ok {
			return changesDoneMsg{}
		}
		return changedMsg{id}
	}
}

// reloadCmd re-reads one lead.
func reloadCmd(s Writer, id cadence.LeadID) tea.Cmd {
	return func() tea.Msg {
		l, err := s.Lead(id)
		if err != nil {
			return leadReloadedMsg{lead: cadence.Lead{ID: id}}
		}
		return leadReloadedMsg{lead: l, found: true}
	}
}

// applyReload moves the reloaded lead's row: where it now sorts if it is
// still an open lead of this rep, out of the queue otherwise.
func (m *Model) applyReload(msg leadReloadedMsg) {
	l := msg.lead
	i := slices.IndexFunc(m.queue.all, func(k cadence.QueueKey) bool { return k.ID == l.ID })
	var old cadence.QueueKey
	if i >= 0 {
		old = m.queue.all[i]
	}
	switch {
	case msg.found && l.Owner == m.opts.Rep:
		if i >= 0 || l.IsOpen() {
			m.queue.update(old, l, m.now)
		}
	case i >= 0: // gone, or another rep's now: it leaves this queue
		m.queue.drop(old, m.now)
	}
	delete(m.touches, l.ID)
	delete(m.notes.notes, l.ID)
}
