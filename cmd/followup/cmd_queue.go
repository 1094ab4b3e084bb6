package main

import (
	"fmt"

	"github.com/followuphq/followup/internal/present"
)

func runQueue(e *env, args []string) error {
	fs := e.newFlags("queue", "queue [--rep REP] [--limit N] [--json]")
	rep := fs.String("rep", "", "whose queue (default: --as, or the config's team.rep)")
	limit := fs.Int("limit", 20, "show at most `N` leads; 0 shows all")
	asJSON := fs.Bool("json", false, "print a JSON array, one object per lead, in queue order")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("queue", "queue takes flags only, not %q", pos[0])
	}
	if *limit < 0 {
		return usageError("queue", "--limit must be 0 (all) or more")
	}
	cfg, now, err := e.configAt()
	if err != nil {
		return err
	}
	owner := *rep
	if owner == "" {
		owner = e.rep()
	}
	if owner == "" {
		return usageError("queue", "whose queue? name the rep with --rep REP (or --as REP, or team.rep in %s; a new team starts with followup reps add NAME --role rep)", cfg.Path())
	}
	s, err := e.open(readOnly)
	if err != nil {
		return err
	}
	defer s.Close()
	leads, err := s.Queue(owner, *limit)
	if err != nil {
		return err
	}
	if len(leads) == 0 {
		if _, err := s.Rep(owner); err != nil {
			return fmt.Errorf("%s is not on the team; see followup reps list", owner)
		}
	}
	p := cfg.Policy()
	rows := make([]present.QueueRow, len(leads))
	for i := range leads {
		rows[i] = present.Row(&p, &leads[i], now)
	}
	if *asJSON {
		return present.WriteJSONArray(e.stdout, rows)
	}
	if len(rows) == 0 {
		fmt.Fprintf(e.stdout, "%s's queue is empty: no open lead is theirs.\n", owner)
		return nil
	}
	return present.WriteQueueText(e.stdout, owner, rows, e.termWidth())
}
