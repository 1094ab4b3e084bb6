package cadence

import (
	"fmt"
	"strings"
	"time"
)

// LeadID identifies a lead. Ids are small positive integers handed out in
// order of entry, so a rep can type them.
type LeadID uint64

// String returns the id as a decimal number.
func (id LeadID) String() string { return fmt.Sprint(uint64(id)) }

// Status is where a lead stands. Only an explicit outcome moves a lead out of
// StatusOpen.
type Status uint8

// The statuses of a lead.
const (
	StatusOpen Status = iota
	StatusWon
	StatusLost
	StatusDoNotContact
	// StatusName is a person who reached out too few times to be a lead
	// yet: on the nurture list, outside every queue, with no owner, until
	// they reach out again (qualify.min_interactions) or ask to be
	// contacted.
	StatusName
)

var statusNames = [...]string{"open", "won", "lost", "do-not-contact", "name"}

// String returns the status id: open, won, lost or do-not-contact.
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// ParseStatus reads a status id.
func ParseStatus(s string) (Status, error) {
	for i, n := range statusNames {
		if n == strings.ToLower(strings.TrimSpace(s)) {
			return Status(i), nil
		}
	}
	return StatusOpen, fmt.Errorf("%q is not a status; use open, won, lost, do-not-contact or name", s)
}

// MarshalText implements encoding.TextMarshaler.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Lead is a person the team must follow up until an explicit close.
//
// The fields after Owner are the lead's follow-up state. They are a summary
// of its append-only touch log: Replay recomputes them from the touches.
type Lead struct {
	ID           LeadID
	Name         string
	Email        string // lowercase, or empty
	Phone        string // E.164, or empty
	Company      string
	Title        string
	Industry     string
	Size         string // company size as given, e.g. "11-50"
	Source       string
	ReceivedAt   time.Time // when the lead reached the team
	EnteredAt    time.Time // when it was entered into followup
	AssignedAt   time.Time // when its current owner got it
	Timezone     string    // IANA zone of the lead, or empty for the team's
	SMSOptIn     bool
	ContactMe    bool // the lead asked to be contacted
	Interactions int  // how many times the person reached out
	Owner        string
	// Pauses are the times the lead's owner was away: the cadence's clock
	// stood still, so the plan resumes with the same spacing.
	Pauses []Pause
	// Records are the fingerprints of the records (import rows) the person
	// arrived by: the same record entered again changes nothing.
	Records []Fingerprint

	Status         Status
	Qualified      bool
	QualifiedAt    time.Time
	ClosedAt       time.Time
	LostReason     string
	PhoneBad       bool
	Touches        int       // touches logged (superseded ones excluded)
	FirstContactAt time.Time // first contact attempt; zero while untouched
	LastContactAt  time.Time // latest contact attempt
	LastTouchAt    time.Time // latest touch of any kind
	RecentCalls    []time.Time
	Step           int       // index of the next cadence step; ≥ len(steps) means nurture
	NextDue        time.Time // when the next touch is due; zero while untouched
	NextChannel    Channel   // overrides the step's channel (a booked meeting), or NoChannel
}

// IsOpen reports whether the lead is still in a queue.
func (l *Lead) IsOpen() bool { return l.Status == StatusOpen }

// Untouched reports whether no contact attempt has been made yet.
func (l *Lead) Untouched() bool { return l.FirstContactAt.IsZero() }

// Location returns the lead's own timezone, or fallback when it has none or
// it is unknown.
func (l *Lead) Location(fallback *time.Location) *time.Location {
	if l.Timezone == "" {
		return fallback
	}
	loc, err := LoadLocation(l.Timezone)
	if err != nil {
		return fallback
	}
	return loc
}

// Clone returns a copy of the lead that shares no memory with it.
func (l Lead) Clone() Lead {
	l.RecentCalls = append([]time.Time(nil), l.RecentCalls...)
	l.Pauses = append([]Pause(nil), l.Pauses...)
	l.Records = append([]Fingerprint(nil), l.Records...)
	return l
}

// Fingerprint names a record a lead arrived by (a hash of its bytes).
type Fingerprint [16]byte

// HasRecord reports whether the lead arrived by the record fp names.
func (l *Lead) HasRecord(fp Fingerprint) bool {
	for _, r := range l.Records {
		if r == fp {
			return true
		}
	}
	return false
}

// Pause is a time the cadence's clock stood still: [From, Until).
type Pause struct {
	From, Until time.Time
}

// shift returns t moved later by the time the clock stood still between
// anchor and t (as t moves): each pause counts from anchor at the earliest
// (a pause under way when the lead was first reached counts from then), and
// time covered by two pauses counts once. Pauses are in order of From.
func shift(t, anchor time.Time, pauses []Pause) time.Time {
	covered := anchor // the clock has stood still, or counted, up to here
	for _, p := range pauses {
		from := p.From
		if from.Before(covered) {
			from = covered
		}
		if from.Before(t) && p.Until.After(from) {
			t = t.Add(p.Until.Sub(from))
			covered = p.Until
		}
	}
	return t
}

// IsName reports whether the person is on the nurture list, not yet a lead.
func (l *Lead) IsName() bool { return l.Status == StatusName }

// Qualifies reports whether a person who reached out is a lead: they asked
// to be contacted, or reached out at least minInteractions times.
func (l *Lead) Qualifies(minInteractions int) bool {
	return l.ContactMe || l.Interactions >= minInteractions
}

// ResetFollowUp returns the lead with its follow-up state cleared, as it was
// on entry, ready for Replay. A name stays a name: it has no follow-up.
func (l Lead) ResetFollowUp() Lead {
	if l.Status != StatusName {
		l.Status = StatusOpen
	}
	l.Qualified = false
	l.QualifiedAt = time.Time{}
	l.ClosedAt = time.Time{}
	l.LostReason = ""
	l.PhoneBad = false
	l.Touches = 0
	l.FirstContactAt = time.Time{}
	l.LastContactAt = time.Time{}
	l.LastTouchAt = time.Time{}
	l.RecentCalls = nil
	l.Step = 0
	l.NextDue = time.Time{}
	l.NextChannel = NoChannel
	return l
}

// TouchID identifies a touch. Touch ids grow with every touch logged.
type TouchID uint64

// Touch is one logged follow-up: a call, an email, a meeting… and its
// outcome. Touches are append-only: a mistake is corrected by a new touch
// whose Supersedes names the wrong one, never by an edit.
type Touch struct {
	ID         TouchID
	LeadID     LeadID
	At         time.Time
	Rep        string
	Channel    Channel
	Outcome    Outcome
	Note       string
	Until      time.Time // the date of a meeting or of "not now"
	Supersedes TouchID   // the touch this one corrects, or 0
}

// NoteID identifies a note.
type NoteID uint64

// Note is free text a rep wrote about a lead.
type Note struct {
	ID     NoteID
	LeadID LeadID
	At     time.Time
	Rep    string
	Text   string
}

// Role is what a person may do. Roles are ordered: a manager sees what a rep
// sees and more, an admin everything.
type Role uint8

// The roles of the team.
const (
	RoleRep Role = iota
	RoleManager
	RoleAdmin
)

var roleNames = [...]string{"rep", "manager", "admin"}

// String returns the role id.
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("role(%d)", uint8(r))
}

// ParseRole reads a role id: rep, manager or admin.
func ParseRole(s string) (Role, error) {
	for i, n := range roleNames {
		if n == strings.ToLower(strings.TrimSpace(s)) {
			return Role(i), nil
		}
	}
	return RoleRep, fmt.Errorf("%q is not a role; use rep, manager or admin", s)
}

// MarshalText implements encoding.TextMarshaler.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Rep is a member of the team: a rep who owns leads, a manager or an admin.
type Rep struct {
	Name      string
	Role      Role
	Keys      []string  // SSH public keys in authorized_keys form
	AwayFrom  time.Time // the start of the current or last absence
	AwayUntil time.Time // away, out of the rotation, until then
	CreatedAt time.Time
}

// AwayAt reports whether the rep is away at t: out of the rotation, their
// cadences paused.
func (r Rep) AwayAt(t time.Time) bool { return t.Before(r.AwayUntil) && !t.Before(r.AwayFrom) }

// CheckAbsence says, in one sentence, why the rep cannot go away at now
// until until (or come back now, when until is not after now); nil when
// they can.
func (r Rep) CheckAbsence(now, until time.Time) error {
	if r.Role != RoleRep {
		return fmt.Errorf("%s is a %s and owns no leads; only reps go away from the rotation", r.Name, r.Role)
	}
	if !until.After(now) && !r.AwayAt(now) {
		return fmt.Errorf("%s is not away; nothing changed", r.Name)
	}
	return nil
}

// ValidateRepName checks that a name can be a rep's: 1–32 letters, digits,
// dots, dashes or underscores, starting with a letter.
func ValidateRepName(name string) error {
	if name == "" || len(name) > 32 {
		return fmt.Errorf("rep name %q must be 1 to 32 characters", name)
	}
	for i, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' ||
			i > 0 && (r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_')
		if !ok {
			return fmt.Errorf("rep name %q may hold only letters, digits, '.', '-' and '_', starting with a letter", name)
		}
	}
	return nil
}
