package ui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// Options configure a rep's workstation.
type Options struct {
	Renderer *lipgloss.Renderer
	// Store is what the screen reads; Writer what it writes, nil for a
	// read-only session: every write key is then disabled and hidden.
	Store       Reader
	Writer      Writer
	Policy      cadence.Policy
	Rep         string
	OutcomeKeys map[cadence.Outcome]string
	// Now is the clock; the screen re-reads it every second.
	Now func() time.Time
	// Tick is how often the clock ticks; zero means at the turn of every
	// minute (the finest thing shown), and a negative value never (tests
	// drive time themselves).
	Tick time.Duration
	// Changes carries the id of every lead another writer changed, for
	// live updates (nil: none).
	Changes <-chan cadence.LeadID
	// PhoneRegion reads phone numbers written without a country code
	// (ISO 3166, e.g. "US").
	PhoneRegion string
	// After delivers msg after d (the draft-saving debounce); nil means a
	// real timer. Tests deliver at once.
	After func(d time.Duration, msg tea.Msg) tea.Cmd
	// Status is a line to show when the screen opens (e.g. that an import
	// cut short was taken back on opening); it goes at the first key.
	Status string
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
	opts       Options
	styles     Styles
	keys       KeyMap
	help       help.Model
	queue      queuePane
	touches    map[cadence.LeadID][]cadence.Touch
	events     map[cadence.LeadID][]store.Event
	form       *outcomeForm
	notes      notesPane
	now        time.Time
	width      int
	height     int
	focus      int // 0 queue, 1 detail, 2 notes (narrow terminals show one at a time)
	full       bool
	quiting    bool             // asked to confirm quitting with an unsaved note
	footer     string           // the short help, drawn once per size
	editorSize [2]int           // the note editor's width and height
	search     *textinput.Model // the search being typed, or nil
	adding     *addForm         // the lead being added, or nil
	searching  bool             // a search runs
	status     string
	err        string
}

// New reads the rep's queue (its keys, and the first page of leads) and
// returns the model, ready for tea.NewProgram.
func New(opts Options) (Model, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Policy.Calendar.Location == nil {
		opts.Policy.Calendar.Location = time.UTC // as cadence reads a nil zone
	}
	if opts.After == nil {
		opts.After = func(d time.Duration, msg tea.Msg) tea.Cmd {
			return tea.Tick(d, func(time.Time) tea.Msg { return msg })
		}
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
		keys:    NewKeyMap(opts.OutcomeKeys, opts.Writer == nil),
		help:    h,
		queue:   newQueuePane(keys, leads),
		touches: map[cadence.LeadID][]cadence.Touch{},
		events:  map[cadence.LeadID][]store.Event{},
		notes:   newNotesPane(),
		now:     opts.Now(),
		width:   80,
		height:  24,
		status:  opts.Status,
	}
	m.layout()
	return m, nil
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.tickCmd(), m.loadCmd(), waitForChange(m.opts.Changes))
}

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if next, cmd, ok := m.updateNotes(msg); ok {
		return next, cmd
	}
	if next, cmd, ok := m.updateLive(msg); ok {
		return next, cmd
	}
	if next, cmd, ok := m.updateAdded(msg); ok {
		return next, cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, m.loadCmd()
	case tickMsg:
		m.now = m.opts.Now()
		if m.queue.tier != nil {
			m.queue.refilter(m.now) // leads fall due as the clock moves
		}
		return m, tea.Batch(m.tickCmd(), m.loadCmd())
	case searchedMsg:
		m.searching = false
		m.queue.query, m.queue.match = msg.query, make(map[cadence.LeadID]bool, len(msg.ids))
		for _, id := range msg.ids {
			m.queue.match[id] = true
		}
		m.queue.cursor, m.queue.offset = 0, 0
		m.queue.refilter(m.now)
		m.status = fmt.Sprintf("%d found", len(m.queue.keys))
		return m, m.loadCmd()
	case leadsLoadedMsg:
		m.queue.remember(msg.leads)
		return m, m.loadCmd()
	case touchesMsg:
		m.touches[msg.id] = msg.touches
		m.events[msg.id] = msg.events
		return m, nil
	case loadFailedMsg:
		m.err = msg.err.Error()
		return m, nil
	case loggedMsg:
		if m.form != nil && m.form.saving && m.form.lead.ID == msg.lead.ID {
			m.form = nil // this form's write; a form opened since stays
		}
		m.queue.update(msg.lead, m.now)
		delete(m.touches, msg.lead.ID)
		m.status = fmt.Sprintf("logged %s on %s", msg.touch.Outcome.Label(), msg.lead.Name)
		if msg.lead.IsOpen() {
			m.status += "; next " + m.opts.Policy.NextAction(&msg.lead, m.now).StepText() +
				", " + msg.lead.NextDue.In(m.opts.Policy.Calendar.Location).Format("Mon Jan 2 15:04")
		} else {
			m.status += "; closed (" + msg.lead.Status.String() + ")"
		}
		m.err = ""
		return m, m.loadCmd()
	case logFailedMsg:
		if m.form != nil && m.form.saving {
			m.form.saving = false
			m.form.err = msg.err.Error() + " — nothing was saved; fix and press enter again"
		} else {
			m.err = msg.err.Error() + " — nothing was saved"
		}
		return m, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 {
			return m.updateRunes(msg)
		}
		return m.updateKey(msg)
	}
	return m, nil
}

// updateRunes handles typed text that arrived in one piece (fast typing,
// a paste, an SSH packet) one character at a time: as a whole, a word such
// as "left" or "end" would read as the name of an arrow key.
func (m Model) updateRunes(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	var next tea.Model = m
	for _, r := range msg.Runes {
		var cmd tea.Cmd
		next, cmd = next.(Model).updateKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt, Paste: msg.Paste})
		cmds = append(cmds, cmd)
	}
	return next, tea.Batch(cmds...)
}

func (m Model) updateKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if m.quiting {
		switch msg.String() {
		case "y", "Y", "q":
			flush := m.flushDraft()
			return m, tea.Sequence(flush, tea.Quit)
		default:
			m.quiting = false
			return m, nil
		}
	}
	if m.notes.editing {
		return m.updateEditor(msg)
	}
	if m.search != nil {
		return m.updateSearch(msg)
	}
	if m.adding != nil {
		return m.updateAdd(msg)
	}
	if m.form != nil {
		if msg.String() == "esc" {
			m.form = nil
			return m, nil
		}
		m.now = m.opts.Now()
		submit, cmd := m.form.update(msg, m.now, m.opts.Policy.Calendar.Location)
		m.form.warn = m.attemptWarning(&m.form.lead, m.form.outcome, m.form.channel)
		if submit {
			t, _ := m.form.touch(m.now, m.opts.Policy.Calendar.Location)
			t.Rep = m.opts.Rep
			m.form.saving = true
			return m, m.logCmd(t)
		}
		return m, cmd
	}
	if m.full {
		m.full = false
		return m, nil
	}
	k := m.keys
	if m.width < minWidth || m.height < minHeight {
		// Nothing on screen says what a key would do: only quitting works.
		if key.Matches(msg, k.Quit) {
			return m, tea.Quit
		}
		return m, nil
	}
	if msg.Paste {
		m.status = "pasted text is not keys: open a note (e) or a form to paste into it"
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Quit):
		if m.notes.text() != "" {
			m.quiting = true
			return m, nil
		}
		return m, tea.Quit
	case key.Matches(msg, k.Note):
		return m.startNote()
	case key.Matches(msg, k.Add):
		m.adding = newAddForm(&m.styles)
		return m, nil
	case key.Matches(msg, k.Search):
		return m.startSearch()
	case key.Matches(msg, k.Filter):
		m.queue.tier = nextTierFilter(m.queue.tier)
		m.queue.cursor, m.queue.offset = 0, 0
		m.queue.refilter(m.now)
	case key.Matches(msg, k.Clear):
		// Show all again, staying on the lead the search or filter found.
		sel, ok := m.queue.selected()
		m.queue.tier, m.queue.match, m.queue.query = nil, nil, ""
		m.queue.refilter(m.now)
		if ok {
			m.queue.moveToLead(sel.ID)
		}
	case key.Matches(msg, k.Open):
		m.focus = 1
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
		m.focus = (m.focus + 1) % 3
	case key.Matches(msg, k.ShiftTab):
		m.focus = (m.focus + 2) % 3
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
