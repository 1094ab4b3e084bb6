package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// frame draws content in a rounded border, w×h cells in all, with one cell
// of padding inside. Content lines are padded or cut to fit; lines past
// the height are dropped. It does by hand what a lipgloss style with a
// border, width and height does, at a fraction of the cost: a frame is
// drawn every second in every session.
func frame(st *Styles, focused bool, content string, w, h int) string {
	name, border := "pane", st.Pane
	if focused {
		name, border = "paneFocused", st.PaneFocused
	}
	inner := max(0, w-4)
	side := st.render(name, border, "│")
	var b strings.Builder
	b.Grow((w + 8) * h)
	b.WriteString(st.render(name, border, "╭"+strings.Repeat("─", max(0, w-2))+"╮"))
	lines := strings.Split(content, "\n")
	for i := 0; i < h-2; i++ {
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		b.WriteByte('\n')
		b.WriteString(side)
		b.WriteByte(' ')
		b.WriteString(padCells(line, inner))
		b.WriteByte(' ')
		b.WriteString(side)
	}
	b.WriteByte('\n')
	b.WriteString(st.render(name, border, "╰"+strings.Repeat("─", max(0, w-2))+"╯"))
	return b.String()
}

// padCells pads s (which may hold colour codes) with spaces to n cells, or
// cuts it to n.
func padCells(s string, n int) string {
	w := cells(s)
	switch {
	case w < n:
		return s + strings.Repeat(" ", n-w)
	case w > n:
		return ansi.Truncate(s, n, "")
	}
	return s
}

// cells is the display width of s. Plain text, SGR colour codes and the
// few symbols the screens draw are measured here, cheaply; anything else
// (wide characters, other escape sequences) goes to ansi.StringWidth.
func cells(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			// CSI: ESC [ parameters final-byte (0x40–0x7e).
			if i+1 >= len(s) || s[i+1] != '[' {
				return ansi.StringWidth(s)
			}
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j + 1
		case c < 0x80:
			n++
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !narrowSymbol(r) {
				return ansi.StringWidth(s)
			}
			n++
			i += size
		}
	}
	return n
}

// narrowSymbol reports whether r is one of the one-cell symbols the
// screens draw (marks, borders, arrows, accented Latin letters).
func narrowSymbol(r rune) bool {
	switch {
	case r >= 0xA0 && r <= 0x24F: // Latin-1 and Latin Extended: names like "José"
		return true
	case r >= 0x2500 && r <= 0x257F: // box drawing
		return true
	}
	switch r {
	case '●', '·', '⊘', '▸', '…', '—', '–', '↑', '↓', '×', '•':
		return true
	}
	return false
}
