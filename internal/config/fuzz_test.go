package config

import (
	"bytes"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/followuphq/followup/cadence"
)

// fileErr is the shape of every configuration error: the file, a line and
// a column, then what is wrong.
var fileErr = regexp.MustCompile(`^fuzz\.toml:(\d+):(\d+): \S`)

// checkFileErr fails unless err is one sentence naming a place in data.
func checkFileErr(t *testing.T, data []byte, err error) {
	t.Helper()
	msg := err.Error()
	m := fileErr.FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("error does not start with file:line:column: %q", msg)
	}
	line, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2])
	if lines := bytes.Count(data, []byte("\n")) + 1; line < 1 || line > lines || col < 1 {
		t.Fatalf("error names %d:%d in a file of %d lines: %q", line, col, lines, msg)
	}
	if strings.ContainsAny(msg, "\n\r") || strings.HasSuffix(msg, ".") {
		t.Fatalf("error is not one sentence: %q", msg)
	}
}

// roundTrip writes c back as TOML and reads it again: the same
// configuration, as the program uses it.
func roundTrip(t *testing.T, c *Config) {
	t.Helper()
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(c); err != nil {
		t.Fatalf("encode %+v: %v", c, err)
	}
	back, err := Parse("fuzz.toml", buf.Bytes())
	if err != nil {
		t.Fatalf("a valid configuration written back does not read: %v\n%s", err, buf.Bytes())
	}
	back.path, back.data = c.path, c.data
	if !reflect.DeepEqual(normal(back), normal(c)) {
		t.Fatalf("round trip changed the configuration:\n%+v\n%+v\n%s", c, back, buf.Bytes())
	}
}

// normal is c with empty maps and slices as nil, which TOML cannot tell
// apart.
func normal(c *Config) Config {
	n := *c
	if len(n.Keys) == 0 {
		n.Keys = nil
	}
	if len(n.Hours.Holidays) == 0 {
		n.Hours.Holidays = nil
	}
	return n
}

// FuzzConfig: any file either reads as a configuration whose policy holds
// (its cadence validates) and which writes back and reads as the same, or
// is refused with one sentence naming file:line:column.
func FuzzConfig(f *testing.F) {
	f.Add([]byte(defaultFile))
	f.Add([]byte("[team]\ntimezone = \"Europe/Berlin\"\n[hours]\nopen = \"08:30\"\nclose = \"17:30\"\ndays = [\"mon\", \"tue\", \"thursday\"]\nholidays = [\"2026-12-25\"]\n"))
	f.Add([]byte("[sla]\nfirst_response = \"1h30m\"\n[contact]\nmin_gap = \"2bd\"\nmax_calls_per_day = 3\n"))
	f.Add([]byte("[[cadence.step]]\nat = \"0d\"\nchannel = \"call\"\n[[cadence.step]]\nat = \"1d\"\nchannel = \"sms\"\nrequires = \"sms-opt-in\"\nlabel = \"text\"\n"))
	f.Add([]byte("[nurture]\nevery = \"30bd\"\nchannels = [\"email\", \"call\"]\n[keys]\nwon = \"w\"\n"))
	f.Add([]byte("[keys]\nwon = \"1\"\n"))
	f.Add([]byte("[team]\ntimezone = 3\n"))
	f.Add([]byte("[hours]\nopen = \"25:00\"\n"))
	f.Add([]byte("[team\n"))
	f.Add([]byte("nope = 1\n"))
	f.Add([]byte("[[cadence.step]]\nat = \"2d\"\nchannel = \"call\"\n[[cadence.step]]\nat = \"1d\"\nchannel = \"email\"\n"))
	f.Add([]byte("[server]\nidle_timeout = \"-5m\"\nmax_sessions = 0\n"))
	f.Add([]byte("[assign]\nmethod = \"round-robin\"\n[qualify]\nmin_interactions = 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.toml", data)
		if err != nil {
			checkFileErr(t, data, err)
			return
		}
		if err := c.Policy().Plan.Validate(); err != nil {
			t.Fatalf("a configuration that reads has an invalid cadence: %v", err)
		}
		roundTrip(t, c)
	})
}

// FuzzCadenceSteps: cadence definitions written with any offset, channel,
// condition and label either read as exactly those steps, which write back
// the same, or are refused with one sentence naming file:line:column.
func FuzzCadenceSteps(f *testing.F) {
	f.Add("0d", "call", "", "first call", "1bd", "email", "")
	f.Add("30m", "research", "", "", "2h", "sms", "sms-opt-in")
	f.Add("0d", "call", "", "", "0d", "mail", "")
	f.Add("5bd", "social", "", "connect", "3d", "email", "")
	f.Add("1d", "meeting", "", "", "2d", "call", "")
	f.Add("0d", "fax", "", "", "-1d", "call", "sms-opt-in")
	f.Add("100001d", "call", "", "", "9999999999999999999999h", "email", "always")
	f.Fuzz(func(t *testing.T, at1, ch1, req1, label1, at2, ch2, req2 string) {
		var doc bytes.Buffer
		type step struct {
			At       string `toml:"at"`
			Channel  string `toml:"channel"`
			Requires string `toml:"requires,omitempty"`
			Label    string `toml:"label,omitempty"`
		}
		steps := []step{{at1, ch1, req1, label1}, {at2, ch2, req2, ""}}
		if err := toml.NewEncoder(&doc).Encode(map[string]any{"cadence": map[string]any{"step": steps}}); err != nil {
			t.Skip("not writable as TOML") // e.g. invalid UTF-8: no config file can hold it
		}
		data := doc.Bytes()
		c, err := Parse("fuzz.toml", data)
		if err != nil {
			checkFileErr(t, data, err)
			return
		}
		got := c.Policy().Plan.Steps
		if len(got) != 2 {
			t.Fatalf("%d steps read from two:\n%s", len(got), data)
		}
		for i, s := range steps {
			at, err := cadence.ParseOffset(s.At)
			if err != nil || got[i].At != at {
				t.Fatalf("step %d: at %v read from %q (ParseOffset: %v, %v)", i+1, got[i].At, s.At, at, err)
			}
			ch, err := cadence.ParseChannel(s.Channel)
			if err != nil || got[i].Channel != ch {
				t.Fatalf("step %d: channel %v read from %q (ParseChannel: %v, %v)", i+1, got[i].Channel, s.Channel, ch, err)
			}
			if got[i].Label != s.Label {
				t.Fatalf("step %d: label %q read from %q", i+1, got[i].Label, s.Label)
			}
		}
		roundTrip(t, c)
	})
}

// FuzzDuration: a duration setting (sla.first_response, server.idle_timeout)
// either reads as a non-negative duration that writes back the same, or is
// refused with one sentence quoting what was written.
func FuzzDuration(f *testing.F) {
	for _, s := range []string{"30m", "1h30m", " 45s ", "0", "-5m", "1.5h", "3d", "", "9223372036854775807ns", "1e3h", "µs"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d Duration
		if err := d.UnmarshalText([]byte(s)); err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, strconv.Quote(s)) || strings.ContainsAny(msg, "\n\r") || strings.HasSuffix(msg, ".") {
				t.Fatalf("UnmarshalText(%q): error is not one sentence quoting the input: %q", s, msg)
			}
			return
		}
		if d.Duration < 0 {
			t.Fatalf("UnmarshalText(%q) = %v, negative", s, d.Duration)
		}
		text, err := d.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Duration
		if err := back.UnmarshalText(text); err != nil || back != d {
			t.Fatalf("UnmarshalText(%q) = %v, written %q, read back %v, %v", s, d.Duration, text, back.Duration, err)
		}
	})
}

// Found by FuzzConfig and FuzzCadenceSteps: a value of the wrong type is
// named by file:line:column like every other error, and a file's cadence
// steps replace the default steps whole, keeping none of their labels.
func TestFuzzFindings(t *testing.T) {
	_, err := Parse("fuzz.toml", []byte("[team]\ntimezone = 3\n"))
	if err == nil || err.Error() != "fuzz.toml:2:1: team.timezone: incompatible types: TOML value has type int64; destination has type string" {
		t.Errorf("wrong type: %v", err)
	}
	c, err := Parse("fuzz.toml", []byte("[[cadence.step]]\nat = \"0d\"\nchannel = \"call\"\n[[cadence.step]]\nat = \"1d\"\nchannel = \"email\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range c.Policy().Plan.Steps {
		if s.Label != "" || s.Requires != cadence.Always {
			t.Errorf("step %d kept a default step's label %q or condition %v", i+1, s.Label, s.Requires)
		}
	}
}

// The [backup] table: snapshots every 24h into "backups", 7 kept, unless
// the file says otherwise; a bad value is named by file:line:column.
func TestBackupTable(t *testing.T) {
	c := Default()
	if c.Backup.Every.Duration != 24*time.Hour || c.Backup.Keep != 7 || c.Backup.Dir != "backups" {
		t.Errorf("default [backup] = %+v", c.Backup)
	}
	if c, err := Parse("fuzz.toml", []byte("[backup]\nevery = \"0s\"\n")); err != nil || c.Backup.Every.Duration != 0 {
		t.Errorf("snapshots off: %+v, %v", c, err)
	}
	for text, want := range map[string]string{
		"[backup]\nevery = \"30s\"\n":             `fuzz.toml:2:1: backup.every: must be "0s" (no snapshots) or a minute or more, e.g. 24h`,
		"[backup]\nkeep = 0\n":                    "fuzz.toml:2:1: backup.keep: must be 1 or more, not 0",
		"[backup]\nevery = \"1h\"\ndir = \" \"\n": `fuzz.toml:3:1: backup.dir: name the folder for the snapshots, e.g. "backups" (beside the database)`,
	} {
		if _, err := Parse("fuzz.toml", []byte(text)); err == nil || err.Error() != want {
			t.Errorf("%q: %v; want %s", text, err, want)
		}
	}
}
