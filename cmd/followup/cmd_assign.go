package main

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

func runAssign(e *env, args []string) error {
	fs := e.newFlags("assign", "assign LEAD --to REP")
	to := fs.String("to", "", "the `rep` who follows the lead up from now on")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *to == "" {
		return usageError("assign", "name a lead and its new rep: assign LEAD --to REP")
	}
	id, err := strconv.ParseUint(pos[0], 10, 64)
	if err != nil || id == 0 {
		return usageError("assign", "%q is not a lead id; ids are the numbers followup queue shows", pos[0])
	}
	cfg, now, err := e.configAt()
	if err != nil {
		return err
	}
	s, err := e.open(writeExisting)
	if err != nil {
		return err
	}
	defer s.Close()
	by := e.rep()
	if by == "" {
		by = "admin"
	}
	before, err := s.Lead(cadence.LeadID(id))
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("there is no lead %d; ids are the numbers followup queue shows", id)
	} else if err != nil {
		return err
	}
	l, err := s.Assign(cfg.Policy(), cadence.LeadID(id), *to, by, now)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%v; see followup reps list and followup queue for names and ids", err)
	case err != nil:
		return err
	}
	if before.IsName() {
		fmt.Fprintf(e.stdout, "%d (%s) was a name on the nurture list; now a lead, %s's since %s, and due at once\n",
			l.ID, l.Name, l.Owner, now.In(cfg.Location()).Format("Mon Jan 2 15:04"))
		return nil
	}
	fmt.Fprintf(e.stdout, "lead %d (%s) is %s's now, since %s; the hand-off is in its timeline\n",
		l.ID, l.Name, l.Owner, now.In(cfg.Location()).Format("Mon Jan 2 15:04"))
	return nil
}
