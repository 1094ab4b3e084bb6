// Package assign chooses who owns a new lead, among the reps on duty (not
// away): the rep with the fewest untouched leads, or each rep in turn.
// Both go on from the rep the store says was given the last lead, so the
// turn survives a restart and ties do not always favour the same rep.
package assign

import (
	"fmt"
	"slices"
	"time"

	"github.com/followuphq/followup/cadence"
)

// Methods of assignment (the config's assign.method).
const (
	LeastLoaded = "least-loaded" // the fewest untouched leads; ties in turn
	RoundRobin  = "round-robin"  // each rep on duty in turn
)

// Source is what a choice reads: the team, each rep's untouched leads,
// and the rep the last new lead went to.
type Source interface {
	Reps() ([]cadence.Rep, error)
	UntouchedLen(owner string) (int, error)
	LastAssigned() (string, error)
}

// Team is the reps who can own leads, and which of them are on duty;
// managers and admins own none.
type Team struct {
	reps   []string // every rep, in name order
	onDuty []string // the reps not away, in name order
}

// ReadTeam reads the team's reps as they are at now.
func ReadTeam(src Source, now time.Time) (Team, error) {
	reps, err := src.Reps()
	if err != nil {
		return Team{}, fmt.Errorf("read the team: %w", err)
	}
	var t Team
	for _, r := range reps {
		if r.Role != cadence.RoleRep {
			continue
		}
		t.reps = append(t.reps, r.Name)
		if !r.AwayAt(now) {
			t.onDuty = append(t.onDuty, r.Name)
		}
	}
	slices.Sort(t.reps)
	slices.Sort(t.onDuty)
	return t, nil
}

// IsRep reports whether name is a rep who can own leads (away or not: a
// lead may be handed to an away rep by name).
func (t Team) IsRep(name string) bool { return slices.Contains(t.reps, name) }

// Len is how many reps can own leads.
func (t Team) Len() int { return len(t.reps) }

// OnDuty is how many reps are in the rotation.
func (t Team) OnDuty() int { return len(t.onDuty) }

// Assigner gives out new leads by one method. It is not safe for
// concurrent use.
type Assigner struct {
	method string
	team   Team
	load   map[string]int // untouched leads per rep on duty (least-loaded)
	last   string         // the rep given the last lead
}

// New reads the team at now, the rep given the last lead and, for
// least-loaded, each rep's untouched leads.
func New(method string, src Source, now time.Time) (*Assigner, error) {
	if method != LeastLoaded && method != RoundRobin {
		return nil, fmt.Errorf("%q is not an assignment method; use %q or %q", method, LeastLoaded, RoundRobin)
	}
	a := &Assigner{method: method}
	if err := a.Refresh(src, now); err != nil {
		return nil, err
	}
	return a, nil
}

// Refresh reads the team, the turn and the loads again: a rep gone away or
// back, leads touched in sessions, leads given out by another process.
func (a *Assigner) Refresh(src Source, now time.Time) error {
	team, err := ReadTeam(src, now)
	if err != nil {
		return err
	}
	last, err := src.LastAssigned()
	if err != nil {
		return fmt.Errorf("read whose turn it is: %w", err)
	}
	load := make(map[string]int, len(team.onDuty))
	if a.method == LeastLoaded {
		for _, name := range team.onDuty {
			n, err := src.UntouchedLen(name)
			if err != nil {
				return fmt.Errorf("count %s's untouched leads: %w", name, err)
			}
			load[name] = n
		}
	}
	a.team, a.last, a.load = team, last, load
	return nil
}

// Team is the team as last read.
func (a *Assigner) Team() Team { return a.team }

// Next is the rep the next new lead goes to, counted as one more untouched
// lead of theirs; "" when no rep is on duty.
func (a *Assigner) Next() string {
	reps := a.team.onDuty
	if len(reps) == 0 {
		return ""
	}
	// The turn starts after the last rep given a lead.
	start, _ := slices.BinarySearch(reps, a.last)
	if start < len(reps) && reps[start] == a.last {
		start++
	}
	best := ""
	for i := range reps {
		name := reps[(start+i)%len(reps)]
		if best == "" || a.method == LeastLoaded && a.load[name] < a.load[best] {
			best = name
		}
		if a.method == RoundRobin {
			break
		}
	}
	a.load[best]++
	a.last = best
	return best
}
