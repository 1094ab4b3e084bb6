package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/followuphq/followup/cadence"
)

// draftDelay is how long typing must pause before the draft is saved.
const draftDelay = 400 * time.Millisecond

// notesPane shows a lead's notes, newest first, and an editor whose text
// is saved to the store as a draft while the rep types, so a closed
// terminal or a dropped connection loses nothing.
type notesPane struct {
	notes   map[cadence.LeadID][]cadence.Note
	drafts  map[cadence.LeadID]string // drafts as last read or saved
	editor  textarea.Model
	editing bool
	lead    cadence.LeadID // the lead the editor's text belongs to
	version int            // bumps on every edit
	saved   int            // the version last saved as a draft
}

func newNotesPane(st *Styles) notesPane {
	ta := textarea.New()
	ta.Placeholder = "what happened, what was promised, what to say next time"
	ta.ShowLineNumbers = false
	ta.Prompt = ""
	ta.CharLimit = 10_000
	// bubbles builds its default styles from the global renderer: use the
	// session's instead.
	plain := textarea.Style{Base: st.Row, CursorLine: st.Row, CursorLineNumber: st.Dim, EndOfBuffer: st.Dim,
		LineNumber: st.Dim, Placeholder: st.Dim, Prompt: st.Dim, Text: st.Row}
	ta.FocusedStyle, ta.BlurredStyle = plain, plain
	ta.Cursor.Style, ta.Cursor.TextStyle = st.Row, st.Row
	// A steady cursor: a blinking one re-renders every half second, in every
	// session the server runs.
	ta.Cursor.SetMode(cursor.CursorStatic)
	return notesPane{notes: map[cadence.LeadID][]cadence.Note{}, drafts: map[cadence.LeadID]string{}, editor: ta}
}

// dirty reports whether the editor holds text not yet saved as a draft.
func (n *notesPane) dirty() bool { return n.version != n.saved }

// Messages of the notes pane.
type (
	notesMsg struct {
		id    cadence.LeadID
		notes []cadence.Note
		draft string
	}
	draftDueMsg struct {
		lead    cadence.LeadID
		version int
	}
	draftSavedMsg struct {
		lead    cadence.LeadID
		version int
		text    string
	}
	noteAddedMsg  struct{ note cadence.Note }
	noteFailedMsg struct{ err error }
)

// loadNotesCmd reads a lead's notes and the rep's draft on it.
func loadNotesCmd(s Writer, rep string, id cadence.LeadID) tea.Cmd {
	return func() tea.Msg {
		notes, err := s.Notes(id)
		if err != nil {
			return loadFailedMsg{err}
		}
		draft, err := s.Draft(rep, id)
		if err != nil {
			return loadFailedMsg{err}
		}
		return notesMsg{id, notes, draft}
	}
}

// saveDraftCmd writes the editor's text as the rep's draft on the lead.
func saveDraftCmd(s Writer, rep string, lead cadence.LeadID, version int, text string) tea.Cmd {
	return func() tea.Msg {
		if err := s.SaveDraft(rep, lead, text); err != nil {
			return loadFailedMsg{fmt.Errorf("the draft note could not be saved: %w", err)}
		}
		return draftSavedMsg{lead, version, text}
	}
}

// addNoteCmd saves the editor's text as a note (which clears the draft).
func addNoteCmd(s Writer, n cadence.Note) tea.Cmd {
	return func() tea.Msg {
		saved, err := s.AddNote(n)
		if err != nil {
			return noteFailedMsg{err}
		}
		return noteAddedMsg{saved}
	}
}

// view renders the pane: the editor while writing, else the notes.
func (n *notesPane) view(st *Styles, l *cadence.Lead, loc *time.Location, focused bool, width, height int) string {
	var b strings.Builder
	b.WriteString(st.Header.Render(fit("Notes", width)))
	if n.editing && n.lead == l.ID {
		n.editor.SetWidth(width)
		n.editor.SetHeight(max(1, height-3))
		b.WriteString("\n" + n.editor.View() + "\n")
		state := "draft saved"
		if n.dirty() {
			state = "typing…"
		}
		b.WriteString(st.Footer.Render(clip("ctrl+s saves the note · esc stops (kept as a draft) · "+state, width)))
		return b.String()
	}
	lines := 1
	if d := n.drafts[l.ID]; d != "" {
		b.WriteString("\n" + st.Warn.Render(clip("draft: "+firstLine(d), width)))
		lines++
	}
	notes, loaded := n.notes[l.ID]
	switch {
	case !loaded:
		b.WriteString("\n" + st.Dim.Render("loading…"))
	case len(notes) == 0:
		hint := "No notes yet."
		if focused {
			hint += " Press e to write one."
		}
		b.WriteString("\n" + st.Dim.Render(clip(hint, width)))
	}
	// Newest first, each note whole (wrapped), as many as fit.
	for i := len(notes) - 1; i >= 0 && lines < height; i-- {
		note := notes[i]
		b.WriteString("\n" + st.Dim.Render(note.At.In(loc).Format("Mon Jan 02 15:04")+" · "+note.Rep))
		lines++
		for _, line := range wrap(note.Text, width) {
			if lines >= height {
				break
			}
			b.WriteString("\n" + line)
			lines++
		}
	}
	return b.String()
}

// wrap breaks plain text into lines of at most width cells, at spaces
// where it can, keeping the text's own line breaks.
func wrap(text string, width int) []string {
	if width <= 0 {
		return nil
	}
	return strings.Split(ansi.Wrap(strings.TrimSpace(text), width, ""), "\n")
}

func firstLine(s string) string {
	s, _, more := strings.Cut(strings.TrimSpace(s), "\n")
	if more {
		s += " …"
	}
	return s
}

// startNote opens the editor on the selected lead's note, with its draft.
func (m Model) startNote() (tea.Model, tea.Cmd) {
	l, ok := m.queue.selected()
	if !ok {
		return m, nil
	}
	var flush tea.Cmd
	if m.notes.lead != l.ID {
		flush = m.flushDraft()
		m.notes.lead = l.ID
		m.notes.editor.SetValue(m.notes.drafts[l.ID])
		m.notes.version, m.notes.saved = 0, 0
	}
	m.notes.editing = true
	m.focus = 2
	return m, tea.Batch(flush, m.notes.editor.Focus())
}

// updateEditor handles keys while a note is being written.
func (m Model) updateEditor(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch msg.String() {
	case "esc":
		m.notes.editing = false
		m.notes.editor.Blur()
		return m, m.flushDraft()
	case "ctrl+c":
		return m, tea.Sequence(m.flushDraft(), tea.Quit)
	case "ctrl+s":
		text := strings.TrimSpace(m.notes.editor.Value())
		if text == "" {
			m.err = "the note is empty; type something, or press esc"
			return m, nil
		}
		m.now = m.opts.Now()
		return m, addNoteCmd(m.opts.Store, cadence.Note{LeadID: m.notes.lead, At: m.now, Rep: m.opts.Rep, Text: text})
	}
	before := m.notes.editor.Value()
	var cmd tea.Cmd
	m.notes.editor, cmd = m.notes.editor.Update(msg)
	if m.notes.editor.Value() == before {
		return m, cmd
	}
	m.notes.version++
	due := draftDueMsg{m.notes.lead, m.notes.version}
	return m, tea.Batch(cmd, m.opts.After(draftDelay, due))
}

// flushDraft saves the editor's text as a draft now, if it changed.
func (m Model) flushDraft() tea.Cmd {
	if !m.notes.dirty() || m.notes.lead == 0 {
		return nil
	}
	return saveDraftCmd(m.opts.Store, m.opts.Rep, m.notes.lead, m.notes.version, m.notes.editor.Value())
}

// UnsavedDraft returns the note text typed but not yet saved as a draft
// (the last keystrokes before the debounce fired), for the caller to save
// when the program ends: closing the terminal must lose nothing.
func (m Model) UnsavedDraft() (lead cadence.LeadID, text string, ok bool) {
	if !m.notes.dirty() || m.notes.lead == 0 {
		return 0, "", false
	}
	return m.notes.lead, m.notes.editor.Value(), true
}
