package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
)

func TestLoadWritesCommentedDefaultOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "followup", "config.toml")
	c, created, err := Load(path)
	if err != nil || !created {
		t.Fatalf("first Load: created=%v err=%v", created, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("config mode %v, want 0600", info.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "# Business time from receipt to first contact") {
		t.Error("the written config has no comments")
	}
	if c.SLA.FirstResponse.Duration != 30*time.Minute || len(c.Cadence.Steps) != 11 {
		t.Errorf("defaults: SLA %v, %d steps", c.SLA.FirstResponse, len(c.Cadence.Steps))
	}
	if _, created, err := Load(path); err != nil || created {
		t.Errorf("second Load: created=%v err=%v", created, err)
	}
}

func TestDefaultPolicyMatchesProduct(t *testing.T) {
	p := Default().Policy()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	want := cadence.DefaultPolicy(p.Calendar.Location)
	if len(p.Plan.Steps) != len(want.Plan.Steps) {
		t.Fatalf("%d steps, want %d", len(p.Plan.Steps), len(want.Plan.Steps))
	}
	for i, s := range p.Plan.Steps {
		if s.At != want.Plan.Steps[i].At || s.Channel != want.Plan.Steps[i].Channel {
			t.Errorf("step %d = %v %v, want %v %v", i+1, s.At, s.Channel, want.Plan.Steps[i].At, want.Plan.Steps[i].Channel)
		}
	}
	if p.MinGap != want.MinGap || p.MaxCallsPerDay != 3 || p.CallWindowOpen != 8*60 || p.CallWindowClose != 21*60 {
		t.Errorf("contact rules differ from the product's defaults: %+v", p)
	}
}

func TestPartialFileKeepsOtherDefaults(t *testing.T) {
	c, err := Parse("p.toml", []byte("[sla]\nfirst_response = \"45m\"\n\n[hours]\nholidays = [\"2026-12-25\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := c.Policy()
	if p.FirstResponse != 45*time.Minute {
		t.Errorf("SLA %v, want 45m", p.FirstResponse)
	}
	if !p.Calendar.Holidays[cadence.Date{Year: 2026, Month: 12, Day: 25}] || !p.Calendar.Days[time.Monday] {
		t.Errorf("calendar %+v lost a default or the holiday", p.Calendar)
	}
	if c.Team.Timezone != "America/New_York" || len(p.Plan.Steps) != 11 {
		t.Errorf("defaults lost: zone %q, %d steps", c.Team.Timezone, len(p.Plan.Steps))
	}
}

func TestCustomCadenceReplacesDefaultSteps(t *testing.T) {
	c, err := Parse("c.toml", []byte(`
[[cadence.step]]
at = "0d"
channel = "call"

[[cadence.step]]
at = "4h"
channel = "sms"
requires = "sms-opt-in"
`))
	if err != nil {
		t.Fatal(err)
	}
	steps := c.Policy().Plan.Steps
	if len(steps) != 2 || steps[1].Channel != cadence.SMS || steps[1].Requires != cadence.RequiresSMSOptIn {
		t.Errorf("steps = %+v", steps)
	}
}

func TestErrorsNameFileLineColumnAndKey(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"typo", "[sla]\nfirst_responce = \"30m\"\n", `t.toml:2:1: unknown key "sla.first_responce"`},
		{"bad duration", "[sla]\nfirst_response = \"3x\"\n", `t.toml:2:19: sla.first_response: "3x" is not a duration; write e.g. 30m or 1h30m`},
		{"bad clock", "[hours]\nopen = \"9am\"\n", `t.toml:2:9: hours.open:`},
		{"bad zone", "[team]\ntimezone = \"Mars/Olympus\"\n", `t.toml:2:1: team.timezone: "Mars/Olympus" is not a timezone`},
		{"hours backwards", "[hours]\nopen = \"17:00\"\nclose = \"09:00\"\n", `t.toml:3:1: hours.close: closing time 09:00 is not after opening time 17:00`},
		{"sms without opt-in", "[[cadence.step]]\nat = \"0d\"\nchannel = \"call\"\n[[cadence.step]]\nat = \"1d\"\nchannel = \"sms\"\n", `t.toml:4:1: cadence step 2 texts only leads who opted in`},
		{"step out of order", "[[cadence.step]]\nat = \"2d\"\nchannel = \"call\"\n[[cadence.step]]\nat = \"1d\"\nchannel = \"email\"\n", `comes before step 1`},
		{"bad channel", "[[cadence.step]]\nat = \"0d\"\nchannel = \"fax\"\n", `t.toml:3:12: cadence.step.channel: "fax" is not a channel`},
		{"duplicate key", "[keys]\nwon = \"1\"\n", `key "1" is already the key of`},
		{"navigation key", "[keys]\nwon = \"j\"\n", `t.toml:2:1: keys.won: "j" already moves or acts in the workstation`},
		{"not toml", "[sla\n", `t.toml:2:5: expected`},
		{"zero interactions", "[qualify]\nmin_interactions = 0\n", `t.toml:2:1: qualify.min_interactions: must be 1 or more, not 0`},
		{"unknown method", "[assign]\nmethod = \"random\"\n", `t.toml:2:1: assign.method: "random" is not a method; use "least-loaded" or "round-robin"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.toml", []byte(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

func TestOutcomeKeysRemap(t *testing.T) {
	c, err := Parse("k.toml", []byte("[keys]\nwon = \"w\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	keys := c.OutcomeKeys()
	if keys[cadence.Won] != "w" || keys[cadence.NoAnswer] != "1" || keys[cadence.DoNotContact] != "0" {
		t.Errorf("keys = %v", keys)
	}
}
