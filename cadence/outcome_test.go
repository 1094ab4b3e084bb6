package cadence

import (
	"strings"
	"testing"
)

// An outcome reads from its id or its label, in any case, with its words
// joined any way; a slip names the outcome meant; what is far from every
// outcome names none.
func TestParseOutcome(t *testing.T) {
	for _, o := range Outcomes {
		for _, s := range []string{o.String(), o.Label(), strings.ToUpper(o.Label()), strings.ReplaceAll(o.String(), "-", ""),
			strings.ReplaceAll(o.Label(), " ", "_"), " " + o.String() + " "} {
			if got, err := ParseOutcome(s); err != nil || got != o {
				t.Errorf("ParseOutcome(%q) = %v, %v; want %v", s, got, err, o)
			}
		}
	}
	for s, meant := range map[string]Outcome{"voicemial": Voicemail, "no-anwser": NoAnswer, "metting": MeetingBooked, "qualifed": Qualified, "do-not-contcat": DoNotContact} {
		_, err := ParseOutcome(s)
		if err == nil || !strings.Contains(err.Error(), "did you mean "+meant.String()+"?") {
			t.Errorf("ParseOutcome(%q): %v; want it to suggest %v", s, err, meant)
		}
	}
	for _, s := range []string{"maybe", "", "x", "won't", "called"} {
		_, err := ParseOutcome(s)
		if err == nil || strings.Contains(err.Error(), "did you mean") {
			t.Errorf("ParseOutcome(%q): %v; want an error that suggests nothing", s, err)
		}
	}
}
