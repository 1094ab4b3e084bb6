package main

import (
	"bufio"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/present"
)

func runExport(e *env, args []string) error {
	fs := e.newFlags("export", "export leads|touches [--format csv|json]")
	format := fs.String("format", "csv", "csv or json")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "leads" && pos[0] != "touches" {
		return usageError("export", "say what to export: export leads or export touches")
	}
	if *format != "csv" && *format != "json" {
		return usageError("export", "--format %q is not a format; use csv or json", *format)
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	loc := cfg.Location()
	s, err := e.open(readOnly)
	if err != nil {
		return err
	}
	defer s.Close()
	w := bufio.NewWriterSize(e.stdout, 64<<10)
	var emit func(record any, row []string) error
	var finish func() error
	header := present.LeadCSVHeader
	if pos[0] == "touches" {
		header = present.TouchCSVHeader
	}
	if *format == "json" {
		a := present.NewJSONArray(w)
		emit = func(record any, _ []string) error { return a.Add(record) }
		finish = a.Close
	} else {
		cw, err := present.CSVWriter(w, header)
		if err != nil {
			return err
		}
		emit = func(_ any, row []string) error { return cw.Write(row) }
		finish = func() error { cw.Flush(); return cw.Error() }
	}
	if pos[0] == "leads" {
		err = s.ForEachLead(func(l cadence.Lead) error {
			r := present.Lead(&l, loc)
			return emit(r, r.CSV())
		})
	} else {
		err = s.ForEachTouch(func(t cadence.Touch) error {
			r := present.Touch(&t, loc)
			return emit(r, r.CSV())
		})
	}
	if err != nil {
		return err
	}
	if err := finish(); err != nil {
		return err
	}
	return w.Flush()
}
