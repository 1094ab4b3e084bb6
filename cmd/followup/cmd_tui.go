package main

import (
	"fmt"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-isatty"

	"github.com/followuphq/followup/ui"
)

// runTUI opens the rep's workstation full-screen; when stdout is not a
// terminal it prints the queue instead.
func runTUI(e *env, args []string) error {
	f, isFile := e.stdout.(*os.File)
	if !isFile || !isatty.IsTerminal(f.Fd()) {
		return runQueue(e, args)
	}
	fs := e.newFlags("", "[--as REP]")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	rep := e.rep()
	if rep == "" {
		return usageError("", "who are you? run followup --as REP, or set team.rep in %s (a new team starts with followup reps add NAME --role rep)", cfg.Path())
	}
	now, err := e.now()
	if err != nil {
		return err
	}
	// With --now the screen's clock starts at that time and runs on.
	start := time.Now()
	clock := func() time.Time { return now.Add(time.Since(start)) }
	s, err := e.open(writeOrCreate)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Rep(rep); err != nil {
		return fmt.Errorf("%s is not on the team; add them with followup reps add %s --role rep", rep, rep)
	}
	m, err := ui.New(ui.Options{
		Renderer:    lipgloss.DefaultRenderer(),
		Store:       s,
		Policy:      cfg.Policy(),
		Rep:         rep,
		OutcomeKeys: cfg.OutcomeKeys(),
		PhoneRegion: cfg.Team.PhoneRegion,
		Now:         clock,
	})
	if err != nil {
		return err
	}
	_, err = tea.NewProgram(m, tea.WithAltScreen(), tea.WithOutput(f)).Run()
	return err
}
