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

// ParseOutcome reads an outcome id such as "no-answer", whatever its case
// and however its words are joined ("noanswer", "No answer", "meeting
// booked"). For what is none, the error names the outcome it is likely a
// slip for, if one is close.
func ParseOutcome(s string) (Outcome, error) {
	want := letters(s)
	for _, o := range Outcomes {
		if want == letters(o.String()) || want == letters(o.Label()) {
			return o, nil
		}
	}
	msg := fmt.Sprintf("%q is not an outcome", strings.TrimSpace(s))
	if o, ok := nearestOutcome(want); ok {
		msg += fmt.Sprintf(" (did you mean %s?)", o)
	}
	return NoOutcome, fmt.Errorf("%s; use one of %s", msg, joinStrings(Outcomes))
}

// letters is s lowercased, without what is not a letter.
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return -1
	}, s)
}

// nearestOutcome returns the one outcome whose id or label is a slip
// away from s (letters only), if there is exactly one: an edit for every
// four letters, at most two (no slip makes "won" of "wont").
func nearestOutcome(s string) (Outcome, bool) {
	found, n := NoOutcome, 0
	for _, o := range Outcomes {
		for _, name := range []string{letters(o.String()), letters(o.Label())} {
			if d := editDistance(s, name); d > 0 && d <= min(2, len(name)/4) {
				found, n = o, n+1
				break
			}
		}
	}
	return found, n == 1
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		prev := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			prev, row[j] = row[j], min(row[j]+1, row[j-1]+1, prev+cost)
		}
	}
	return row[len(b)]
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
