package ui

import "github.com/charmbracelet/lipgloss"

// Styles are the session's styles, all built from its renderer (never the
// global one, which would read the server's terminal over SSH).
type Styles struct {
	Title, Header, Row, Selected, Dim, Untouched, Due, Scheduled, Breached, Warn, OK, Error lipgloss.Style
	Pane, PaneFocused, Footer, Key, Label                                                   lipgloss.Style
}

// NewStyles builds the styles for one renderer, with colours that adapt to
// light and dark terminals (and none under NO_COLOR or a plain profile).
func NewStyles(r *lipgloss.Renderer) Styles {
	c := func(light, dark string) lipgloss.AdaptiveColor {
		return lipgloss.AdaptiveColor{Light: light, Dark: dark}
	}
	accent := c("#5A3FC0", "#A590FF")
	border := c("#C8C8C8", "#4A4A4A")
	return Styles{
		Title:       r.NewStyle().Bold(true).Foreground(accent),
		Header:      r.NewStyle().Bold(true).Foreground(c("#555555", "#AAAAAA")),
		Row:         r.NewStyle(),
		Selected:    r.NewStyle().Bold(true).Reverse(true),
		Dim:         r.NewStyle().Foreground(c("#8A8A8A", "#777777")),
		Untouched:   r.NewStyle().Bold(true).Foreground(c("#B35C00", "#FFB454")),
		Due:         r.NewStyle().Foreground(c("#8F6B00", "#E6C547")),
		Scheduled:   r.NewStyle().Foreground(c("#2E7D32", "#7FD88F")),
		Breached:    r.NewStyle().Bold(true).Foreground(c("#C62828", "#FF6B6B")),
		Warn:        r.NewStyle().Foreground(c("#B35C00", "#FFB454")),
		OK:          r.NewStyle().Foreground(c("#2E7D32", "#7FD88F")),
		Error:       r.NewStyle().Bold(true).Foreground(c("#C62828", "#FF6B6B")),
		Pane:        r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(border).Padding(0, 1),
		PaneFocused: r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		Footer:      r.NewStyle().Foreground(c("#666666", "#999999")),
		Key:         r.NewStyle().Bold(true).Foreground(accent),
		Label:       r.NewStyle().Foreground(c("#666666", "#999999")),
	}
}
