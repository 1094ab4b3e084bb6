package ui

import (
	"fmt"
	"slices"
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
	editor  *textarea.Model           // nil until the first note
	editing bool
	lead    cadence.LeadID // the lead the editor's text belongs to
	version int            // bumps on every edit
	saved   int            // the version last saved as a draft
	pending cadence.LeadID // e was pressed before this lead's notes were read

	// Writes (drafts and notes) run one at a time, in order: a draft save
	// still running must not land after the note it became.
	writing bool
	queue   []noteWrite
}

// noteWrite is a draft to save or a note to add.
type noteWrite struct {
	draft   bool
	lead    cadence.LeadID
	version int
	text    string
	note    cadence.Note
}

// write queues w (a queued draft of the same lead is replaced: only the
// newest text matters) and starts the next write when none is running.
func (m *Model) write(w noteWrite) tea.Cmd {
	if w.draft {
		for i, q := range m.notes.queue {
			if q.draft && q.lead == w.lead {
				m.notes.queue[i] = w
				return m.nextWrite()
			}
		}
	}
	m.notes.queue = append(m.notes.queue, w)
	return m.nextWrite()
}

// nextWrite starts the oldest queued write if none is running.
func (m *Model) nextWrite() tea.Cmd {
	if m.notes.writing || len(m.notes.queue) == 0 {
		return nil
	}
	w := m.notes.queue[0]
	m.notes.queue = m.notes.queue[1:]
	m.notes.writing = true
	if w.draft {
		return saveDraftCmd(m.opts.Writer, m.opts.Rep, w.lead, w.version, w.text)
	}
	return addNoteCmd(m.opts.Writer, w.note)
}

func newNotesPane() notesPane {
	return notesPane{notes: map[cadence.LeadID][]cadence.Note{}, drafts: map[cadence.LeadID]string{}}
}

// newEditor builds the note editor. It is made when a rep first writes a
// note, not with the pane: a textarea reserves room for 10,000 lines
// (240 KB), and a server holds a pane per session.
func newEditor(st *Styles) *textarea.Model {
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
	return &ta
}

// text is what the editor holds ("" before there is one).
func (n *notesPane) text() string {
	if n.editor == nil {
		return ""
	}
	return n.editor.Value()
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
func loadNotesCmd(s Reader, rep string, id cadence.LeadID) tea.Cmd {
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
			return noteFailedMsg{fmt.Errorf("the draft note could not be saved: %w", err)}
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
		if n.editor != nil {
			b.WriteString("\n" + n.editor.View() + "\n")
		}
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
	if _, loaded := m.notes.notes[l.ID]; !loaded {
		// Its draft is not read yet: open the editor when it is.
		m.notes.pending = l.ID
		return m, loadNotesCmd(m.opts.Store, m.opts.Rep, l.ID)
	}
	if m.notes.editor == nil {
		m.notes.editor = newEditor(&m.styles)
		m.sizeEditor()
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
		flush := m.flushDraft()
		return m, flush
	case "ctrl+c":
		flush := m.flushDraft()
		return m, tea.Sequence(flush, tea.Quit)
	case "ctrl+s":
		text := strings.TrimSpace(m.notes.text())
		if text == "" {
			m.err = "the note is empty; type something, or press esc"
			return m, nil
		}
		m.now = m.opts.Now()
		m.status = "saving the note…"
		cmd := m.write(noteWrite{note: cadence.Note{LeadID: m.notes.lead, At: m.now, Rep: m.opts.Rep, Text: text}})
		return m, cmd
	}
	before := m.notes.text()
	ed, cmd := m.notes.editor.Update(msg)
	m.notes.editor = &ed
	if m.notes.text() == before {
		return m, cmd
	}
	m.notes.version++
	due := draftDueMsg{m.notes.lead, m.notes.version}
	return m, tea.Batch(cmd, m.opts.After(draftDelay, due))
}

// flushDraft saves the editor's text as a draft now, if it changed.
func (m *Model) flushDraft() tea.Cmd {
	if !m.notes.dirty() || m.notes.lead == 0 {
		return nil
	}
	return m.write(noteWrite{draft: true, lead: m.notes.lead, version: m.notes.version, text: m.notes.text()})
}

// UnsavedDraft returns the note text typed but not yet saved as a draft
// (the last keystrokes before the debounce fired), for the caller to save
// when the program ends: closing the terminal must lose nothing.
func (m Model) UnsavedDraft() (lead cadence.LeadID, text string, ok bool) {
	if !m.notes.dirty() || m.notes.lead == 0 {
		return 0, "", false
	}
	return m.notes.lead, m.notes.text(), true
}

// updateNotes handles the notes pane's messages; ok is false for any other message.
func (m Model) updateNotes(msg tea.Msg) (next Model, cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case notesMsg:
		m.notes.notes[msg.id] = msg.notes
		if !(m.notes.editing && msg.id == m.notes.lead) { // the editor's text is newer
			m.notes.drafts[msg.id] = msg.draft
		}
		if m.notes.pending == msg.id {
			m.notes.pending = 0
			if sel, ok := m.queue.selected(); ok && sel.ID == msg.id {
				next, cmd := m.startNote()
				return next.(Model), cmd, true
			}
		}
		return m, nil, true
	case draftDueMsg:
		if msg.lead == m.notes.lead && msg.version == m.notes.version && m.notes.dirty() {
			cmd := m.write(noteWrite{draft: true, lead: msg.lead, version: msg.version, text: m.notes.text()})
			return m, cmd, true
		}
		return m, nil, true
	case draftSavedMsg:
		m.notes.writing = false
		m.notes.drafts[msg.lead] = msg.text
		if msg.lead == m.notes.lead && msg.version > m.notes.saved {
			m.notes.saved = msg.version
		}
		cmd := m.nextWrite()
		return m, cmd, true
	case noteAddedMsg:
		m.notes.writing = false
		n := msg.note
		m.notes.notes[n.LeadID] = append(m.notes.notes[n.LeadID], n)
		delete(m.notes.drafts, n.LeadID)
		if m.notes.lead == n.LeadID {
			m.notes.editor = nil // its memory goes too; the next note makes a new one
			m.notes.editing = false
			m.notes.version, m.notes.saved = 0, 0
			// A draft save of the saved text still queued would bring it back.
			m.notes.queue = slices.DeleteFunc(m.notes.queue, func(w noteWrite) bool { return w.draft && w.lead == n.LeadID })
		}
		m.status = "note saved"
		m.err = ""
		cmd := m.nextWrite()
		return m, cmd, true
	case noteFailedMsg:
		m.notes.writing = false
		m.err = msg.err.Error() + " — the note is still in the editor (and kept as a draft)"
		cmd := m.nextWrite()
		return m, cmd, true
	}
	return m, nil, false
}
