package ui

import (
	"bytes"
	"io"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// startProgram runs the workstation as a whole Bubble Tea program on the
// fixture, 120×40.
func startProgram(t *testing.T, s *store.Store, p cadence.Policy) *teatest.TestModel {
	t.Helper()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	keys := map[cadence.Outcome]string{}
	for _, o := range cadence.Outcomes {
		keys[o] = o.DefaultKey()
	}
	m, err := New(Options{Renderer: r, Store: s, Writer: s, Policy: p, Rep: "alice", OutcomeKeys: keys,
		Now: func() time.Time { return monday }, Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
}

func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// Open, log "no answer" on the top lead: it moves down, and the touch is on
// disk.
func TestProgramLogNoAnswer(t *testing.T) {
	s, p := fixture(t)
	tm := startProgram(t, s, p)
	waitFor(t, tm, "Dana Scully")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("1")})
	waitFor(t, tm, "Log no answer")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "logged no answer on Dana Scully")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if top, _ := final.queue.selected(); top.Name == "Dana Scully" {
		t.Errorf("Dana Scully is still on top")
	}
	touches, _ := s.Touches(1)
	if len(touches) != 1 || touches[0].Outcome != cadence.NoAnswer {
		t.Errorf("touches on disk: %+v", touches)
	}
}

// Write a note and save it: it is on disk, and shown.
func TestProgramAddNote(t *testing.T) {
	s, p := fixture(t)
	tm := startProgram(t, s, p)
	waitFor(t, tm, "Dana Scully")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("e")})
	waitFor(t, tm, "ctrl+s saves the note")
	tm.Type("budget approved in Q1")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlS})
	waitFor(t, tm, "note saved")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	notes, _ := s.Notes(1)
	if len(notes) != 1 || notes[0].Text != "budget approved in Q1" {
		t.Errorf("notes on disk: %+v", notes)
	}
}

// A lead changed by another writer moves on screen within a moment: only
// that lead is read again.
func TestProgramLiveUpdate(t *testing.T) {
	s, p := fixture(t)
	changes := make(chan cadence.LeadID, 1)
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	keys := map[cadence.Outcome]string{}
	for _, o := range cadence.Outcomes {
		keys[o] = o.DefaultKey()
	}
	m, err := New(Options{Renderer: r, Store: s, Writer: s, Policy: p, Rep: "alice", OutcomeKeys: keys,
		Now: func() time.Time { return monday }, Tick: -1, Changes: changes})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	waitFor(t, tm, "Dana Scully")
	// Another session closes Dana Scully's lead as won.
	if _, _, err := s.LogTouch(p, cadence.Touch{LeadID: 1, At: monday, Rep: "alice", Channel: cadence.Call, Outcome: cadence.Won}); err != nil {
		t.Fatal(err)
	}
	changes <- 1
	waitFor(t, tm, "Queue · 4 open")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	for _, k := range final.queue.all {
		if k.ID == 1 {
			t.Errorf("the won lead is still in the queue")
		}
	}
}
