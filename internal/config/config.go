// Package config reads followup's TOML configuration, writes a commented
// default on first run, and turns it into a cadence.Policy. Every error
// names the file, line and column, and the key.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/followuphq/followup/cadence"
)

// Config is the parsed configuration file.
type Config struct {
	Team    Team    `toml:"team"`
	Hours   Hours   `toml:"hours"`
	SLA     SLA     `toml:"sla"`
	Contact Contact `toml:"contact"`
	Cadence Cadence `toml:"cadence"`
	Nurture Nurture `toml:"nurture"`
	Server  Server  `toml:"server"`
	Intake  Intake  `toml:"intake"`
	Backup  Backup  `toml:"backup"`
	Qualify Qualify `toml:"qualify"`
	Assign  Assign  `toml:"assign"`
	// Goals are the report's targets; Sources price leads by where they
	// came from (goals.go).
	Goals   Goals    `toml:"goals"`
	Sources []Source `toml:"source"`
	// Keys remaps the TUI key of an outcome: outcome id → key.
	Keys map[string]string `toml:"keys"`

	path string
	data []byte
}

// Team is the [team] table.
type Team struct {
	Timezone    string `toml:"timezone"`
	PhoneRegion string `toml:"phone_region"`
	Rep         string `toml:"rep"`
}

// Hours is the [hours] table: business hours in the team's timezone.
type Hours struct {
	Open     cadence.ClockTime `toml:"open"`
	Close    cadence.ClockTime `toml:"close"`
	Days     []Weekday         `toml:"days"`
	Holidays []cadence.Date    `toml:"holidays"`
}

// SLA is the [sla] table.
type SLA struct {
	FirstResponse Duration `toml:"first_response"`
}

// Contact is the [contact] table: the contact rules.
type Contact struct {
	CallFrom       cadence.ClockTime `toml:"call_from"`
	CallUntil      cadence.ClockTime `toml:"call_until"`
	MinGap         cadence.Offset    `toml:"min_gap"`
	MaxCallsPerDay int               `toml:"max_calls_per_day"`
}

// Cadence is the [cadence] table: its steps.
type Cadence struct {
	Steps []Step `toml:"step"`
}

// Step is one [[cadence.step]].
type Step struct {
	At       cadence.Offset    `toml:"at"`
	Channel  cadence.Channel   `toml:"channel"`
	Requires cadence.Condition `toml:"requires"`
	Label    string            `toml:"label"`
}

// Nurture is the [nurture] table.
type Nurture struct {
	Every    cadence.Offset    `toml:"every"`
	Channels []cadence.Channel `toml:"channels"`
}

// Server is the [server] table: limits of `followup serve`.
type Server struct {
	IdleTimeout Duration `toml:"idle_timeout"`
	MaxSessions int      `toml:"max_sessions"`
}

// Intake is the [intake] table: the HTTP intake of `followup serve --intake`.
type Intake struct {
	// Token is the bearer token web forms and other systems send. Keep the
	// config file private (it is written 0600).
	Token string `toml:"token"`
}

// Backup is the [backup] table: the snapshots followup serve takes.
type Backup struct {
	// Every is how often; zero turns snapshots off.
	Every Duration `toml:"every"`
	// Keep is how many snapshots to keep, the newest.
	Keep int `toml:"keep"`
	// Dir is the folder they go to; a relative one is beside the database.
	Dir string `toml:"dir"`
}

// Qualify is the [qualify] table: when a person who reached out becomes a
// lead. Below the bar they are a name, kept on the nurture list outside
// every queue until they reach out again.
type Qualify struct {
	// MinInteractions is how many times a person must reach out to be a
	// lead; an explicit "please contact me" is a lead at once.
	MinInteractions int `toml:"min_interactions"`
}

// Assign is the [assign] table: who gets a new lead.
type Assign struct {
	// Method is "least-loaded" (the rep with the fewest untouched leads)
	// or "round-robin" (each rep in turn).
	Method string `toml:"method"`
}

// Assignment methods.
const (
	LeastLoaded = "least-loaded"
	RoundRobin  = "round-robin"
)

// Duration is a time.Duration written like "30m" or "1h30m".
type Duration struct{ time.Duration }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil || v < 0 {
		return fmt.Errorf("%q is not a duration; write e.g. 30m or 1h30m", string(b))
	}
	d.Duration = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Weekday is a day name written "mon" … "sun".
type Weekday time.Weekday

var weekdayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// UnmarshalText implements encoding.TextUnmarshaler.
func (w *Weekday) UnmarshalText(b []byte) error {
	s := strings.ToLower(strings.TrimSpace(string(b)))
	for i, n := range weekdayNames {
		if s == n || len(s) > 3 && strings.HasPrefix(strings.ToLower(time.Weekday(i).String()), s) {
			*w = Weekday(i)
			return nil
		}
	}
	return fmt.Errorf("%q is not a day; write mon, tue, wed, thu, fri, sat or sun", string(b))
}

// MarshalText implements encoding.TextMarshaler.
func (w Weekday) MarshalText() ([]byte, error) { return []byte(weekdayNames[w]), nil }

// Default returns the configuration written on first run.
func Default() *Config {
	c, err := parse("default config", []byte(defaultFile))
	if err != nil {
		panic(fmt.Sprintf("the built-in default config is invalid: %v", err))
	}
	return c
}

// Path returns the file the configuration was read from ("" for defaults).
func (c *Config) Path() string { return c.path }

// Load reads the configuration at path. When the file does not exist it is
// created with the commented defaults (mode 0600) and created is true.
func Load(path string) (c *Config, created bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := writeDefault(path); err != nil {
			return nil, false, err
		}
		data, created = []byte(defaultFile), true
	} else if err != nil {
		return nil, false, fmt.Errorf("read config %s: %w", path, err)
	}
	c, err = parse(path, data)
	return c, created, err
}

// LoadExisting reads the configuration at path without creating it: a
// missing file gives the defaults.
func LoadExisting(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	} else if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	return parse(path, data)
}

func writeDefault(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create config folder for %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil // another process wrote it first
	} else if err != nil {
		return fmt.Errorf("create config %s: %w", path, err)
	}
	if _, err := f.WriteString(defaultFile); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("write config %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return fmt.Errorf("write config %s: %w", path, err)
	}
	return nil
}

// wrongType matches the TOML decoder's error for a value of the wrong type.
var wrongType = regexp.MustCompile(`^toml: (?:line \d+ )?\(last key "([^"]*)"\): (.*)$`)

// Parse reads configuration text; name is used in error messages.
func Parse(name string, data []byte) (*Config, error) { return parse(name, data) }

func parse(name string, data []byte) (*Config, error) {
	c := &Config{}
	// Start from the defaults, so a file holds only what differs.
	if _, err := toml.Decode(defaultFile, c); err != nil {
		panic(fmt.Sprintf("the built-in default config is invalid: %v", err))
	}
	c.path, c.data = name, data
	// A file's steps replace the default cadence whole: decoded into the
	// default steps, they would keep those steps' labels and conditions.
	defaultSteps := c.Cadence.Steps
	c.Cadence.Steps = nil
	md, err := toml.Decode(string(data), c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := strings.TrimSuffix(pe.Message, ".") // the caller ends the sentence
			if pe.LastKey != "" && !strings.Contains(msg, pe.LastKey) {
				msg = pe.LastKey + ": " + msg
			}
			return nil, fmt.Errorf("%s:%d:%d: %s", name, pe.Position.Line, pe.Position.Col, msg)
		}
		// A value of the wrong type is a plain error naming the key.
		if m := wrongType.FindStringSubmatch(err.Error()); m != nil {
			line, col := locate(data, toml.Key(strings.Split(m[1], ".")))
			return nil, fmt.Errorf("%s:%d:%d: %s: %s", name, line, col, m[1], m[2])
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if !md.IsDefined("cadence", "step") {
		c.Cadence.Steps = defaultSteps
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		line, col := locate(data, k)
		return nil, fmt.Errorf("%s:%d:%d: unknown key %q; check its spelling against the commented default (delete the file to get it back)", name, line, col, k.String())
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	if err := c.validateReport(); err != nil {
		return nil, err
	}
	return c, nil
}
