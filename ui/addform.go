package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/contact"
)

// addForm is the small form behind `a`: a lead that arrives by phone or at
// the door goes into the queue at once, assigned to the rep adding it.
type addForm struct {
	fields []textinput.Model
	focus  int
	err    string
	saving bool
}

// The add form's fields, in order.
const (
	addName = iota
	addCompany
	addEmail
	addPhone
	addSource
)

var addLabels = []string{"name", "company", "email", "phone", "source"}

func newAddForm(st *Styles) *addForm {
	f := &addForm{}
	placeholders := []string{"required", "", "", "with country code, or in the team's region", "e.g. walk-in, phone"}
	for i := range addLabels {
		in := textinput.New()
		in.Prompt = ""
		in.Placeholder = placeholders[i]
		in.CharLimit = 200
		in.PlaceholderStyle, in.TextStyle = st.Dim, st.Row
		in.Cursor.Style, in.Cursor.TextStyle = st.Row, st.Row
		in.Cursor.SetMode(cursor.CursorStatic)
		f.fields = append(f.fields, in)
	}
	f.fields[addName].Focus()
	return f
}

// update handles a key; submit is true when the rep confirmed.
func (f *addForm) update(msg tea.KeyMsg) (submit bool, cmd tea.Cmd) {
	switch msg.String() {
	case "tab", "down":
		return false, f.move(1)
	case "shift+tab", "up":
		return false, f.move(-1)
	case "enter":
		if f.focus < len(f.fields)-1 {
			return false, f.move(1)
		}
		return !f.saving, nil
	case "ctrl+s":
		return !f.saving, nil
	}
	f.fields[f.focus], cmd = f.fields[f.focus].Update(msg)
	return false, cmd
}

func (f *addForm) move(d int) tea.Cmd {
	f.fields[f.focus].Blur()
	f.focus = (f.focus + d + len(f.fields)) % len(f.fields)
	return f.fields[f.focus].Focus()
}

// lead builds the lead the form describes, or says what is wrong.
func (f *addForm) lead(rep, region string, now time.Time) (cadence.Lead, error) {
	v := func(i int) string { return strings.TrimSpace(f.fields[i].Value()) }
	l := cadence.Lead{Name: v(addName), Company: v(addCompany), Source: v(addSource), Owner: rep,
		ReceivedAt: now, EnteredAt: now, AssignedAt: now, Interactions: 1}
	if l.Name == "" {
		return l, fmt.Errorf("a lead needs a name")
	}
	var err error
	if l.Email, err = contact.Email(v(addEmail)); err != nil {
		return l, err
	}
	if l.Phone, err = contact.Phone(v(addPhone), region); err != nil {
		return l, err
	}
	if l.Phone != "" {
		l.Timezone = contact.TimezoneOf(l.Phone)
	}
	return l, nil
}

func (f *addForm) view(st *Styles, width int) string {
	var b strings.Builder
	b.WriteString(st.Title.Render("Add a lead") + "\n")
	for i, in := range f.fields {
		b.WriteString(st.Label.Render(fmt.Sprintf("%-9s", addLabels[i])) + in.View() + "\n")
	}
	switch {
	case f.err != "":
		b.WriteString(st.Error.Render(clip(f.err, width)))
	case f.saving:
		b.WriteString(st.Dim.Render("saving…"))
	default:
		b.WriteString(st.Footer.Render("tab moves · enter on the last field (or ctrl+s) adds · esc cancels"))
	}
	return b.String()
}

// Messages of the add form.
type (
	leadAddedMsg     struct{ lead cadence.Lead }
	leadAddFailedMsg struct{ err error }
)

// updateAdd handles keys while the add form is open.
func (m Model) updateAdd(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.String() == "esc" {
		m.adding = nil
		return m, nil
	}
	submit, cmd := m.adding.update(msg)
	if !submit {
		return m, cmd
	}
	m.now = m.opts.Now()
	l, err := m.adding.lead(m.opts.Rep, m.opts.PhoneRegion, m.now)
	if err != nil {
		m.adding.err = err.Error()
		return m, nil
	}
	m.adding.saving, m.adding.err = true, ""
	s := m.opts.Writer
	return m, func() tea.Msg {
		added, err := s.AddLead(l)
		if err != nil {
			return leadAddFailedMsg{err}
		}
		return leadAddedMsg{added}
	}
}

// updateAdded handles the add form's results; ok is false for any other message.
func (m Model) updateAdded(msg tea.Msg) (next Model, cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case leadAddedMsg:
		if m.adding != nil && m.adding.saving {
			m.adding = nil
		}
		m.queue.update(msg.lead, m.now)
		m.status = fmt.Sprintf("added %s (lead %d) to your queue", msg.lead.Name, msg.lead.ID)
		return m, m.loadCmd(), true
	case leadAddFailedMsg:
		if m.adding != nil && m.adding.saving {
			m.adding.saving = false
			m.adding.err = msg.err.Error() + " — nothing was saved"
		} else {
			m.err = "adding the lead failed: " + msg.err.Error() + " — nothing was saved"
		}
		return m, nil, true
	}
	return m, nil, false
}
