package ui

import (
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/demo"
	"github.com/followuphq/followup/store"
)

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

// benchDB returns a 1,000,000-lead demo database: $FOLLOWUP_BENCH_DB if it
// names one, else one built once per run (about 15 s) in a temporary folder.
func benchDB(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		if p := os.Getenv("FOLLOWUP_BENCH_DB"); p != "" {
			benchPath = p
			return
		}
		dir, err := os.MkdirTemp("", "followup-ui-bench")
		if err != nil {
			benchErr = err
			return
		}
		benchPath = filepath.Join(dir, "bench.db")
		s, err := store.Open(benchPath, store.Options{NoSync: true, InitialMmapSize: demo.MmapSize(1_000_000)})
		if err != nil {
			benchErr = err
			return
		}
		defer s.Close()
		if benchErr = demo.Build(s, demo.Options{Leads: 1_000_000, Now: monday, Seed: 1, Policy: cadence.DefaultPolicy(ny)}); benchErr == nil {
			benchErr = s.Sync()
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

func benchModel(b *testing.B, s *store.Store, w, h int) Model {
	b.Helper()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	keys := map[cadence.Outcome]string{}
	for _, o := range cadence.Outcomes {
		keys[o] = o.DefaultKey()
	}
	m, err := New(Options{Renderer: r, Store: s, Writer: s, Policy: cadence.DefaultPolicy(ny), Rep: "alice", OutcomeKeys: keys,
		Now: func() time.Time { return monday }, Tick: -1})
	if err != nil {
		b.Fatal(err)
	}
	next, cmd := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return drain(next.(Model), cmd)
}

// drain runs commands as the program would, synchronously.
func drain(m Model, cmd tea.Cmd) Model {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		if batch, ok := msg.(tea.BatchMsg); ok {
			queue = append(queue, batch...)
			continue
		}
		next, more := m.Update(msg)
		m = next.(Model)
		queue = append(queue, more)
	}
	return m
}

// BenchmarkFirstFrame opens the workstation on a 1,000,000-lead database
// (alice has about 200,000 open leads) and renders the first 200×50 frame:
// the queue's keys, the visible page of leads, and View.
func BenchmarkFirstFrame(b *testing.B) {
	path := benchDB(b)
	s, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		m := benchModel(b, s, 200, 50)
		if len(m.View()) == 0 {
			b.Fatal("empty frame")
		}
	}
}

// BenchmarkKeyDown moves the cursor one row (with the page loads that
// brings, run as the program would) and renders the frame, at 1,000,000
// leads.
func BenchmarkKeyDown(b *testing.B) {
	s, err := store.Open(benchDB(b), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	m := benchModel(b, s, 200, 50)
	down := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'j'}}
	for b.Loop() {
		next, cmd := m.Update(down)
		m = drain(next.(Model), cmd)
		_ = m.View()
	}
}

// BenchmarkFrame renders one 200×50 frame (true colour) from scratch:
// every row drawn, none remembered.
func BenchmarkFrame(b *testing.B) { benchFrame(b, true) }

// BenchmarkFrameSteady renders the frame the clock tick draws: the rows
// drawn earlier in the same minute are reused.
func BenchmarkFrameSteady(b *testing.B) { benchFrame(b, false) }

func benchFrame(b *testing.B, cold bool) {
	s, err := store.Open(benchDB(b), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	m := benchModel(b, s, 200, 50)
	for b.Loop() {
		if cold {
			clear(m.queue.drawn.rows)
		}
		_ = m.View()
	}
}

// BenchmarkSearch searches alice's ~200,000 open leads for a company name
// (it reads every lead of the queue; it runs on enter, in a command).
func BenchmarkSearch(b *testing.B) {
	s, err := store.Open(benchDB(b), store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		if _, err := s.SearchQueue("alice", "wonka"); err != nil {
			b.Fatal(err)
		}
	}
}
