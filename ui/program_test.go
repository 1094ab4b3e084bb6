package ui

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/followuphq/followup/cadence"
)

// startProgram runs the workstation as a whole Bubble Tea program on the
// fixture, 120×40.
func startProgram(t *testing.T, opts Options) *teatest.TestModel {
	t.Helper()
	m, err := New(opts)
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
	tm := startProgram(t, testOptions(s, p))
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
	tm := startProgram(t, testOptions(s, p))
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
	opts := testOptions(s, p)
	opts.Changes = changes
	tm := startProgram(t, opts)
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
