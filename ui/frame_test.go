package ui

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// cells must agree with ansi.StringWidth on everything the screens draw.
func TestCellsAgreesWithAnsi(t *testing.T) {
	for _, s := range []string{
		"", "plain", "▸ ● Dana Scully", "\x1b[1;38;2;255;180;84m●\x1b[0m row", "José Núñez — Zürich",
		"╭──╮", "日本語", "emoji 👍", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "⊘ · … ↑↓ × •",
	} {
		if got, want := cells(s), ansi.StringWidth(s); got != want {
			t.Errorf("cells(%q) = %d, ansi says %d", s, got, want)
		}
	}
}
