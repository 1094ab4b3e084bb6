package ui

import (
	"errors"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// Live updates: whoever writes the store (another session of the team
// server, the HTTP intake) sends the id of each lead it changed on the
// channel in Options.Changes. The screen re-reads only that lead and moves
// its row; the rest of the queue is not read again.

type (
	changedMsg      struct{ id cadence.LeadID }
	changesDoneMsg  struct{}
	leadReloadedMsg struct{ lead cadence.Lead }
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

// reloadCmd re-reads one lead. A lead that no longer exists leaves the
// queue; any other failure is said, and the row stays as it was.
func reloadCmd(s Reader, id cadence.LeadID) tea.Cmd {
	return func() tea.Msg {
		l, err := s.Lead(id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return leadReloadedMsg{lead: cadence.Lead{ID: id, Status: cadence.StatusLost}}
		case err != nil:
			return loadFailedMsg{fmt.Errorf("reload lead %d: %w", id, err)}
		}
		return leadReloadedMsg{lead: l}
	}
}

// applyReload moves the reloaded lead's row: where it now sorts if it is
// still an open lead of this rep, out of the queue otherwise.
func (m *Model) applyReload(msg leadReloadedMsg) {
	l := msg.lead
	if l.Owner == m.opts.Rep {
		m.queue.update(l, m.now)
	} else {
		m.queue.drop(l.ID, m.now) // another rep's now
	}
	delete(m.touches, l.ID)
	delete(m.notes.notes, l.ID)
}

// updateLive handles live updates; ok is false for any other message.
func (m Model) updateLive(msg tea.Msg) (next Model, cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case changedMsg:
		return m, tea.Batch(waitForChange(m.opts.Changes), reloadCmd(m.opts.Store, msg.id)), true
	case changesDoneMsg:
		return m, nil, true
	case leadReloadedMsg:
		m.applyReload(msg)
		return m, m.loadCmd(), true
	}
	return m, nil, false
}
