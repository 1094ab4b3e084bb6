package config

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/followuphq/followup/cadence"
)

// Location returns the team's timezone.
func (c *Config) Location() *time.Location {
	loc, err := cadence.LoadLocation(c.Team.Timezone)
	if err != nil {
		return time.UTC // validate has rejected an unknown zone already
	}
	return loc
}

// Policy returns the cadence policy the configuration describes.
func (c *Config) Policy() cadence.Policy {
	loc := c.Location()
	cal := cadence.Calendar{Location: loc, Open: c.Hours.Open, Close: c.Hours.Close, Holidays: map[cadence.Date]bool{}}
	for _, d := range c.Hours.Days {
		cal.Days[time.Weekday(d)] = true
	}
	for _, h := range c.Hours.Holidays {
		cal.Holidays[h] = true
	}
	plan := cadence.Plan{NurtureEvery: c.Nurture.Every, NurtureChannels: c.Nurture.Channels}
	for _, s := range c.Cadence.Steps {
		plan.Steps = append(plan.Steps, cadence.Step{At: s.At, Channel: s.Channel, Requires: s.Requires, Label: s.Label})
	}
	return cadence.Policy{
		Calendar:        cal,
		FirstResponse:   c.SLA.FirstResponse.Duration,
		CallWindowOpen:  c.Contact.CallFrom,
		CallWindowClose: c.Contact.CallUntil,
		MinGap:          c.Contact.MinGap,
		MaxCallsPerDay:  c.Contact.MaxCallsPerDay,
		Plan:            plan,
	}
}

// OutcomeKeys returns the TUI key of every outcome, defaults overridden by
// the [keys] table.
func (c *Config) OutcomeKeys() map[cadence.Outcome]string {
	keys := make(map[cadence.Outcome]string, len(cadence.Outcomes))
	for _, o := range cadence.Outcomes {
		keys[o] = o.DefaultKey()
		if k, ok := c.Keys[o.String()]; ok {
			keys[o] = k
		}
	}
	return keys
}

// validate checks what the types alone do not, naming the key's place.
func (c *Config) validate() error {
	at := func(key string, format string, args ...any) error {
		k := toml.Key(strings.Split(key, "."))
		line, col := locate(c.data, k)
		return fmt.Errorf("%s:%d:%d: %s: %s", c.path, line, col, key, fmt.Sprintf(format, args...))
	}
	if _, err := cadence.LoadLocation(c.Team.Timezone); err != nil || c.Team.Timezone == "" {
		return at("team.timezone", "%q is not a timezone; use an IANA name such as America/New_York or Europe/Berlin", c.Team.Timezone)
	}
	if c.Team.Rep != "" {
		if err := cadence.ValidateRepName(c.Team.Rep); err != nil {
			return at("team.rep", "%v", err)
		}
	}
	if c.Hours.Open >= c.Hours.Close {
		return at("hours.close", "closing time %s is not after opening time %s", c.Hours.Close, c.Hours.Open)
	}
	if len(c.Hours.Days) == 0 {
		return at("hours.days", "no business days; list at least one, e.g. [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]")
	}
	if c.SLA.FirstResponse.Duration <= 0 {
		return at("sla.first_response", "must be more than zero, e.g. 30m")
	}
	if c.Contact.CallFrom >= c.Contact.CallUntil {
		return at("contact.call_until", "%s is not after call_from %s", c.Contact.CallUntil, c.Contact.CallFrom)
	}
	if c.Contact.MaxCallsPerDay < 0 {
		return at("contact.max_calls_per_day", "must be 0 (no cap) or more, not %d", c.Contact.MaxCallsPerDay)
	}
	if c.Server.IdleTimeout.Duration < time.Minute {
		return at("server.idle_timeout", "must be a minute or more, e.g. 30m")
	}
	if c.Server.MaxSessions < 1 {
		return at("server.max_sessions", "must be 1 or more, not %d", c.Server.MaxSessions)
	}
	if c.Backup.Every.Duration != 0 && c.Backup.Every.Duration < time.Minute {
		return at("backup.every", "must be \"0s\" (no snapshots) or a minute or more, e.g. 24h")
	}
	if c.Backup.Keep < 1 {
		return at("backup.keep", "must be 1 or more, not %d", c.Backup.Keep)
	}
	if c.Backup.Every.Duration != 0 && strings.TrimSpace(c.Backup.Dir) == "" {
		return at("backup.dir", "name the folder for the snapshots, e.g. \"backups\" (beside the database)")
	}
	if c.Qualify.MinInteractions < 1 {
		return at("qualify.min_interactions", "must be 1 or more, not %d", c.Qualify.MinInteractions)
	}
	if c.Assign.Method != LeastLoaded && c.Assign.Method != RoundRobin {
		return at("assign.method", "%q is not a method; use %q or %q", c.Assign.Method, LeastLoaded, RoundRobin)
	}
	if len(c.Cadence.Steps) == 0 {
		return at("cadence", "the cadence has no steps; add at least one [[cadence.step]]")
	}
	for i, s := range c.Cadence.Steps {
		if s.Channel == cadence.NoChannel {
			return c.stepErr(i, "has no channel; set channel = \"call\" (or email, sms, social, mail, research)")
		}
		if s.Channel == cadence.Meeting {
			return c.stepErr(i, "cannot plan a meeting; a meeting is booked with the meeting outcome")
		}
		if s.Channel == cadence.SMS && s.Requires != cadence.RequiresSMSOptIn {
			return c.stepErr(i, "texts only leads who opted in: add requires = \"sms-opt-in\"")
		}
	}
	if err := c.Policy().Plan.Validate(); err != nil {
		return at("cadence", "%v", err)
	}
	if c.Nurture.Every.N <= 0 {
		return at("nurture.every", "must be more than zero, e.g. 30bd")
	}
	if len(c.Nurture.Channels) == 0 {
		return at("nurture.channels", "no channels; list at least one, e.g. [\"email\", \"call\"]")
	}
	for id, key := range c.Keys {
		if _, err := cadence.ParseOutcome(id); err != nil {
			return at("keys."+id, "%v", err)
		}
		if key == "" || len([]rune(key)) != 1 && !strings.Contains(key, "+") {
			return at("keys."+id, "%q is not a key; use one character, e.g. \"1\"", key)
		}
		if slices.Contains(reservedKeys, key) {
			return at("keys."+id, "%q already moves or acts in the workstation (%s are taken); choose another key", key, strings.Join(reservedKeys, " "))
		}
	}
	seen := map[string]cadence.Outcome{}
	keys := c.OutcomeKeys()
	for _, o := range cadence.Outcomes { // in order, so the message is stable
		if other, ok := seen[keys[o]]; ok {
			id := o
			if _, mine := c.Keys[o.String()]; !mine {
				id, other = other, o
			}
			return at("keys."+id.String(), "key %q is already the key of %s; give that outcome another key too", keys[o], other)
		}
		seen[keys[o]] = o
	}
	return nil
}

// reservedKeys are the workstation's own keys, which no outcome may take.
var reservedKeys = []string{"j", "k", "g", "G", "f", "e", "a", "/", "?", "q", "tab", "enter", "esc", "up", "down"}

// stepErr reports a problem with the i-th [[cadence.step]], at its header.
func (c *Config) stepErr(i int, msg string) error {
	line := nthLine(c.data, "[[cadence.step]]", i)
	return fmt.Errorf("%s:%d:1: cadence step %d %s", c.path, line, i+1, msg)
}

// nthLine returns the 1-based line of the n-th (0-based) line that is
// exactly header, or 1 when there is none.
func nthLine(data []byte, header string, n int) int {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == header {
			if n == 0 {
				return line
			}
			n--
		}
	}
	return 1
}

// locate finds where a key is written: the line and column of "name =" in
// its table, or of the table's header; 1:1 when it is not written at all
// (a default that is wrong only together with another key).
func locate(data []byte, key toml.Key) (line, col int) {
	if len(key) == 0 {
		return 1, 1
	}
	table, name := strings.Join(key[:len(key)-1], "."), key[len(key)-1]
	current := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	headerLine := 0
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		trimmed := strings.TrimSpace(text)
		switch {
		case strings.HasPrefix(trimmed, "["):
			current = strings.Trim(trimmed, "[] ")
			if current == key.String() {
				headerLine = n
			}
		case current == table && (strings.HasPrefix(trimmed, name+" ") || strings.HasPrefix(trimmed, name+"=")):
			return n, strings.Index(text, name) + 1
		}
	}
	if headerLine > 0 {
		return headerLine, 1
	}
	return 1, 1
}
