package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/followuphq/followup/cadence"
)

// Options configure a rep's workstation.
type Options struct {
	Renderer    *lipgloss.Renderer
	Store       Writer
	Policy      cadence.Policy
	Rep         string
	OutcomeKeys map[cadence.Outcome]string
	// Now is the clock; the screen re-reads it every second.
	Now func() time.Time
	// Tick is how often the clock ticks; zero means every second, and a
	// negative value never (tests drive time themselves).
	Tick time.Duration
}

// Minimum terminal size, and the width from which three panes show.
const (
	minWidth   = 60
	minHeight  = 16
	splitWidth = 100
)

// Model is the rep's workstation: the queue on the left, the selected
// lead's detail on the right (or one pane with tabs in a narrow terminal).
type Model struct {
	opts    Options
	styles  Styles
	keys    KeyMap
	help    help.Model
	queue   queuePane
	touches map[cadence.LeadID][]cadence.Touch
	form    *outcomeForm
	now     time.Time
	width   int
	height  int
	focus   int // 0 queue, 1 detail (narrow terminals show one at a time)
	full    bool
	status  string
	err     string
}

// New reads the rep's queue (its keys, and the first page of leads) and
// returns the model, ready for tea.NewProgram.
func New(opts Options) (Model, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	keys, err := opts.Store.QueueKeys(opts.Rep)
	if err != nil {
		return Model{}, err
	}
	first := make([]cadence.LeadID, 0, 60)
	for i := 0; i < len(keys) && i < 60; i++ {
		first = append(first, keys[i].ID)
	}
	leads, err := opts.Store.Leads(first)
	if err != nil {
		return Model{}, err
	}
	st := NewStyles(opts.Renderer)
	h := help.New()
	h.Styles.ShortKey, h.Styles.FullKey = st.Key, st.Key
	h.Styles.ShortDesc, h.Styles.FullDesc = st.Footer, st.Footer
	h.Styles.ShortSeparator, h.Styles.FullSeparator = st.Dim, st.Dim
	h.Styles.Ellipsis = st.Dim
	m := Model{
		opts:    opts,
		styles:  st,
		keys:    NewKeyMap(opts.OutcomeKeys, false),
		help:    h,
		queue:   newQueuePane(keys, leads),
		touches: map[cadence.LeadID][]cadence.Touch{},
		now:     opts.Now(),
		width:   80,
		height:  24,
	}
	m.layout()
	return m, nil
}

// Messages.
type (
	tickMsg        time.Time
	leadsLoadedMsg struct{ leads []cadence.Lead }
	touchesMsg     struct {
		id      cadence.LeadID
		touches []cadence.Touch
	}
	loggedMsg struct {
		old   cadence.QueueKey
		lead  cadence.Lead
		touch cadence.Touch
	}
	logFailedMsg  struct{ err error }
	loadFailedMsg struct{ err error }
)

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return tea.Batch(m.tickCmd(), m.loadCmd()) }

func (m Model) tickCmd() tea.Cmd {
	d := m.opts.Tick
	if d < 0 {
		return nil
	}
	if d == 0 {
		d = time.Second
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
				return touchesMsg{id, ts}
			})
		}
	}
	return tea.Batch(cmds...)
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

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, m.loadCmd()
	case tickMsg:
		m.now = m.opts.Now()
		return m, m.tickCmd()
	case leadsLoadedMsg:
		m.queue.remember(msg.leads)
		return m, m.loadCmd()
	case touchesMsg:
		m.touches[msg.id] = msg.touches
		return m, nil
	case loadFailedMsg:
		m.err = msg.err.Error()
		return m, nil
	case loggedMsg:
		m.form = nil
		m.queue.update(msg.old, msg.lead)
		delete(m.touches, msg.lead.ID)
		m.status = fmt.Sprintf("logged %s on %s", msg.touch.Outcome.Label(), msg.lead.Name)
		if msg.lead.IsOpen() {
			m.status += "; next " + m.opts.Policy.NextAction(&msg.lead, m.now).StepText()
		} else {
			m.status += "; closed (" + msg.lead.Status.String() + ")"
		}
		m.err = ""
		return m, m.loadCmd()
	case logFailedMsg:
		if m.form != nil {
			m.form.saving = false
			m.form.err = msg.err.Error() + " — nothing was saved; fix and press enter again"
		}
		return m, nil
	case tea.KeyMsg:
		return m.updateKey(msg)
	}
	return m, nil
}

func (m Model) updateKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if m.form != nil {
		if msg.String() == "esc" {
			m.form = nil
			return m, nil
		}
		m.now = m.opts.Now()
		submit, cmd := m.form.update(msg, m.now, m.opts.Policy.Calendar.Location)
		if submit {
			t, _ := m.form.touch(m.now, m.opts.Policy.Calendar.Location)
			t.Rep = m.opts.Rep
			m.form.saving = true
			return m, m.logCmd(cadence.KeyOf(&m.form.lead), t)
		}
		return m, cmd
	}
	if m.full {
		m.full = false
		return m, nil
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.full = true
	case key.Matches(msg, k.Down):
		m.queue.moveTo(m.queue.cursor + 1)
	case key.Matches(msg, k.Up):
		m.queue.moveTo(m.queue.cursor - 1)
	case key.Matches(msg, k.Top):
		m.queue.moveTo(0)
	case key.Matches(msg, k.Bottom):
		m.queue.moveTo(len(m.queue.keys) - 1)
	case key.Matches(msg, k.PageDown):
		m.queue.moveTo(m.queue.cursor + m.queue.rows)
	case key.Matches(msg, k.PageUp):
		m.queue.moveTo(m.queue.cursor - m.queue.rows)
	case key.Matches(msg, k.Tab):
		m.focus = 1 - m.focus
	default:
		for _, o := range cadence.Outcomes {
			if key.Matches(msg, k.Outcomes[o]) {
				return m.openForm(o)
			}
		}
		return m, nil
	}
	m.status = ""
	return m, m.loadCmd()
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
	m.form = f
	return m, nil
}

// layout sizes the panes for the terminal.
func (m *Model) layout() {
	m.queue.rows = max(1, m.height-7) // header, status, footer, borders, the queue title
	m.queue.moveTo(m.queue.cursor)
	m.help.Width = m.width
}

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
	var body string
	sel, haveSel := m.queue.selected()
	detail := func(w int) string {
		if !haveSel {
			return st.Dim.Render("No lead selected.")
		}
		ts, loaded := m.touches[sel.ID]
		return detailView(st, &m.opts.Policy, &sel, ts, loaded, m.now, w, bodyH-2)
	}
	if len(m.queue.keys) == 0 {
		body = st.Pane.Width(m.width - 2).Height(bodyH - 2).Render(st.OK.Render("Your queue is empty: every lead is closed. Nice work."))
	} else if m.width >= splitWidth {
		left := m.width * 11 / 20
		right := m.width - left
		q := m.queue.view(st, &m.opts.Policy, m.now, left-4)
		body = lipgloss.JoinHorizontal(lipgloss.Top,
			m.pane(0).Width(left-2).Height(bodyH-2).Render(q),
			m.pane(1).Width(right-2).Height(bodyH-2).Render(detail(right-4)))
	} else if m.focus == 0 {
		body = m.pane(0).Width(m.width - 2).Height(bodyH - 2).Render(m.queue.view(st, &m.opts.Policy, m.now, m.width-4))
	} else {
		body = m.pane(1).Width(m.width - 2).Height(bodyH - 2).Render(detail(m.width - 4))
	}
	if m.form != nil {
		body = lipgloss.Place(m.width, bodyH, lipgloss.Center, lipgloss.Center,
			st.PaneFocused.Width(min(m.width-4, 72)).Render(m.form.view(st, min(m.width-8, 68))))
	}
	footer := m.help.ShortHelpView(m.keys.ShortHelp())
	status := st.Dim.Render(m.status)
	if m.err != "" {
		status = st.Error.Render(m.err)
	}
	return strings.Join([]string{header, body, status, footer}, "\n")
}

func (m Model) pane(i int) lipgloss.Style {
	if m.focus == i && m.width < splitWidth || i == 0 && m.width >= splitWidth {
		return m.styles.PaneFocused
	}
	return m.styles.Pane
}
