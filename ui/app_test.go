package ui

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// updating reports whether -update was given (the flag is defined by
// teatest's golden package, which this package's tests link).
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

var ny = func() *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	return loc
}()

// monday is the fixed clock of these tests: Monday 2026-11-23 10:15 New York.
var monday = time.Date(2026, 11, 23, 10, 15, 0, 0, ny)

// fixture opens a real store with one rep and a queue that has every tier:
// an untouched lead with a breached SLA, an untouched one within its SLA, a
// lead in Los Angeles (07:15 there: not callable), a due lead and a
// scheduled one.
func fixture(t *testing.T) (*store.Store, cadence.Policy) {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "ui.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := cadence.DefaultPolicy(ny)
	if err := s.AddRep(cadence.Rep{Name: "alice", Role: cadence.RoleRep}); err != nil {
		t.Fatal(err)
	}
	add := func(name, company, phone, tz string, received time.Time) cadence.Lead {
		l, err := s.AddLead(cadence.Lead{Name: name, Company: company, Phone: phone, Email: strings.ToLower(strings.Fields(name)[0]) + "@example.com",
			Timezone: tz, ReceivedAt: received, EnteredAt: received, AssignedAt: received, Owner: "alice", Interactions: 1})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	logAt := func(l cadence.Lead, at time.Time, o cadence.Outcome) {
		if _, _, err := s.LogTouch(p, cadence.Touch{LeadID: l.ID, At: at, Rep: "alice", Channel: cadence.Call, Outcome: o}); err != nil {
			t.Fatal(err)
		}
	}
	add("Dana Scully", "Acme Inc", "+13125550142", "America/Chicago", monday.Add(-3*time.Hour))
	add("Fox Mulder", "Globex Corp", "+12125550100", "America/New_York", monday.Add(-10*time.Minute))
	add("Walter Skinner", "Hooli", "+12135550101", "America/Los_Angeles", monday.Add(-20*time.Minute))
	due := add("Monica Reyes", "Initech", "+13125550143", "America/Chicago", monday.Add(-72*time.Hour))
	logAt(due, monday.Add(-71*time.Hour), cadence.NoAnswer)
	later := add("John Doggett", "Umbrella LLC", "+13125550144", "America/Chicago", monday.Add(-2*time.Hour))
	logAt(later, monday.Add(-time.Hour), cadence.Voicemail)
	return s, p
}

// testOptions are the options every test starts from: alice's workstation
// on the fixture, a plain (Ascii) renderer, the default keys, the fixed
// clock and no ticking.
func testOptions(s *store.Store, p cadence.Policy) Options {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	keys := map[cadence.Outcome]string{}
	for _, o := range cadence.Outcomes {
		keys[o] = o.DefaultKey()
	}
	return Options{Renderer: r, Store: s, Writer: s, Policy: p, Rep: "alice", OutcomeKeys: keys,
		Now: func() time.Time { return monday }, Tick: -1}
}

func newModel(t *testing.T, s *store.Store, p cadence.Policy, w, h int) Model {
	t.Helper()
	opts := testOptions(s, p)
	// The draft debounce fires at once: no test sleeps.
	opts.After = func(_ time.Duration, msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	next, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return run(t, next.(Model), nil)
}

// run applies msg, then every command it returns (synchronously, as the
// program would), until none is left.
func run(t *testing.T, m Model, msg tea.Msg) Model {
	t.Helper()
	queue := []tea.Msg{msg}
	if msg == nil {
		queue = []tea.Msg{nil}
		queue = queue[:0]
		if cmd := m.loadCmd(); cmd != nil {
			queue = append(queue, cmd())
		}
	}
	for len(queue) > 0 {
		msg, queue = queue[0], queue[1:]
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, c := range batch {
				if c != nil {
					queue = append(queue, c())
				}
			}
			continue
		}
		if msg == nil {
			continue
		}
		next, cmd := m.Update(msg)
		m = next.(Model)
		if cmd != nil {
			queue = append(queue, cmd())
		}
	}
	return m
}

func keys(t *testing.T, m Model, ks ...string) Model {
	t.Helper()
	for _, k := range ks {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "ctrl+s":
			msg = tea.KeyMsg{Type: tea.KeyCtrlS}
		case "ctrl+c":
			msg = tea.KeyMsg{Type: tea.KeyCtrlC}
		case "tab":
			msg = tea.KeyMsg{Type: tea.KeyTab}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		m = run(t, m, msg)
	}
	return m
}

func names(m Model) []string {
	var out []string
	for _, k := range m.queue.keys {
		out = append(out, m.queue.cache[k.ID].Name)
	}
	return out
}

func TestQueueOrderMatchesTheStore(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	want, err := s.Queue("alice", 0)
	if err != nil {
		t.Fatal(err)
	}
	got := names(m)
	for i, l := range want {
		if got[i] != l.Name {
			t.Fatalf("screen order %v differs from the store's at %d (%s)", got, i, l.Name)
		}
	}
	if got[0] != "Dana Scully" {
		t.Errorf("top row %q, want the oldest untouched lead", got[0])
	}
}

func TestNoAnswerMovesTheLeadDownAndIsOnDisk(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	top, _ := m.queue.selected()
	m = keys(t, m, "1", "called twice", "enter")
	if m.form != nil {
		t.Fatalf("form still open: %q", m.form.err)
	}
	if sel, _ := m.queue.selected(); sel.ID == top.ID {
		t.Errorf("the logged lead is still on top")
	}
	touches, err := s.Touches(top.ID)
	if err != nil || len(touches) != 1 {
		t.Fatalf("touches on disk: %v %v", touches, err)
	}
	if got := touches[0]; got.Outcome != cadence.NoAnswer || got.Note != "called twice" || got.Rep != "alice" || got.Channel != cadence.Call || !got.At.Equal(monday) {
		t.Errorf("touch on disk = %+v", got)
	}
	want, _ := s.Queue("alice", 0)
	for i, l := range want {
		if names(m)[i] != l.Name {
			t.Fatalf("after logging, screen order %v differs from the store's", names(m))
		}
	}
	if !strings.Contains(m.View(), "logged no answer on Dana Scully") {
		t.Errorf("no confirmation in the view")
	}
}

func TestNotNowAsksForADate(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	top, _ := m.queue.selected()
	m = keys(t, m, "5", "enter")
	if m.form == nil || !strings.Contains(m.form.err, "not a date") && !strings.Contains(m.form.err, "no date") {
		t.Fatalf("an empty date was accepted (form %v)", m.form)
	}
	m = keys(t, m, "tue 14:00", "enter")
	if m.form != nil {
		t.Fatalf("form still open: %s", m.form.err)
	}
	l, _ := s.Lead(top.ID)
	if want := time.Date(2026, 11, 24, 14, 0, 0, 0, ny); !l.NextDue.Equal(want) {
		t.Errorf("next due %v, want %v", l.NextDue, want)
	}
}

func TestLostNeedsAReasonAndDoNotContactConfirms(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	top, _ := m.queue.selected()
	m = keys(t, m, "9", "enter")
	if m.form == nil || m.form.err == "" {
		t.Fatal("lost without a reason was accepted")
	}
	if ts, _ := s.Touches(top.ID); len(ts) != 0 {
		t.Fatal("something was written")
	}
	m = keys(t, m, "never buying", "enter")
	if l, _ := s.Lead(top.ID); l.Status != cadence.StatusLost || l.LostReason != "never buying" {
		t.Errorf("lead after lost: %s %q", l.Status, l.LostReason)
	}
	for _, n := range names(m) {
		if n == top.Name {
			t.Errorf("the lost lead is still in the queue")
		}
	}
	next, _ := m.queue.selected()
	m = keys(t, m, "0")
	if !strings.Contains(m.View(), "Never contact "+next.Name+" again?") {
		t.Fatalf("do-not-contact did not ask to confirm:\n%s", m.View())
	}
	m = keys(t, m, "esc")
	if l, _ := s.Lead(next.ID); l.Status != cadence.StatusOpen {
		t.Errorf("esc did not cancel: %s", l.Status)
	}
}

func TestFailedWriteKeepsWhatWasTyped(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	s.Close() // every write now fails
	m = keys(t, m, "3", "wants a demo", "enter")
	if m.form == nil {
		t.Fatal("the form closed although nothing was saved")
	}
	if !strings.Contains(m.form.err, "nothing was saved") || m.form.note.Value() != "wants a demo" {
		t.Errorf("form after a failed write: err %q, note %q", m.form.err, m.form.note.Value())
	}
}

func TestMovingThroughTheQueue(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	m = keys(t, m, "j", "j")
	if m.queue.cursor != 2 {
		t.Errorf("cursor %d after j j", m.queue.cursor)
	}
	m = keys(t, m, "G")
	if m.queue.cursor != len(m.queue.keys)-1 {
		t.Errorf("G: cursor %d", m.queue.cursor)
	}
	m = keys(t, m, "g")
	if m.queue.cursor != 0 {
		t.Errorf("g: cursor %d", m.queue.cursor)
	}
	if m = keys(t, m, "q"); m.queue.cursor != 0 {
		t.Error("q changed state")
	}
}

func TestViewGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		w, h int
		keys []string
	}{
		{"queue-80x24", 80, 24, nil},
		{"queue-160x48", 160, 48, nil},
		{"detail-80x24", 80, 24, []string{"tab"}},
		{"help-160x48", 160, 48, []string{"?"}},
		{"notes-160x48", 160, 48, []string{"e", "asked for pricing"}},
		{"too-small", 50, 10, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, p := fixture(t)
			m := newModel(t, s, p, tc.w, tc.h)
			for _, k := range tc.keys {
				if k == "tab" {
					m = run(t, m, tea.KeyMsg{Type: tea.KeyTab})
				} else {
					m = keys(t, m, k)
				}
			}
			golden(t, tc.name, m.View())
		})
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("view differs from %s (run go test ./ui -update if the change is right):\n%s", path, got)
	}
}

// typeText sends text one key at a time, as a person types.
func typeText(t *testing.T, m Model, text string) Model {
	t.Helper()
	for _, r := range text {
		m = run(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return m
}

// A note being typed is in the store as a draft before it is saved, so a
// killed terminal loses nothing; the next session finds it in the editor.
func TestDraftSurvivesAKilledSession(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	top, _ := m.queue.selected()
	m = keys(t, m, "e")
	m = typeText(t, m, "promised a quote by friday")
	// The session dies here: no esc, no save.
	if d, err := s.Draft("alice", top.ID); err != nil || d != "promised a quote by friday" {
		t.Fatalf("draft on disk = %q, %v", d, err)
	}
	m2 := newModel(t, s, p, 160, 48)
	m2 = keys(t, m2, "e")
	if got := m2.notes.editor.Value(); got != "promised a quote by friday" {
		t.Fatalf("the next session's editor holds %q", got)
	}
	m2 = keys(t, m2, "ctrl+s")
	notes, _ := s.Notes(top.ID)
	if len(notes) != 1 || notes[0].Text != "promised a quote by friday" || notes[0].Rep != "alice" {
		t.Fatalf("notes on disk = %+v", notes)
	}
	if d, _ := s.Draft("alice", top.ID); d != "" {
		t.Errorf("the draft is still there after saving: %q", d)
	}
	if !strings.Contains(m2.View(), "promised a quote by friday") {
		t.Errorf("the saved note is not shown")
	}
}

func TestQuitAsksWhileANoteIsUnsaved(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	m = keys(t, m, "e")
	m = typeText(t, m, "half a thought")
	m = keys(t, m, "esc", "q")
	if !m.quiting || !strings.Contains(m.View(), "Quit anyway? y/n") {
		t.Fatalf("q did not ask:\n%s", m.View())
	}
	m = keys(t, m, "n")
	if m.quiting {
		t.Error("n did not cancel")
	}
}

// Text that arrives in one piece is typed, not read as key names: "left"
// is a word in a note, not the left arrow.
func TestTypedWordsAreNotKeyNames(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	keys(t, m, "1", "left", " ", "at the end", "enter")
	top, _ := s.Queue("alice", 0)
	var found bool
	for _, l := range top {
		ts, _ := s.Touches(l.ID)
		for _, tc := range ts {
			found = found || tc.Note == "left at the end"
		}
	}
	if !found {
		t.Errorf("the note was not saved as typed")
	}
}

// f cycles the tier filter; each tier shows exactly its leads, in order.
func TestTierFilter(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	want := map[cadence.Tier][]string{}
	for _, k := range m.queue.all {
		l := m.queue.cache[k.ID]
		tier := cadence.TierOf(&l, monday)
		want[tier] = append(want[tier], l.Name)
	}
	for _, tier := range []cadence.Tier{cadence.TierUntouched, cadence.TierDue, cadence.TierScheduled} {
		m = keys(t, m, "f")
		if got := names(m); strings.Join(got, ",") != strings.Join(want[tier], ",") {
			t.Errorf("filter %s shows %v, want %v", tier, got, want[tier])
		}
		if !strings.Contains(m.View(), "· "+tier.String()+" (esc shows all)") {
			t.Errorf("filter %s not named in the view", tier)
		}
	}
	m = keys(t, m, "f")
	if len(m.queue.keys) != len(m.queue.all) {
		t.Errorf("the fourth f did not show all again")
	}
}

// / searches the queue by name, company, email or phone digits.
func TestSearch(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	for _, tc := range []struct{ query, want string }{
		{"globex", "Fox Mulder"},
		{"SKINNER", "Walter Skinner"},
		{"555-0143", "Monica Reyes"},
		{"john@", "John Doggett"},
	} {
		m = keys(t, m, "/", tc.query, "enter")
		if got := names(m); len(got) != 1 || got[0] != tc.want {
			t.Errorf("search %q shows %v, want [%s]", tc.query, got, tc.want)
		}
	}
	m = keys(t, m, "esc")
	if len(m.queue.keys) != 5 {
		t.Errorf("esc did not clear the search: %v", names(m))
	}
	m = keys(t, m, "/", "nobody", "enter")
	if !strings.Contains(m.View(), "No lead matches.") {
		t.Errorf("an empty search result is not said:\n%s", m.View())
	}
}

// a adds a lead from the workstation; it lands in the queue at once, and
// on disk, with its phone normalised and its timezone guessed.
func TestAddALead(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	m.opts.PhoneRegion = "US"
	m = keys(t, m, "a", "enter")
	if m.adding == nil {
		t.Fatal("the add form closed")
	}
	m = keys(t, m, "ctrl+s")
	if m.adding == nil || m.adding.err != "a lead needs a name" {
		t.Fatalf("a nameless lead was accepted (%v)", m.adding)
	}
	m.adding.focus = 0
	m.adding.fields[0].Focus()
	m = keys(t, m, "Walk In", "tab", "Corner Shop", "tab", "tab", "(312) 555-0199", "tab", "walk-in", "enter")
	if m.adding != nil {
		t.Fatalf("the form is still open: %s", m.adding.err)
	}
	if got := names(m); got[0] != "Dana Scully" || !slices.Contains(got, "Walk In") {
		t.Errorf("queue after adding: %v", got)
	}
	var added cadence.Lead
	s.ForEachLead(func(l cadence.Lead) error {
		if l.Name == "Walk In" {
			added = l
		}
		return nil
	})
	if added.Phone != "+13125550199" || added.Timezone != "America/Chicago" || added.Owner != "alice" || !added.ReceivedAt.Equal(monday) {
		t.Errorf("lead on disk = %+v", added)
	}
}

// Below the minimum size nothing on screen says what a key does, so only
// quitting works; pasted text is not read as keys.
func TestKeysThatCannotBeSeenDoNothing(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 50, 10)
	if m = keys(t, m, "1"); m.form != nil {
		t.Error("an outcome form opened in a terminal too small to show it")
	}
	m = newModel(t, s, p, 160, 48)
	m = run(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjja"), Paste: true})
	if m.queue.cursor != 0 || m.adding != nil {
		t.Errorf("pasted text acted as keys: cursor %d, add form %v", m.queue.cursor, m.adding != nil)
	}
}

// esc after a search stays on the lead the search found.
func TestShowAllKeepsTheFoundLead(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	m = keys(t, m, "/", "doggett", "enter", "esc")
	if sel, _ := m.queue.selected(); sel.Name != "John Doggett" || len(m.queue.keys) != 5 {
		t.Errorf("after esc: %d shown, on %q", len(m.queue.keys), sel.Name)
	}
}

// A second no-answer right after the first breaks the minimum gap: the form
// says so before it is logged.
func TestRepeatedAttemptWarns(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	m = keys(t, m, "/", "doggett", "enter") // touched an hour ago
	m = keys(t, m, "1")
	if m.form == nil || !strings.Contains(m.form.warn, "minimum gap") || !strings.Contains(m.View(), "⚠ last contact 1h ago") {
		t.Fatalf("no warning for an attempt inside the minimum gap:\n%s", m.View())
	}
	// ctrl+n offers only channels this lead can have been reached on.
	seen := map[cadence.Channel]bool{}
	for i := 0; i < 10; i++ {
		m = run(t, m, tea.KeyMsg{Type: tea.KeyCtrlN})
		seen[m.form.channel] = true
	}
	if seen[cadence.SMS] || seen[cadence.Meeting] || seen[cadence.Research] || !seen[cadence.Email] || !seen[cadence.Call] {
		t.Errorf("channels offered: %v", seen)
	}
}

// A lead that changed elsewhere while its outcome form was open still has
// one row after the outcome is logged.
func TestNoDuplicateRowAfterAReloadDuringAForm(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	top, _ := m.queue.selected()
	m = keys(t, m, "1")
	// Meanwhile another session logs a voicemail on the same lead.
	if _, _, err := s.LogTouch(p, cadence.Touch{LeadID: top.ID, At: monday, Rep: "bob", Channel: cadence.Call, Outcome: cadence.Voicemail}); err != nil {
		t.Fatal(err)
	}
	m = run(t, m, changedMsg{top.ID})
	m = keys(t, m, "enter")
	want, _ := s.Queue("alice", 0)
	if len(m.queue.all) != len(want) {
		t.Fatalf("%d rows on screen, %d open leads in the store", len(m.queue.all), len(want))
	}
}

// e pressed before the lead's notes are read waits for its draft instead
// of opening an empty editor that would overwrite it.
func TestEditorWaitsForTheDraft(t *testing.T) {
	s, p := fixture(t)
	if err := s.SaveDraft("alice", 3, "long draft from yesterday"); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, s, p, 160, 48)
	m.queue.moveToLead(3) // selected without its notes being read
	delete(m.notes.notes, 3)
	delete(m.notes.drafts, 3)
	m = keys(t, m, "e")
	if got := m.notes.editor.Value(); !m.notes.editing || got != "long draft from yesterday" {
		t.Fatalf("editor opened with %q (editing %v)", got, m.notes.editing)
	}
}

// A note saved while a draft save is still running is written after it:
// the saved note never comes back as a draft.
func TestNoteWaitsForARunningDraftSave(t *testing.T) {
	s, p := fixture(t)
	m := newModel(t, s, p, 160, 48)
	top, _ := m.queue.selected()
	m = keys(t, m, "e")
	m = typeText(t, m, "first words")
	m.notes.writing = true // a draft save is in flight
	next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlS})
	m = next.(Model)
	if cmd != nil {
		if msg := cmd(); msg != nil {
			t.Fatalf("the note was written while a draft save ran: %T", msg)
		}
	}
	// The draft save finishes; the note goes next.
	m = run(t, m, draftSavedMsg{lead: top.ID, version: m.notes.version, text: "first words"})
	notes, _ := s.Notes(top.ID)
	if len(notes) != 1 || notes[0].Text != "first words" {
		t.Fatalf("notes on disk: %+v", notes)
	}
	if d, _ := s.Draft("alice", top.ID); d != "" {
		t.Errorf("the saved note is still a draft: %q", d)
	}
	if _, _, unsaved := m.UnsavedDraft(); unsaved {
		t.Error("the pane still holds an unsaved draft")
	}
}

// The compliance view counts each rep's day from the index and the touch log.
func TestComplianceCounts(t *testing.T) {
	s, p := fixture(t)
	if err := s.AddRep(cadence.Rep{Name: "maria", Role: cadence.RoleManager}); err != nil {
		t.Fatal(err)
	}
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	c := NewCompliance(ComplianceOptions{Renderer: r, Store: s, Policy: p, Manager: "maria", Now: func() time.Time { return monday }})
	msg := c.loadCmd()()
	next, _ := c.Update(msg)
	c = next.(Compliance)
	if len(c.rows) != 1 {
		t.Fatalf("rows %+v: want alice only (maria is a manager)", c.rows)
	}
	// Dana's SLA (received 07:15, due 09:30) broke today; John, received
	// 08:15 (due 09:30) and first called at 09:15, was on time.
	want := RepStatus{Rep: "alice", Open: 5, Untouched: 3, SLABreached: 1, BreachedDay: 1, Overdue: 1, TouchesDay: 1, Last: monday.Add(-time.Hour)}
	if got := c.rows[0]; got.Rep != want.Rep || got.Open != want.Open || got.Untouched != want.Untouched || got.BreachedDay != want.BreachedDay ||
		got.SLABreached != want.SLABreached || got.Overdue != want.Overdue || got.TouchesDay != want.TouchesDay || !got.Last.Equal(want.Last) {
		t.Errorf("alice = %+v, want %+v", got, want)
	}
	if v := c.View(); !strings.Contains(v, "read-only") || !strings.Contains(v, "alice") {
		t.Errorf("view:\n%s", v)
	}
}

// A lead handed over shows the hand-off in its timeline.
func TestHandOffInTimeline(t *testing.T) {
	s, p := fixture(t)
	if err := s.AddRep(cadence.Rep{Name: "bob", Role: cadence.RoleRep}); err != nil {
		t.Fatal(err)
	}
	l, err := s.AddLead(cadence.Lead{Name: "Jeffrey Spender", Owner: "bob", ReceivedAt: monday.Add(-5 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Assign(cadence.DefaultPolicy(time.UTC), l.ID, "alice", "maria", monday.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, s, p, 160, 48)
	m.queue.moveToLead(l.ID)
	m = run(t, m, nil)
	if v := m.View(); !strings.Contains(v, "handed from bob to alice (by maria)") {
		t.Errorf("no hand-off in the timeline:\n%s", v)
	}
}

// What opening the database had to say (an import taken back) shows on
// the screen that would otherwise hide it, until the first key.
func TestOpeningStatusShowsUntilTheFirstKey(t *testing.T) {
	s, p := fixture(t)
	opts := testOptions(s, p)
	opts.Status = "the import of leads.csv started 2026-11-23 10:00 did not finish"
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	next, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	m = run(t, next.(Model), nil)
	if !strings.Contains(m.View(), "did not finish") {
		t.Fatalf("the opening status is not on the screen:\n%s", m.View())
	}
	m = run(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")})
	if strings.Contains(m.View(), "did not finish") {
		t.Error("the opening status is still there after a key")
	}
}
