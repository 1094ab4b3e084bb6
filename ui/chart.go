package ui

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Charts are drawn with block characters, one row of cells per bar: a bar
// is whole blocks and a last partial block in eighths, so a bar of 30 cells
// tells 240 lengths apart.

// eighths are the partial blocks, from one eighth to seven eighths wide.
var eighths = [...]string{"▏", "▎", "▍", "▌", "▋", "▊", "▉"}

// hbar returns a bar of at most width cells, value/limit of it filled, and
// never empty for a value above zero (a sliver shows that it is not zero).
func hbar(value, limit float64, width int) string {
	if width <= 0 || value <= 0 || limit <= 0 {
		return ""
	}
	n := int(math.Round(min(value/limit, 1) * float64(width*8)))
	n = max(n, 1)
	return strings.Repeat("█", n/8) + partial(n%8)
}

// partial returns the block of n eighths (0: none).
func partial(n int) string {
	if n <= 0 {
		return ""
	}
	return eighths[n-1]
}

// sparkLevels are the heights of a sparkline cell, lowest first.
var sparkLevels = [...]rune{'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'}

// sparkline returns one cell per value, for the last width values: a blank
// for zero, and otherwise a block whose height is the value's share of the
// largest, rounded up (so any value above zero shows).
func sparkline(values []int, width int) string {
	if width <= 0 {
		return ""
	}
	if len(values) > width {
		values = values[len(values)-width:]
	}
	top := 0
	for _, v := range values {
		top = max(top, v)
	}
	var b strings.Builder
	for _, v := range values {
		if v <= 0 {
			b.WriteByte(' ')
			continue
		}
		level := int(math.Ceil(float64(v)/float64(top)*float64(len(sparkLevels)))) - 1
		b.WriteRune(sparkLevels[min(max(level, 0), len(sparkLevels)-1)])
	}
	return b.String()
}

// barRow is one row of a bar chart.
type barRow struct {
	label string
	value int
	note  string // drawn after the bar, e.g. the seeds' figure
}

// barChart draws rows as horizontal bars scaled to the largest value,
// each "label  bar  count pct%  note", every line exactly width cells
// (lines are cut to fit). paint styles the bars.
func barChart(rows []barRow, width int, paint func(string) string) []string {
	if width <= 0 {
		return nil
	}
	labelW, countW, noteW, total, top := 0, 1, 0, 0, 0
	for _, r := range rows {
		labelW = max(labelW, ansi.StringWidth(r.label))
		countW = max(countW, len(fmt.Sprint(r.value)))
		noteW = max(noteW, ansi.StringWidth(r.note))
		total += r.value
		top = max(top, r.value)
	}
	// label, two spaces, bar, a space, count, " 100%", and the note.
	barW := width - labelW - 2 - 1 - countW - 5
	if noteW > 0 {
		barW -= noteW + 2
	}
	barW = max(barW, 0)
	lines := make([]string, len(rows))
	for i, r := range rows {
		pct := "   –"
		if total > 0 {
			pct = fmt.Sprintf("%3.0f%%", 100*float64(r.value)/float64(total))
		}
		bar := hbar(float64(r.value), float64(top), barW)
		pad := strings.Repeat(" ", barW-ansi.StringWidth(bar))
		if paint != nil && bar != "" {
			bar = paint(bar)
		}
		line := fmt.Sprintf("%s  %s%s %*d %s", padRight(r.label, labelW), bar, pad, countW, r.value, pct)
		if noteW > 0 {
			line += "  " + r.note
		}
		lines[i] = padRight(clip(line, width), width)
	}
	return lines
}

// padRight pads s with spaces to width cells.
func padRight(s string, width int) string {
	if w := ansi.StringWidth(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}

// sideBySide joins two blocks of lines column by column, gap cells apart;
// left's lines are padded to leftW so that right's start in one column.
func sideBySide(left []string, leftW int, right []string, gap int) []string {
	n := max(len(left), len(right))
	out := make([]string, n)
	for i := range n {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = strings.TrimRight(padRight(l, leftW)+strings.Repeat(" ", gap)+r, " ")
	}
	return out
}
