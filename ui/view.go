package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// View implements tea.Model.
func (m Model) View() string {
	st := &m.styles
	if m.width < minWidth || m.height < minHeight {
		return ansi.Wrap(fmt.Sprintf("followup needs a terminal of at least %d×%d; this one is %d×%d. Enlarge it, or press q to quit.",
			minWidth, minHeight, m.width, m.height), max(m.width, 10), "")
	}
	if m.full {
		return st.Title.Render("followup — keys") + "\n\n" + m.help.FullHelpView(m.keys.FullHelp()) +
			"\n\n" + st.Header.Render("In the queue") + "\n" + ansi.Wrap(legend, m.width, "") +
			"\n\n" + st.Footer.Render("any key closes this help")
	}
	header := st.Title.Render("followup") + st.Dim.Render(" · "+m.opts.Rep+" · "+m.now.In(m.opts.Policy.Calendar.Location).Format("Mon Jan 2 15:04 MST"))
	if m.width < splitWidth {
		// One pane at a time: say which, and how to reach the others.
		for i, name := range []string{"Queue", "Detail", "Notes"} {
			if i == m.focus {
				header += "  " + st.Key.Render("["+name+"]")
			} else {
				header += "  " + st.Dim.Render(name)
			}
		}
		header += st.Dim.Render("  (tab)")
	}
	bodyH := m.height - 4
	body := m.body(bodyH)
	switch {
	case m.adding != nil:
		body = m.dialog(bodyH, func(w int) string { return m.adding.view(st, w) })
	case m.form != nil:
		body = m.dialog(bodyH, func(w int) string { return m.form.view(st, w) })
	}
	footer := m.footer
	switch {
	case m.notes.editing:
		footer = st.Footer.Render("ctrl+s saves the note • esc keeps it as a draft")
	case m.search != nil:
		footer = st.Footer.Render("enter searches • esc cancels")
	case m.form != nil || m.adding != nil:
		footer = st.Footer.Render("enter confirms • esc cancels • tab next field")
	}
	status := st.Dim.Render(m.status)
	switch {
	case m.search != nil:
		status = m.search.View()
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
	if len(m.queue.all) == 0 {
		return frame(st, false, st.OK.Render("Your queue is empty: no open lead is yours. Press a to add a lead."), m.width, h)
	}
	if len(m.queue.keys) == 0 {
		return frame(st, true, st.Header.Render(fit(m.queue.title(), m.width-4))+"\n"+st.Dim.Render("No lead matches."), m.width, h)
	}
	sel, haveSel := m.queue.selected()
	detail := func(w, h int) string {
		if !haveSel {
			return st.Dim.Render("loading…")
		}
		ts, loaded := m.touches[sel.ID]
		k := rowKey{id: sel.ID, width: w, height: h, detail: true}
		if loaded {
			k.touches = len(ts) + 1
		}
		return m.queue.drawn.get(k, m.now, func() string {
			return detailView(st, &m.opts.Policy, &sel, ts, m.events[sel.ID], loaded, m.now, w, h)
		})
	}
	notes := func(w, h int) string {
		if !haveSel {
			return ""
		}
		return m.notes.view(st, &sel, m.opts.Policy.Calendar.Location, m.focus == 2, w, h)
	}
	queue := func(w int) string { return m.queue.view(st, &m.opts.Policy, m.now, w) }
	if m.width < splitWidth {
		inner := h - 2
		switch m.focus {
		case 1:
			return frame(st, m.focus == 1, detail(m.width-4, inner), m.width, h)
		case 2:
			return frame(st, m.focus == 2, notes(m.width-4, inner), m.width, h)
		}
		return frame(st, m.focus == 0, queue(m.width-4), m.width, h)
	}
	left, right, detailH, notesH := m.split(h)
	column := frame(st, m.focus == 1, detail(right-4, detailH-2), right, detailH) + "\n" +
		frame(st, m.focus == 2, notes(right-4, notesH-2), right, notesH)
	return joinColumns(frame(st, m.focus == 0, queue(left-4), left, h), column)
}

// joinColumns puts two blocks of equal height side by side.
func joinColumns(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out strings.Builder
	for i := range la {
		if i > 0 {
			out.WriteByte('\n')
		}
		out.WriteString(la[i])
		if i < len(lb) {
			out.WriteString(lb[i])
		}
	}
	return out.String()
}

// dialog centres a framed box, drawn by view at the width given, in the
// body's place.
func (m Model) dialog(bodyH int, view func(width int) string) string {
	fw := min(m.width-4, 72)
	content := view(fw - 4)
	return lipgloss.Place(m.width, bodyH, lipgloss.Center, lipgloss.Center,
		frame(&m.styles, true, content, fw, strings.Count(content, "\n")+3))
}

// legend explains the marks of a queue row.
const legend = "● untouched (no contact yet; SLA counts down, SLA -2h = breached 2h ago)   ! due now or overdue   · scheduled   ⊘ the step is a call the lead cannot take now: do the action shown instead (why: see the detail)"

// split divides a wide body h rows high: the queue's width on the left;
// on the right, the width and the heights of the detail and notes panes.
func (m Model) split(h int) (left, right, detailH, notesH int) {
	left = m.width * 3 / 5
	right = m.width - left
	notesH = max(6, h*2/5)
	return left, right, h - notesH, notesH
}

// layout sizes the panes for the terminal.
func (m *Model) layout() {
	m.queue.rows = max(1, m.height-7) // header, status, footer, borders, the queue title
	m.queue.moveTo(m.queue.cursor)
	m.help.Width = m.width
	m.footer = m.help.ShortHelpView(m.keys.ShortHelp())
	// The note editor fills its pane (less the title and the hint lines);
	// sized here, in Update, since View works on a copy.
	bodyH := m.height - 4
	w, h := m.width-4, bodyH-2-2
	if m.width >= splitWidth {
		_, right, _, notesH := m.split(bodyH)
		w, h = right-4, notesH-2-2
	}
	m.editorSize = [2]int{max(w, 10), max(h, 1)}
	m.sizeEditor()
}

// sizeEditor fits the note editor (if there is one) to its pane.
func (m *Model) sizeEditor() {
	if m.notes.editor != nil {
		m.notes.editor.SetWidth(m.editorSize[0])
		m.notes.editor.SetHeight(m.editorSize[1])
	}
}
