package ui

import "github.com/charmbracelet/lipgloss"

// Styles are the session's styles, all built from its renderer (never the
// global one, which would read the server's terminal over SSH).
type Styles struct {
	Title, Header, Row, Selected, Dim, Untouched, Due, Scheduled, Breached, Warn, OK, Error lipgloss.Style
	Pane, PaneFocused, Footer, Key, Label                                                   lipgloss.Style // Pane*: border colours

	rendered map[renderKey]string
}

type renderKey struct {
	style string
	text  string
}

// render is style.Render(text), remembered under the style's name: the
// same marks and labels are drawn on every row of every frame, and
// rendering is not cheap. name must always name the same style.
func (s *Styles) render(name string, style lipgloss.Style, text string) string {
	k := renderKey{name, text}
	if r, ok := s.rendered[k]; ok {
		return r
	}
	if len(s.rendered) > 512 {
		clear(s.rendered)
	}
	r := style.Render(text)
	s.rendered[k] = r
	return r
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
		rendered:    map[renderKey]string{},
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
		Pane:        r.NewStyle().Foreground(border),
		PaneFocused: r.NewStyle().Foreground(accent),
		Footer:      r.NewStyle().Foreground(c("#666666", "#999999")),
		Key:         r.NewStyle().Bold(true).Foreground(accent),
		Label:       r.NewStyle().Foreground(c("#666666", "#999999")),
	}
}
