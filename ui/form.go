package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

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
	warn    string // a contact rule this attempt breaks (it may still be logged)
	saving  bool
	now     time.Time
	loc     *time.Location
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
	f.now, f.loc = now, loc
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
		f.channel = nextChannel(&f.lead, f.channel)
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
	f.err = "" // the rep is fixing it
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
	b.WriteString(st.Title.Render(ansi.Wrap(title, width, "")) + "\n")
	b.WriteString(st.Label.Render("channel  ") + f.channel.String() + st.Dim.Render("  (ctrl+n to change)") + "\n")
	if f.outcome.NeedsDate() {
		label := "when     "
		if f.outcome == cadence.MeetingBooked {
			label = "meeting  "
		}
		b.WriteString(st.Label.Render(label) + f.date.View() + "\n")
		// Say which date was understood, in which timezone, as it is typed.
		if v := strings.TrimSpace(f.date.Value()); v != "" && f.loc != nil {
			if t, err := when.Future(v, f.now, f.loc); err == nil {
				b.WriteString(st.Label.Render("         ") + st.OK.Render("→ "+t.Format("Mon Jan 2 2006 15:04 MST")) + "\n")
			}
		}
	}
	label := "note     "
	if f.outcome.NeedsReason() {
		label = "reason   "
	}
	b.WriteString(st.Label.Render(label) + f.note.View() + "\n")
	if f.warn != "" {
		b.WriteString(st.Warn.Render(ansi.Wrap("⚠ "+f.warn+" — enter logs it anyway", width, "")) + "\n")
	}
	switch {
	case f.err != "":
		b.WriteString(st.Error.Render(ansi.Wrap(f.err, width, "")))
	case f.saving:
		b.WriteString(st.Dim.Render("saving…"))
	case f.outcome == cadence.DoNotContact:
		b.WriteString(st.Footer.Render("enter confirms · esc cancels"))
	default:
		b.WriteString(st.Footer.Render("enter logs · esc cancels"))
	}
	return b.String()
}

// nextChannel cycles through the channels a touch on this lead can have
// used: no call or text without a working phone, no text without opt-in,
// no email without an address, a meeting only when one was booked.
func nextChannel(l *cadence.Lead, c cadence.Channel) cadence.Channel {
	usable := func(ch cadence.Channel) bool {
		switch ch {
		case cadence.Call:
			return l.Phone != "" && !l.PhoneBad
		case cadence.SMS:
			return l.Phone != "" && !l.PhoneBad && l.SMSOptIn
		case cadence.Email:
			return l.Email != ""
		case cadence.Meeting:
			return l.NextChannel == cadence.Meeting
		case cadence.Research:
			return false // not a contact: outcomes are about reaching someone
		}
		return true
	}
	i := slices.Index(cadence.Channels, c)
	for n := 1; n <= len(cadence.Channels); n++ {
		if ch := cadence.Channels[(i+n)%len(cadence.Channels)]; usable(ch) {
			return ch
		}
	}
	return c
}

// attemptWarning says which contact rule an unanswered attempt on ch
// breaks now (the minimum gap, the calling window, the calls a day), or
// "": logging a no-answer twice in a minute skips cadence steps.
func (m Model) attemptWarning(l *cadence.Lead, o cadence.Outcome, ch cadence.Channel) string {
	if o != cadence.NoAnswer && o != cadence.Voicemail {
		return ""
	}
	if v := m.opts.Policy.CanContact(l, ch, m.now); !v.Allowed {
		return v.Why
	}
	return ""
}

// logCmd writes a touch; the store applies it in one transaction.
func (m Model) logCmd(t cadence.Touch) tea.Cmd {
	s, p := m.opts.Writer, m.opts.Policy
	return func() tea.Msg {
		l, t, err := s.LogTouch(p, t)
		if err != nil {
			return logFailedMsg{err}
		}
		return loggedMsg{l, t}
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
	f.now, f.loc = m.now, m.opts.Policy.Calendar.Location
	f.warn = m.attemptWarning(&l, o, f.channel)
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
