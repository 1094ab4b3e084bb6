package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/when"
)

// outcomeForm asks what an outcome needs before it is logged: the channel
// (prefilled from the next step), a date for a meeting or "not now", a
// note (the reason, for lost), and a confirmation for do-not-contact.
type outcomeForm struct {
	lead    cadence.Lead
	outcome cadence.Outcome
	channel cadence.Channel
	date    textinput.Model
	note    textinput.Model
	focus   int // 0: date (when needed), 1: note
	err     string
	saving  bool
}

func newOutcomeForm(l cadence.Lead, o cadence.Outcome, ch cadence.Channel) *outcomeForm {
	f := &outcomeForm{lead: l, outcome: o, channel: ch}
	f.date = textinput.New()
	f.date.Placeholder = when.Examples
	f.date.Prompt = ""
	f.note = textinput.New()
	f.note.Prompt = ""
	f.note.CharLimit = 2000
	switch {
	case o.NeedsReason():
		f.note.Placeholder = "what the prospect said (required)"
	default:
		f.note.Placeholder = "optional"
	}
	if o.NeedsDate() {
		f.date.Focus()
	} else {
		f.focus = 1
		f.note.Focus()
	}
	return f
}

// update handles keys while the form is open. submit is true when the rep
// confirmed and the touch is valid.
func (f *outcomeForm) update(msg tea.KeyMsg, now time.Time, loc *time.Location) (submit bool, cmd tea.Cmd) {
	switch msg.String() {
	case "tab", "shift+tab":
		if f.outcome.NeedsDate() {
			f.focus = 1 - f.focus
			if f.focus == 0 {
				f.note.Blur()
				return false, f.date.Focus()
			}
			f.date.Blur()
			return false, f.note.Focus()
		}
		return false, nil
	case "ctrl+n":
		f.channel = nextChannel(f.channel)
		return false, nil
	case "enter":
		if f.saving {
			return false, nil
		}
		if _, err := f.touch(now, loc); err != nil {
			f.err = err.Error()
			return false, nil
		}
		return true, nil
	}
	if f.focus == 0 {
		f.date, cmd = f.date.Update(msg)
	} else {
		f.note, cmd = f.note.Update(msg)
	}
	return false, cmd
}

// touch builds the touch the form describes, or says what is missing.
func (f *outcomeForm) touch(now time.Time, loc *time.Location) (cadence.Touch, error) {
	t := cadence.Touch{LeadID: f.lead.ID, At: now, Channel: f.channel, Outcome: f.outcome,
		Note: strings.TrimSpace(f.note.Value())}
	if f.outcome.NeedsDate() {
		until, err := when.Future(f.date.Value(), now, loc)
		if err != nil {
			return t, err
		}
		t.Until = until
	}
	if f.outcome.NeedsReason() && t.Note == "" {
		return t, fmt.Errorf("a lost lead needs the reason the prospect gave")
	}
	return t, nil
}

// view renders the form, width columns wide.
func (f *outcomeForm) view(st *Styles, width int) string {
	var b strings.Builder
	title := fmt.Sprintf("Log %s · %s", f.outcome.Label(), f.lead.Name)
	if f.outcome == cadence.DoNotContact {
		title = fmt.Sprintf("Never contact %s again? This closes the lead and blocks every channel.", f.lead.Name)
	}
	b.WriteString(st.Title.Render(clip(title, width)) + "\n")
	b.WriteString(st.Label.Render("channel  ") + f.channel.String() + st.Dim.Render("  (ctrl+n to change)") + "\n")
	if f.outcome.NeedsDate() {
		label := "when     "
		if f.outcome == cadence.MeetingBooked {
			label = "meeting  "
		}
		b.WriteString(st.Label.Render(label) + f.date.View() + "\n")
	}
	label := "note     "
	if f.outcome.NeedsReason() {
		label = "reason   "
	}
	b.WriteString(st.Label.Render(label) + f.note.View() + "\n")
	switch {
	case f.err != "":
		b.WriteString(st.Error.Render(clip(f.err, width)))
	case f.saving:
		b.WriteString(st.Dim.Render("saving…"))
	case f.outcome == cadence.DoNotContact:
		b.WriteString(st.Footer.Render("enter confirms · esc cancels"))
	default:
		b.WriteString(st.Footer.Render("enter logs · esc cancels"))
	}
	return b.String()
}

func nextChannel(c cadence.Channel) cadence.Channel {
	for i, ch := range cadence.Channels {
		if ch == c {
			return cadence.Channels[(i+1)%len(cadence.Channels)]
		}
	}
	return cadence.Call
}

// logCmd writes a touch; the store applies it in one transaction.
func (m Model) logCmd(old cadence.QueueKey, t cadence.Touch) tea.Cmd {
	s, p := m.opts.Store, m.opts.Policy
	return func() tea.Msg {
		l, t, err := s.LogTouch(p, t)
		if err != nil {
			return logFailedMsg{err}
		}
		return loggedMsg{old, l, t}
	}
}

// openForm starts logging outcome o on the selected lead.
func (m Model) openForm(o cadence.Outcome) (tea.Model, tea.Cmd) {
	l, ok := m.queue.selected()
	if !ok {
		return m, nil
	}
	m.now = m.opts.Now()
	f := newOutcomeForm(l, o, m.opts.Policy.TouchChannel(&l, o, m.now))
	// bubbles builds its default styles from the global renderer: use the
	// session's instead.
	f.date.PlaceholderStyle, f.note.PlaceholderStyle = m.styles.Dim, m.styles.Dim
	f.date.TextStyle, f.note.TextStyle = m.styles.Row, m.styles.Row
	f.date.Cursor.Style, f.note.Cursor.Style = m.styles.Row, m.styles.Row
	f.date.Cursor.TextStyle, f.note.Cursor.TextStyle = m.styles.Row, m.styles.Row
	f.date.Cursor.SetMode(cursor.CursorStatic)
	f.note.Cursor.SetMode(cursor.CursorStatic)
	m.form = f
	return m, nil
}
