package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestHbar(t *testing.T) {
	cases := []struct {
		value, limit float64
		width        int
		want         string
	}{
		{3, 4, 8, "██████"},   // 48 of 64 eighths
		{1, 3, 10, "███▍"},    // 27 of 80 eighths: 3 blocks and 3/8
		{4, 4, 5, "█████"},    // full
		{9, 4, 5, "█████"},    // over the limit: full, not longer
		{0.001, 100, 10, "▏"}, // above zero always shows
		{0, 100, 10, ""},      // zero is no bar
		{5, 0, 10, ""},        // no scale
		{5, 10, 0, ""},        // no room
	}
	for _, tc := range cases {
		if got := hbar(tc.value, tc.limit, tc.width); got != tc.want {
			t.Errorf("hbar(%v, %v, %d) = %q, want %q", tc.value, tc.limit, tc.width, got, tc.want)
		}
	}
}

func TestSparkline(t *testing.T) {
	cases := []struct {
		values []int
		width  int
		want   string
	}{
		{[]int{0, 1, 2, 4, 8}, 10, " ▁▂▄█"},
		{[]int{1, 2, 3}, 2, "▆█"}, // the last two: 2 of 3 is 6 eighths high
		{[]int{5, 5}, 4, "██"},
		{[]int{0, 0}, 4, "  "},
		{nil, 4, ""},
		{[]int{1}, 0, ""},
	}
	for _, tc := range cases {
		if got := sparkline(tc.values, tc.width); got != tc.want {
			t.Errorf("sparkline(%v, %d) = %q, want %q", tc.values, tc.width, got, tc.want)
		}
	}
}

func TestBarChart(t *testing.T) {
	rows := []barRow{{label: "0-5m", value: 3}, {label: "5-15m", value: 1}, {label: "60m+", value: 0}}
	got := barChart(rows, 30, nil)
	want := []string{
		"0-5m   ████████████████ 3  75%",
		"5-15m  █████▍           1  25%",
		"60m+                    0   0%",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("barChart:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// With notes beside the bars (the seeds' curve), and painted bars.
	rows = []barRow{{label: "1", value: 10, note: " 2%"}, {label: "5+", value: 30, note: "81%"}}
	got = barChart(rows, 26, func(s string) string { return "\x1b[1m" + s + "\x1b[0m" })
	want = []string{
		"1   ███       10  25%   2%", // a third of 9 cells
		"5+  █████████ 30  75%  81%",
	}
	if !strings.Contains(got[0], "\x1b[1m███\x1b[0m") {
		t.Errorf("the bar is not painted: %q", got[0])
	}
	if plain := ansi.Strip(strings.Join(got, "\n")); plain != strings.Join(want, "\n") {
		t.Errorf("barChart with notes:\n%s\nwant:\n%s", plain, strings.Join(want, "\n"))
	}
	// Every line is exactly the width asked for, however narrow.
	for _, w := range []int{1, 8, 12, 40} {
		for _, line := range barChart([]barRow{{label: "15-30m", value: 123456}, {label: "x", value: 7}}, w, nil) {
			if ansi.StringWidth(line) != w {
				t.Errorf("width %d: line %q is %d cells", w, line, ansi.StringWidth(line))
			}
		}
	}
	if got := barChart([]barRow{{label: "a", value: 0}}, 20, nil); !strings.Contains(got[0], "0    –") {
		t.Errorf("no values: %q, want a dash for the share", got[0])
	}
}

func TestSideBySide(t *testing.T) {
	got := sideBySide([]string{"ab", "c"}, 4, []string{"X", "Y", "Z"}, 2)
	want := []string{"ab    X", "c     Y", "      Z"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sideBySide = %q, want %q", got, want)
	}
}
