package ui

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/followuphq/followup/cadence"
)

// KeyMap holds one session's key bindings (never shared between sessions).
type KeyMap struct {
	Up, Down, Top, Bottom, PageUp, PageDown, Tab, ShiftTab, Note, Add, Search, Filter, Clear, Open, Help, Quit key.Binding
	// OutcomeHint stands for all the outcome keys in the footer.
	OutcomeHint key.Binding
	Outcomes    map[cadence.Outcome]key.Binding
}

// NewKeyMap returns the bindings, with the outcome keys given (outcome →
// key, from the config); readOnly disables and hides every write key.
func NewKeyMap(outcomeKeys map[cadence.Outcome]string, readOnly bool) KeyMap {
	k := KeyMap{
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open the lead")),
		Tab:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		ShiftTab: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		Note:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "write a note")),
		Add:      key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add a lead")),
		Search:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Filter:   key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "filter by tier")),
		Clear:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "show all")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Outcomes: make(map[cadence.Outcome]key.Binding, len(cadence.Outcomes)),
	}
	k.OutcomeHint = key.NewBinding(key.WithKeys(outcomeKeys[cadence.NoAnswer]), key.WithHelp(
		outcomeKeys[cadence.NoAnswer]+"–"+outcomeKeys[cadence.DoNotContact], "log an outcome"))
	k.OutcomeHint.SetEnabled(!readOnly)
	k.Note.SetEnabled(!readOnly)
	k.Add.SetEnabled(!readOnly)
	for _, o := range cadence.Outcomes {
		b := key.NewBinding(key.WithKeys(outcomeKeys[o]), key.WithHelp(outcomeKeys[o], o.Label()))
		b.SetEnabled(!readOnly)
		k.Outcomes[o] = b
	}
	return k
}

// ShortHelp implements help.KeyMap: the footer.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Quit, k.Down, k.Up, k.OutcomeHint, k.Note, k.Search, k.Add}
}

// FullHelp implements help.KeyMap: the ? screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	outcomes := make([]key.Binding, 0, len(cadence.Outcomes))
	for _, o := range cadence.Outcomes {
		outcomes = append(outcomes, k.Outcomes[o])
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown, k.Open, k.Tab, k.ShiftTab},
		{k.Search, k.Filter, k.Clear, k.Note, k.Add, k.Help, k.Quit},
		outcomes[:5],
		outcomes[5:],
	}
}
