package cadence

import (
	"fmt"
	"strings"
)

// Outcome is what happened on a touch. Each outcome has an id (used by the
// command line and the JSON exports) and a default key in the TUI.
type Outcome uint8

// The outcomes of PRODUCT.md, in key order 1…9, 0.
const (
	NoOutcome Outcome = iota
	NoAnswer
	Voicemail
	Connected
	MeetingBooked
	NotNow
	BadNumber
	Qualified
	Won
	Lost
	DoNotContact
)

var outcomeIDs = [...]string{"", "no-answer", "voicemail", "connected", "meeting", "not-now",
	"bad-number", "qualified", "won", "lost", "do-not-contact"}

var outcomeLabels = [...]string{"", "no answer", "voicemail", "connected", "meeting booked",
	"not now", "bad number", "qualified", "won", "lost", "do not contact"}

// Outcomes lists every outcome in key order (1…9, then 0).
var Outcomes = []Outcome{NoAnswer, Voicemail, Connected, MeetingBooked, NotNow, BadNumber,
	Qualified, Won, Lost, DoNotContact}

// String returns the outcome's id, e.g. "no-answer".
func (o Outcome) String() string {
	if int(o) < len(outcomeIDs) {
		return outcomeIDs[o]
	}
	return fmt.Sprintf("outcome(%d)", uint8(o))
}

// Label returns the outcome in plain words, e.g. "no answer".
func (o Outcome) Label() string {
	if int(o) < len(outcomeLabels) {
		return outcomeLabels[o]
	}
	return o.String()
}

// DefaultKey returns the TUI key of the outcome: "1"…"9", and "0" for
// do-not-contact.
func (o Outcome) DefaultKey() string {
	if o == DoNotContact {
		return "0"
	}
	return fmt.Sprint(int(o))
}

// ParseOutcome reads an outcome id such as "no-answer".
func ParseOutcome(s string) (Outcome, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for i, id := range outcomeIDs {
		if i > 0 && id == s {
			return Outcome(i), nil
		}
	}
	return NoOutcome, fmt.Errorf("%q is not an outcome; use one of %s", s, joinStrings(Outcomes))
}

// MarshalText implements encoding.TextMarshaler.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Outcome) UnmarshalText(b []byte) error {
	v, err := ParseOutcome(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}

// Closes reports whether the outcome closes the lead (won, lost,
// do-not-contact). Only these take a lead out of every queue.
func (o Outcome) Closes() bool { return o == Won || o == Lost || o == DoNotContact }

// NeedsDate reports whether the outcome needs a date: the meeting time, or
// when the prospect asked to be contacted again.
func (o Outcome) NeedsDate() bool { return o == MeetingBooked || o == NotNow }

// NeedsReason reports whether the outcome needs a note giving the reason
// (an actual no must say why).
func (o Outcome) NeedsReason() bool { return o == Lost }
