package config

import (
	"fmt"
	"math"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/followuphq/followup/internal/report"
)

// Goals is the [goals] table: the targets `followup report` marks met or
// missed (and `followup report --check` fails on). A zero goal is not set.
type Goals struct {
	// FollowUpRate is the least percentage of leads with a contact attempt.
	FollowUpRate float64 `toml:"follow_up_rate"`
	// MedianResponse is the most median business time from receipt to the
	// first contact attempt.
	MedianResponse Duration `toml:"median_response"`
	// QualifiedRate is the least percentage of leads that become qualified
	// prospects.
	QualifiedRate float64 `toml:"qualified_rate"`
	// WonRate is the least percentage of leads that become orders.
	WonRate float64 `toml:"won_rate"`
}

// Source is one [[source]]: where leads come from and what one costs.
type Source struct {
	Name string  `toml:"name"`
	Cost float64 `toml:"cost"`
}

// SourceCosts returns the cost of one lead by source name.
func (c *Config) SourceCosts() map[string]float64 {
	costs := make(map[string]float64, len(c.Sources))
	for _, s := range c.Sources {
		costs[s.Name] = s.Cost
	}
	return costs
}

// validateReport checks the [goals] table and the [[source]] entries.
func (c *Config) validateReport() error {
	at := func(key string, format string, args ...any) error {
		line, col := locate(c.data, toml.Key(strings.Split(key, ".")))
		return fmt.Errorf("%s:%d:%d: %s: %s", c.path, line, col, key, fmt.Sprintf(format, args...))
	}
	for _, g := range []struct {
		key string
		v   float64
	}{{"goals.follow_up_rate", c.Goals.FollowUpRate}, {"goals.qualified_rate", c.Goals.QualifiedRate}, {"goals.won_rate", c.Goals.WonRate}} {
		if g.v < 0 || g.v > 100 || math.IsNaN(g.v) {
			return at(g.key, "%v is not a percentage; write a number from 0 (no goal) to 100", g.v)
		}
	}
	seen := map[string]bool{}
	for i, s := range c.Sources {
		line := nthLine(c.data, "[[source]]", i)
		switch {
		case strings.TrimSpace(s.Name) == "":
			return fmt.Errorf("%s:%d:1: source %d has no name; write name = \"webinar\" (as leads' --source spells it)", c.path, line, i+1)
		case seen[s.Name]:
			return fmt.Errorf("%s:%d:1: source %q is listed twice; keep one [[source]] for it", c.path, line, s.Name)
		case s.Cost < 0 || math.IsNaN(s.Cost) || math.IsInf(s.Cost, 0):
			return fmt.Errorf("%s:%d:1: source %q costs %v; a cost is 0 or more, e.g. cost = 35", c.path, line, s.Name, s.Cost)
		}
		seen[s.Name] = true
	}
	return nil
}

// ReportGoals returns the goals as the report marks them.
func (c *Config) ReportGoals() report.Goals {
	return report.Goals{FollowUpRate: c.Goals.FollowUpRate, MedianResponse: c.Goals.MedianResponse.Duration,
		QualifiedRate: c.Goals.QualifiedRate, WonRate: c.Goals.WonRate}
}
