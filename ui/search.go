package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/followuphq/followup/cadence"
)

// searchedMsg carries the leads a search found, in queue order.
type searchedMsg struct {
	query string
	ids   []cadence.LeadID
}

// startSearch opens the search prompt.
func (m Model) startSearch() (tea.Model, tea.Cmd) {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "name, company, email or phone; enter searches"
	in.PromptStyle, in.TextStyle, in.PlaceholderStyle = m.styles.Key, m.styles.Row, m.styles.Dim
	in.Cursor.Style, in.Cursor.TextStyle = m.styles.Row, m.styles.Row
	in.Cursor.SetMode(cursor.CursorStatic)
	m.search = &in
	return m, in.Focus()
}

// updateSearch handles keys while the search prompt is open: enter runs
// the search in a command (it reads the whole queue), esc closes it.
func (m Model) updateSearch(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch msg.String() {
	case "esc":
		m.search = nil
		return m, nil
	case "enter":
		query := strings.TrimSpace(m.search.Value())
		m.search = nil
		if query == "" {
			m.queue.match, m.queue.query = nil, ""
			m.queue.refilter(m.now)
			return m, m.loadCmd()
		}
		m.searching = true
		m.status = "searching…"
		s, rep := m.opts.Store, m.opts.Rep
		return m, func() tea.Msg {
			ids, err := s.SearchQueue(rep, query)
			if err != nil {
				return loadFailedMsg{err}
			}
			return searchedMsg{query, ids}
		}
	}
	in, cmd := m.search.Update(msg)
	m.search = &in
	return m, cmd
}

// nextTierFilter cycles the tier filter: all, untouched, due, scheduled.
func nextTierFilter(t *cadence.Tier) *cadence.Tier {
	var next cadence.Tier
	switch {
	case t == nil:
		next = cadence.TierUntouched
	case *t == cadence.TierScheduled:
		return nil
	default:
		next = *t + 1
	}
	return &next
}
