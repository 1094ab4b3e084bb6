package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/report"
	"github.com/followuphq/followup/store"
)

// TeamReader is what the compliance view reads: the team, every queue,
// the touch log's activity, and every lead's history for the report's
// charts. It has no write method.
type TeamReader interface {
	Reader
	Reps() ([]cadence.Rep, error)
	Activity(since time.Time) (map[string]store.RepActivity, error)
	FirstContactsSince(since time.Time) ([]store.FirstContact, error)
	ScanHistories(want func(*store.LeadHistory) bool, fn func(*store.LeadHistory) error) error
}

// ComplianceOptions configure a manager's compliance view.
type ComplianceOptions struct {
	Renderer    *lipgloss.Renderer
	Store       TeamReader
	Policy      cadence.Policy
	Manager     string
	OutcomeKeys map[cadence.Outcome]string
	Now         func() time.Time
	Changes     <-chan cadence.LeadID
	// Goals are the team's targets ([goals]), marked met or missed in the
	// view's headline of figures.
	Goals report.Goals
}

// RepStatus is one rep's line of the daily check.
type RepStatus struct {
	Rep         string
	Open        int
	Untouched   int
	SLABreached int // untouched past their first-response time, now
	BreachedDay int // SLA breaches today: untouched past due since midnight, and first contacts today that came late
	Overdue     int // touched, next touch due before now
	TouchesDay  int // touches logged since the start of today
	Last        time.Time
}

// Compliance is the manager's read-only view: per rep, what was and was
// not followed up; enter drills into a rep's queue (read-only too).
type Compliance struct {
	opts    ComplianceOptions
	styles  Styles
	rows    []RepStatus
	total   RepStatus
	cursor  int
	width   int
	height  int
	now     time.Time
	loading bool
	err     string
	queue   *Model // a rep's queue, drilled into
	charts  chartsState
	// after returns a command that sends msg once d has passed: tea.Tick,
	// replaced in tests (which do not wait).
	after func(d time.Duration, msg func(time.Time) tea.Msg) tea.Cmd
}

type complianceMsg struct {
	rows []RepStatus
	err  error
}

// NewCompliance returns the view; it reads the figures in Init.
func NewCompliance(opts ComplianceOptions) Compliance {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Policy.Calendar.Location == nil {
		opts.Policy.Calendar.Location = time.UTC
	}
	now := opts.Now()
	return Compliance{opts: opts, styles: NewStyles(opts.Renderer), width: 80, height: 24, now: now, loading: true,
		charts: chartsState{running: true, askedAt: now}, after: tea.Tick}
}

// Init implements tea.Model: it counts the queues and starts the report
// the charts draw.
func (c Compliance) Init() tea.Cmd {
	return tea.Batch(c.loadCmd(), c.reportCmd(c.charts.askedAt), waitForChange(c.opts.Changes))
}

// loadCmd counts every rep's queue from the index keys, and today's
// touches from the touch log.
func (c Compliance) loadCmd() tea.Cmd {
	s, p, now := c.opts.Store, c.opts.Policy, c.opts.Now()
	return func() tea.Msg {
		reps, err := s.Reps()
		if err != nil {
			return complianceMsg{err: err}
		}
		local := now.In(p.Calendar.Location)
		today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, local.Location())
		activity, err := s.Activity(today)
		if err != nil {
			return complianceMsg{err: err}
		}
		firsts, err := s.FirstContactsSince(today)
		if err != nil {
			return complianceMsg{err: err}
		}
		lateToday := map[string]int{}
		for _, fc := range firsts {
			if l := (cadence.Lead{ReceivedAt: fc.ReceivedAt}); fc.FirstContactAt.After(p.SLADue(&l)) {
				lateToday[fc.Owner]++
			}
		}
		var rows []RepStatus
		for _, r := range reps {
			if r.Role != cadence.RoleRep {
				continue
			}
			keys, err := s.QueueKeys(r.Name)
			if err != nil {
				return complianceMsg{err: err}
			}
			st := RepStatus{Rep: r.Name, Open: len(keys), TouchesDay: activity[r.Name].Touches, Last: activity[r.Name].Last,
				BreachedDay: lateToday[r.Name]}
			for _, k := range keys {
				switch {
				case !k.Touched:
					st.Untouched++
					// An untouched lead's key time is its receipt.
					if l := (cadence.Lead{ReceivedAt: k.At}); now.After(p.SLADue(&l)) {
						st.SLABreached++
						if !p.SLADue(&l).Before(today) {
							st.BreachedDay++
						}
					}
				case !k.At.After(now):
					st.Overdue++
				}
			}
			rows = append(rows, st)
		}
		return complianceMsg{rows: rows}
	}
}

// Update implements tea.Model.
func (c Compliance) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if cmd, ok := c.updateCharts(msg); ok {
		return c, cmd
	}
	if c.queue != nil {
		if ch, ok := msg.(changedMsg); ok {
			// The view keeps the subscription: re-arm it, and have the
			// open queue re-read the lead.
			return c, tea.Batch(waitForChange(c.opts.Changes), reloadCmd(c.opts.Store, ch.id), c.reportAfterChange())
		}
		if k, ok := msg.(tea.KeyMsg); ok && k.String() == "q" && c.queue.search == nil {
			c.queue = nil // back to the team
			return c, c.loadCmd()
		}
		next, cmd := c.queue.Update(msg)
		q := next.(Model)
		c.queue = &q
		return c, cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		c.width, c.height = msg.Width, msg.Height
	case complianceMsg:
		c.loading = false
		c.now = c.opts.Now()
		if msg.err != nil {
			c.err = msg.err.Error()
			return c, nil
		}
		c.rows, c.err = msg.rows, ""
		c.total = RepStatus{Rep: "team"}
		for _, r := range c.rows {
			c.total.Open += r.Open
			c.total.Untouched += r.Untouched
			c.total.SLABreached += r.SLABreached
			c.total.BreachedDay += r.BreachedDay
			c.total.Overdue += r.Overdue
			c.total.TouchesDay += r.TouchesDay
			if r.Last.After(c.total.Last) {
				c.total.Last = r.Last
			}
		}
		c.cursor = min(c.cursor, max(len(c.rows)-1, 0))
	case changedMsg:
		// Another session wrote: count again (the counts are cheap; the
		// report is not, and runs at most once a minute).
		return c, tea.Batch(waitForChange(c.opts.Changes), c.loadCmd(), c.reportAfterChange())
	case tea.KeyMsg:
		switch msg.String() {
		case "q", "ctrl+c":
			return c, tea.Quit
		case "j", "down":
			c.cursor = min(c.cursor+1, max(len(c.rows)-1, 0))
		case "k", "up":
			c.cursor = max(c.cursor-1, 0)
		case "r":
			c.loading = true
			if c.charts.running {
				return c, c.loadCmd()
			}
			return c, tea.Batch(c.loadCmd(), c.startReport())
		case "enter":
			if c.cursor < len(c.rows) {
				return c.drill(c.rows[c.cursor].Rep)
			}
		}
	}
	return c, nil
}

// drill opens a rep's queue, read-only: no writer is handed to it.
func (c Compliance) drill(rep string) (tea.Model, tea.Cmd) {
	m, err := New(Options{Renderer: c.opts.Renderer, Store: c.opts.Store, Policy: c.opts.Policy, Rep: rep,
		OutcomeKeys: c.opts.OutcomeKeys, Now: c.opts.Now})
	if err != nil {
		c.err = err.Error()
		return c, nil
	}
	next, cmd := m.Update(tea.WindowSizeMsg{Width: c.width, Height: c.height})
	q := next.(Model)
	q.status = "read-only view of " + rep + "'s queue · q goes back to the team"
	c.queue = &q
	return c, tea.Batch(cmd, q.Init())
}

// View implements tea.Model.
func (c Compliance) View() string {
	if c.queue != nil {
		return c.queue.View()
	}
	st := &c.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("followup · compliance") + st.Dim.Render(" · "+c.opts.Manager+" · "+
		c.now.In(c.opts.Policy.Calendar.Location).Format("Mon Jan 2 15:04")+" · read-only") + "\n\n")
	switch {
	case c.err != "":
		b.WriteString(st.Error.Render(c.err) + "\n")
	case c.loading && c.rows == nil:
		b.WriteString(st.Dim.Render("counting…") + "\n")
	}
	header := fmt.Sprintf("%-16s %8s %10s %13s %15s %8s %14s  %s", "REP", "OPEN", "UNTOUCHED", "SLA BREACHED", "BREACHED TODAY", "OVERDUE", "TOUCHES TODAY", "LAST ACTIVITY")
	b.WriteString(st.Header.Render(clip(header, c.width)) + "\n")
	line := func(r RepStatus) string {
		last := "never"
		if !r.Last.IsZero() {
			last = cadence.HumanDuration(c.now.Sub(r.Last)) + " ago"
		}
		return fmt.Sprintf("%-16s %8d %10d %13d %15d %8d %14d  %s", clip(r.Rep, 16), r.Open, r.Untouched, r.SLABreached, r.BreachedDay, r.Overdue, r.TouchesDay, last)
	}
	b.WriteString(st.Title.Render(clip(line(c.total), c.width)) + "\n")
	for i, r := range c.rows {
		text := clip(line(r), c.width-2)
		switch {
		case i == c.cursor:
			b.WriteString(st.Selected.Render("▸ "+text) + "\n")
		case r.SLABreached > 0 || r.Untouched > 0 && r.TouchesDay == 0:
			b.WriteString("  " + st.Warn.Render(text) + "\n")
		default:
			b.WriteString("  " + text + "\n")
		}
	}
	// The charts take the lines the table leaves, above the footer.
	used := strings.Count(b.String(), "\n") + 2 // the footer and the blank line over it
	if charts := c.chartLines(c.width, c.height-used-1); len(charts) > 0 {
		b.WriteString("\n" + strings.Join(charts, "\n") + "\n")
	}
	b.WriteString("\n" + st.Footer.Render(clip("j/k move • enter open a rep's queue (read-only) • r recount • q quit", c.width)))
	return b.String()
}

// ReadOnlyFilter is a last guard for a read-only program: it drops every
// key that would write in the workstation (outcome keys, e, a, ctrl+s),
// whatever the screen does with keys.
func ReadOnlyFilter(outcomeKeys map[cadence.Outcome]string) func(tea.Model, tea.Msg) tea.Msg {
	write := key.NewBinding(key.WithKeys("e", "a", "ctrl+s", "ctrl+n"))
	var outcomes []string
	for _, k := range outcomeKeys {
		outcomes = append(outcomes, k)
	}
	outcome := key.NewBinding(key.WithKeys(outcomes...))
	return func(m tea.Model, msg tea.Msg) tea.Msg {
		k, ok := msg.(tea.KeyMsg)
		if !ok || searching(m) {
			return msg // text typed into the search prompt is not a command
		}
		if key.Matches(k, write) || key.Matches(k, outcome) {
			return nil
		}
		return msg
	}
}

// searching reports whether the screen's search prompt is open.
func searching(m tea.Model) bool {
	switch m := m.(type) {
	case Model:
		return m.search != nil
	case Compliance:
		return m.queue != nil && m.queue.search != nil
	}
	return false
}
