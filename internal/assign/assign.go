// Package assign chooses who owns a new lead: the rep with the fewest open
// leads, counting the leads it has handed out since it last counted.
package assign

import (
	"fmt"
	"slices"

	"github.com/followuphq/followup/cadence"
)

// Counts is what the choice reads: the team and each rep's open leads.
type Counts interface {
	Reps() ([]cadence.Rep, error)
	QueueLen(owner string) (int, error)
}

// Team is the reps who can own leads; managers and admins own none.
type Team struct {
	reps []string
}

// ReadTeam reads the team's reps.
func ReadTeam(c Counts) (Team, error) {
	reps, err := c.Reps()
	if err != nil {
		return Team{}, fmt.Errorf("read the team: %w", err)
	}
	var t Team
	for _, r := range reps {
		if r.Role == cadence.RoleRep {
			t.reps = append(t.reps, r.Name)
		}
	}
	return t, nil
}

// IsRep reports whether name is a rep who can own leads.
func (t Team) IsRep(name string) bool { return slices.Contains(t.reps, name) }

// Len is how many reps can own leads.
func (t Team) Len() int { return len(t.reps) }

// LeastLoaded gives each new lead to the rep with the fewest open leads
// (ties: by name). It is not safe for concurrent use.
type LeastLoaded struct {
	load map[string]int
}

// Count reads the team's reps and their open leads.
func Count(c Counts) (*LeastLoaded, error) {
	t, err := ReadTeam(c)
	if err != nil {
		return nil, err
	}
	return t.Count(c)
}

// Count reads the open leads of each rep on the team.
func (t Team) Count(c Counts) (*LeastLoaded, error) {
	l := &LeastLoaded{load: make(map[string]int, len(t.reps))}
	for _, name := range t.reps {
		n, err := c.QueueLen(name)
		if err != nil {
			return nil, fmt.Errorf("count %s's open leads: %w", name, err)
		}
		l.load[name] = n
	}
	return l, nil
}

// Recount reads each rep's open leads again: leads closed since the last
// count lower a rep's load, not only leads handed out raise it. A rep whose
// count cannot be read keeps the old one.
func (l *LeastLoaded) Recount(c Counts) {
	for name := range l.load {
		if n, err := c.QueueLen(name); err == nil {
			l.load[name] = n
		}
	}
}

// IsRep reports whether name is a rep who can own leads.
func (l *LeastLoaded) IsRep(name string) bool {
	_, ok := l.load[name]
	return ok
}

// Reps is how many reps can own leads.
func (l *LeastLoaded) Reps() int { return len(l.load) }

// Next is the rep the next new lead goes to, counted as one more open lead
// of theirs; "" when there is no rep.
func (l *LeastLoaded) Next() string {
	best := ""
	for name, n := range l.load {
		if best == "" || n < l.load[best] || n == l.load[best] && name < best {
			best = name
		}
	}
	if best != "" {
		l.load[best]++
	}
	return best
}
