package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
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
		Writer:      s,
		Policy:      cfg.Policy(),
		Rep:         rep,
		OutcomeKeys: cfg.OutcomeKeys(),
		PhoneRegion: cfg.Team.PhoneRegion,
		Tick:        time.Second, // the countdowns tick each second (a server ticks on the minute)
		Now:         clock,
		Status:      e.notice,
	})
	if err != nil {
		return err
	}
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithOutput(f))
	// A closed terminal (SIGHUP) ends the program the orderly way, so the
	// note being typed is saved below.
	hangup := make(chan os.Signal, 1)
	signal.Notify(hangup, syscall.SIGHUP)
	defer signal.Stop(hangup)
	go func() {
		if _, ok := <-hangup; ok {
			p.Quit()
		}
	}()
	final, err := p.Run()
	if fm, ok := final.(ui.Model); ok {
		if lead, text, unsaved := fm.UnsavedDraft(); unsaved {
			if serr := s.SaveDraft(rep, lead, text); serr != nil && err == nil {
				err = serr
			}
		}
	}
	return err
}
