package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// View implements tea.Model.
func (m Model) View() string {
	st := &m.styles
	if m.width < minWidth || m.height < minHeight {
		return fmt.Sprintf("followup needs a terminal of at least %d×%d; this one is %d×%d.\nEnlarge it, or press q to quit.",
			minWidth, minHeight, m.width, m.height)
	}
	if m.full {
		return st.Title.Render("followup — keys") + "\n\n" + m.help.FullHelpView(m.keys.FullHelp()) +
			"\n\n" + st.Footer.Render("any key closes this help")
	}
	header := st.Title.Render("followup") + st.Dim.Render(" · "+m.opts.Rep+" · "+m.now.In(m.opts.Policy.Calendar.Location).Format("Mon Jan 2 15:04"))
	bodyH := m.height - 4
	body := m.body(bodyH)
	if m.form != nil {
		body = lipgloss.Place(m.width, bodyH, lipgloss.Center, lipgloss.Center,
			st.PaneFocused.Width(min(m.width-4, 72)).Render(m.form.view(st, min(m.width-8, 68))))
	}
	footer := m.help.ShortHelpView(m.keys.ShortHelp())
	status := st.Dim.Render(m.status)
	switch {
	case m.quiting:
		status = st.Warn.Render("Your note is kept as a draft but is not saved as a note yet. Quit anyway? y/n")
	case m.err != "":
		status = st.Error.Render(m.err)
	}
	return strings.Join([]string{header, body, status, footer}, "\n")
}

// body lays out the panes: from splitWidth columns the queue on the left
// and the lead's detail above its notes on the right; below that one pane
// at a time, tab switching.
func (m Model) body(h int) string {
	st := &m.styles
	if len(m.queue.keys) == 0 {
		return st.Pane.Width(m.width - 2).Height(h - 2).Render(st.OK.Render("Your queue is empty: every lead is closed. Nice work."))
	}
	sel, haveSel := m.queue.selected()
	detail := func(w, h int) string {
		if !haveSel {
			return st.Dim.Render("loading…")
		}
		ts, loaded := m.touches[sel.ID]
		return detailView(st, &m.opts.Policy, &sel, ts, loaded, m.now, w, h)
	}
	notes := func(w, h int) string {
		if !haveSel {
			return ""
		}
		return m.notes.view(st, &sel, m.focus == 2, w, h)
	}
	queue := func(w int) string { return m.queue.view(st, &m.opts.Policy, m.now, w) }
	if m.width < splitWidth {
		inner := h - 2
		switch m.focus {
		case 1:
			return m.pane(1).Width(m.width - 2).Height(inner).Render(detail(m.width-4, inner))
		case 2:
			return m.pane(2).Width(m.width - 2).Height(inner).Render(notes(m.width-4, inner))
		}
		return m.pane(0).Width(m.width - 2).Height(inner).Render(queue(m.width - 4))
	}
	left := m.width * 11 / 20
	right := m.width - left
	notesH := max(6, h*2/5)
	detailH := h - notesH
	column := lipgloss.JoinVertical(lipgloss.Left,
		m.pane(1).Width(right-2).Height(detailH-2).Render(detail(right-4, detailH-2)),
		m.pane(2).Width(right-2).Height(notesH-2).Render(notes(right-4, notesH-2)))
	return lipgloss.JoinHorizontal(lipgloss.Top, m.pane(0).Width(left-2).Height(h-2).Render(queue(left-4)), column)
}

// pane is the border style of pane i: highlighted when it has the focus.
func (m Model) pane(i int) lipgloss.Style {
	if m.focus == i {
		return m.styles.PaneFocused
	}
	return m.styles.Pane
}
