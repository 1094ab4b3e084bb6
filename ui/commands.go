package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// The messages the workstation's commands send back to Update.
type (
	tickMsg        time.Time
	leadsLoadedMsg struct{ leads []cadence.Lead }
	touchesMsg     struct {
		id      cadence.LeadID
		touches []cadence.Touch
		events  []store.Event
	}
	loggedMsg struct {
		lead  cadence.Lead
		touch cadence.Touch
	}
	logFailedMsg  struct{ err error }
	loadFailedMsg struct{ err error }
)

// tickCmd ticks the clock on screen: on the turn of each minute, or
// every Options.Tick (negative: never).
func (m Model) tickCmd() tea.Cmd {
	d := m.opts.Tick
	if d < 0 {
		return nil
	}
	if d == 0 {
		// Nothing on screen is finer than a minute (countdowns, the
		// clock): tick on the turn of each minute, not every second, so
		// an idle session costs nothing between minutes.
		now := m.opts.Now()
		d = now.Truncate(time.Minute).Add(time.Minute).Sub(now)
		if d <= 0 || d > time.Minute {
			d = time.Minute
		}
	}
	return tea.Tick(d, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// loadCmd reads the leads on screen that are not loaded, and the selected
// lead's touches.
func (m Model) loadCmd() tea.Cmd {
	var cmds []tea.Cmd
	if ids := m.queue.missing(); len(ids) > 0 {
		s := m.opts.Store
		cmds = append(cmds, func() tea.Msg {
			leads, err := s.Leads(ids)
			if err != nil {
				return loadFailedMsg{err}
			}
			return leadsLoadedMsg{leads}
		})
	}
	if l, ok := m.queue.selected(); ok {
		if _, have := m.touches[l.ID]; !have {
			s, id := m.opts.Store, l.ID
			cmds = append(cmds, func() tea.Msg {
				ts, err := s.Touches(id)
				if err != nil {
					return loadFailedMsg{err}
				}
				evs, err := s.Events(id)
				if err != nil {
					return loadFailedMsg{err}
				}
				return touchesMsg{id, ts, evs}
			})
		}
		if _, have := m.notes.notes[l.ID]; !have {
			cmds = append(cmds, loadNotesCmd(m.opts.Store, m.opts.Rep, l.ID))
		}
	}
	return tea.Batch(cmds...)
}
