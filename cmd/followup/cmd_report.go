package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/report"
	"github.com/followuphq/followup/internal/when"
)

func runReport(e *env, args []string) error {
	fs := e.newFlags("report", "report [--since DUR|DATE] [--until DATE] [--rep REP] [--source S] [--json] [--check]")
	since := fs.String("since", "", "leads received since this `time`: a duration back from now (30d, 4w, 12h) or a date (2026-11-01, mon)")
	until := fs.String("until", "", "leads received before this `date` (a date alone means up to the end of that day; default now)")
	rep := fs.String("rep", "", "only this `rep`'s leads (their owner as of --now)")
	source := fs.String("source", "", "only leads from this `source`")
	untouched := fs.Int("untouched", 20, "list at most `N` of the oldest untouched leads; 0 lists all")
	asJSON := fs.Bool("json", false, "print one JSON object (fields in the README, section Reports)")
	check := fs.Bool("check", false, "exit 1 when a goal of the config's [goals] is missed")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("report", "report takes flags only, not %q", pos[0])
	}
	if *untouched < 0 {
		return usageError("report", "--untouched must be 0 (all) or more")
	}
	cfg, now, err := e.configAt()
	if err != nil {
		return err
	}
	loc := cfg.Location()
	opts := report.Options{
		Policy: cfg.Policy(), Now: now, Rep: *rep, Source: *source,
		Costs: cfg.SourceCosts(), Untouched: *untouched,
		Goals: cfg.ReportGoals(),
	}
	if *untouched == 0 {
		opts.Untouched = -1
	}
	if *since != "" {
		if opts.Since, err = parseSince(*since, now, loc); err != nil {
			return usageError("report", "--since %v", err)
		}
	}
	if *until != "" {
		if opts.Until, err = parseUntil(*until, now, loc); err != nil {
			return usageError("report", "--until %v", err)
		}
	}
	if !opts.Since.IsZero() && !opts.Until.IsZero() && !opts.Until.After(opts.Since) {
		return usageError("report", "--until %s is not after --since %s; give a later --until", opts.Until.Format(time.RFC3339), opts.Since.Format(time.RFC3339))
	}
	s, err := e.open(readOnly)
	if err != nil {
		return err
	}
	defer s.Close()
	if *rep != "" {
		if _, err := s.Rep(*rep); err != nil {
			return fmt.Errorf("--rep %s: %s is not on the team; see followup reps list", *rep, *rep)
		}
	}
	r, err := report.Build(s, opts)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("write the report: %w", err)
		}
	} else if err := report.WriteText(e.stdout, r); err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	if *check && r.GoalsMissed > 0 {
		fmt.Fprintf(e.stderr, "followup report: %d of %d goals missed\n", r.GoalsMissed, len(r.Goals))
		return exitError(1)
	}
	return nil
}

// backDuration is a --since written as a span back from now: 30d, 4w, 12h.
var backDuration = regexp.MustCompile(`^[0-9]+\s*[a-z]+$`)

// parseSince reads --since: a span back from now ("30d": the same clock
// time 30 days ago; "12h": 12 hours ago), or a date or time as internal/when
// reads it, a date alone meaning its start (00:00 in loc).
func parseSince(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if backDuration.MatchString(s) {
		// when reads spans forward ("+30d"); walk the same span back.
		ahead, err := when.Parse("+"+s, now, loc)
		if err != nil {
			return time.Time{}, err
		}
		span := ahead.Sub(now)
		days := int(span.Round(24*time.Hour) / (24 * time.Hour))
		if days > 0 && now.In(loc).AddDate(0, 0, days).Equal(ahead) {
			return now.In(loc).AddDate(0, 0, -days), nil // calendar days, whatever the daylight-saving changes
		}
		return now.Add(-span), nil
	}
	return parseDay(s, now, loc, 0)
}

// parseUntil reads --until: a date alone means the end of that day.
func parseUntil(s string, now time.Time, loc *time.Location) (time.Time, error) {
	return parseDay(s, now, loc, 1)
}

// parseDay reads a date (YYYY-MM-DD: the start of that day plus
// extraDays) or anything internal/when reads.
func parseDay(s string, now time.Time, loc *time.Location, extraDays int) (time.Time, error) {
	if d, err := cadence.ParseDate(s); err == nil {
		return d.AddDays(extraDays).In(loc, 0), nil
	}
	return when.Parse(s, now, loc)
}
