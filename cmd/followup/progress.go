package main

import (
	"fmt"

	"github.com/charmbracelet/bubbles/progress"
)

// progressReport shows how far long work has come on stderr: a bar
// rewritten in place on a terminal, a plain line at each quarter otherwise
// (a log file gets four lines, not thousands).
type progressReport struct {
	e        *env
	terminal bool
	bar      progress.Model
	quarter  int // the last quarter written as a plain line
}

func newProgressReport(e *env) *progressReport {
	return &progressReport{e: e, terminal: e.stderrIsTerminal(),
		bar: progress.New(progress.WithDefaultGradient(), progress.WithWidth(40))}
}

// show reports frac (0 to 1) done, with what is being done in label.
func (p *progressReport) show(frac float64, label string) {
	frac = min(max(frac, 0), 1)
	if p.terminal {
		fmt.Fprintf(p.e.stderr, "\r%s %s\x1b[K", p.bar.ViewAs(frac), label)
		return
	}
	// Every quarter passed gets its line, even when the reading jumps
	// past one (it reads ahead); the last one is end's, with the count of
	// every row.
	for q := min(int(frac*4), 3); p.quarter < q; {
		p.quarter++
		fmt.Fprintf(p.e.stderr, "%d%% %s\n", p.quarter*25, label)
	}
}

// end reports the work done, with label.
func (p *progressReport) end(label string) {
	if p.terminal {
		fmt.Fprintf(p.e.stderr, "\r%s %s\x1b[K\n", p.bar.ViewAs(1), label)
		return
	}
	p.show(1, label)
	fmt.Fprintf(p.e.stderr, "100%% %s\n", label)
}
