package server

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/when"
	"github.com/followuphq/followup/store"
)

// The server holds the database, so the team's changes that the command
// line makes when no server runs are made over SSH by an admin while it
// does:
//
//	ssh admin@host reps away alice --until 2026-12-07
//	ssh admin@host reps back alice
//	ssh admin@host assign 42 --to bob
//
// Each answers one line and changes the open sessions at once.

// adminCommand returns the run of cmd as user if it is one of the
// commands above, else nil.
func (s *Server) adminCommand(user string, cmd []string) func() (string, error) {
	switch {
	case len(cmd) >= 2 && cmd[0] == "reps" && cmd[1] == "away":
		return func() (string, error) { return s.repsAway(cmd[2:]) }
	case len(cmd) >= 2 && cmd[0] == "reps" && cmd[1] == "back":
		return func() (string, error) { return s.repsBack(cmd[2:]) }
	case len(cmd) >= 1 && cmd[0] == "assign":
		return func() (string, error) { return s.assign(user, cmd[1:]) }
	}
	return nil
}

func (s *Server) repsAway(args []string) (string, error) {
	if len(args) < 3 || args[1] != "--until" {
		return "", errors.New("write reps away NAME --until DATE")
	}
	now := s.opts.Now()
	until, err := when.Future(strings.Join(args[2:], " "), now, s.opts.Policy.Calendar.Location)
	if err != nil {
		return "", fmt.Errorf("--until: %w", err)
	}
	a, err := s.setAway(args[0], now, until)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s is away until %s: no new leads, %d cadences paused, %d untouched leads still in their queue",
		args[0], until.In(s.opts.Policy.Calendar.Location).Format("Mon 2006-01-02 15:04 MST"), a.Paused, len(a.Untouched)), nil
}

func (s *Server) repsBack(args []string) (string, error) {
	if len(args) != 1 {
		return "", errors.New("write reps back NAME")
	}
	now := s.opts.Now()
	a, err := s.setAway(args[0], now, now)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s is back: new leads again, and %d paused cadences resume where they left off", args[0], a.Paused), nil
}

// setAway sets or ends a rep's absence and tells the sessions of the
// leads it moved.
func (s *Server) setAway(name string, now, until time.Time) (store.Absence, error) {
	r, err := s.store.Rep(name)
	if errors.Is(err, store.ErrNotFound) {
		return store.Absence{}, fmt.Errorf("%s is not on the team", name)
	} else if err != nil {
		return store.Absence{}, err
	}
	if err := r.CheckAbsence(now, until); err != nil {
		return store.Absence{}, err
	}
	a, err := s.store.SetAway(s.opts.Policy, name, now, until)
	if err != nil {
		return a, err
	}
	s.mu.Lock()
	changed := s.teamChanged
	s.mu.Unlock()
	if changed != nil {
		changed()
	}
	keys, err := s.store.QueueKeys(name)
	if err == nil {
		for _, k := range keys {
			s.hub.publish(k.ID, name)
		}
	}
	return a, nil
}

func (s *Server) assign(by string, args []string) (string, error) {
	if len(args) != 3 || args[1] != "--to" {
		return "", errors.New("write assign LEAD --to REP")
	}
	id, err := strconv.ParseUint(args[0], 10, 64)
	if err != nil || id == 0 {
		return "", fmt.Errorf("%q is not a lead id; ids are the numbers the queue shows", args[0])
	}
	before, err := s.store.Lead(cadence.LeadID(id))
	if errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("there is no lead %d; ids are the numbers the queue shows", id)
	} else if err != nil {
		return "", err
	}
	l, err := s.store.Assign(s.opts.Policy, cadence.LeadID(id), args[2], by, s.opts.Now())
	if err != nil {
		return "", err
	}
	s.hub.publish(l.ID, before.Owner, l.Owner) // it leaves one queue for the other
	return fmt.Sprintf("lead %d (%s) is %s's now; the hand-off is in its timeline", l.ID, l.Name, l.Owner), nil
}
