package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// table prints aligned columns with no blanks at the ends of lines, so an
// empty last cell does not leave trailing spaces for a script to trip on.
type table struct {
	out io.Writer
	buf bytes.Buffer
	tw  *tabwriter.Writer
}

func newTable(out io.Writer) *table {
	t := &table{out: out}
	t.tw = tabwriter.NewWriter(&t.buf, 0, 4, 2, ' ', 0)
	return t
}

// row adds a line whose cells are separated by tabs.
func (t *table) row(format string, args ...any) { fmt.Fprintf(t.tw, format+"\n", args...) }

// flush prints the table.
func (t *table) flush() error {
	if err := t.tw.Flush(); err != nil {
		return err
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(t.buf.String(), "\n") {
		if trimmed, ok := strings.CutSuffix(line, "\n"); ok {
			b.WriteString(strings.TrimRight(trimmed, " "))
			b.WriteByte('\n')
		} else {
			b.WriteString(strings.TrimRight(line, " "))
		}
	}
	_, err := io.WriteString(t.out, b.String())
	return err
}
