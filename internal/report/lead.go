package report

import (
	"fmt"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// facts is what the report needs of one lead as of the report's time,
// worked out from its touch log and hand-offs alone.
type facts struct {
	owner        string    // the owner as of now
	handOffs     int       // hand-offs up to now
	assignedAt   time.Time // when the lead first had an owner (zero: never)
	touches      int       // effective touches up to now (corrections in place of what they correct)
	contacts     int       // human contact attempts among them
	firstContact time.Time // the first human contact attempt; zero while untouched
	status       cadence.Status
	lostNoReason bool // closed lost without the prospect's reason
	qualified    bool // a qualified outcome, or won
	wonAt        int  // the contact attempt the win came on (1-based), 0 when not won
	lastAt       time.Time
	nextDue      time.Time // when the cadence has the next touch due (open, touched leads)
}

// humanContact reports whether a touch is a person's attempt to reach the
// prospect: a contact channel (not research) logged by a rep. A message
// sent by a system, logged without a rep, is not a follow-up.
func humanContact(t *cadence.Touch) bool { return t.Channel.IsContact() && t.Rep != "" }

// ownerAsOf returns the lead's owner as of now, how many hand-offs it had
// by then, and when it first had an owner.
func ownerAsOf(h *store.LeadHistory, now time.Time) (owner string, handOffs int, assignedAt time.Time) {
	owner = h.Owner
	for i := len(h.HandOffs) - 1; i >= 0 && h.HandOffs[i].At.After(now); i-- {
		owner = h.HandOffs[i].From // not yet handed to its later owners
	}
	for _, ho := range h.HandOffs {
		if !ho.At.After(now) {
			handOffs++
		}
	}
	switch {
	case len(h.HandOffs) == 0:
		// AssignedAt is when the current (and only) owner got the lead.
		assignedAt = h.AssignedAt
		if assignedAt.IsZero() && owner != "" {
			assignedAt = entered(h)
		}
	case h.HandOffs[0].From == "":
		// The lead came in with no owner; the first hand-off assigned it.
		if !h.HandOffs[0].At.After(now) {
			assignedAt = h.HandOffs[0].At
		}
	default:
		// It had an owner before any hand-off: leads get one on entry (a
		// hand-off overwrote the stored assignment time).
		assignedAt = entered(h)
	}
	if owner == "" {
		assignedAt = time.Time{}
	}
	return owner, handOffs, assignedAt
}

// entered is when the lead was entered (its receipt time for records that
// do not say).
func entered(h *store.LeadHistory) time.Time {
	if h.EnteredAt.IsZero() {
		return h.ReceivedAt
	}
	return h.EnteredAt
}

// effective returns the touches in effect as of now, in the order logged:
// touches logged after now are left out, and a correction (logged by now)
// takes the place and time of the touch it corrects, following chains of
// corrections to the latest, as cadence.Policy.Replay does. buf is reused.
func effective(touches []cadence.Touch, now time.Time, buf []cadence.Touch) []cadence.Touch {
	out := buf[:0]
	corrected := false
	for i := range touches {
		if touches[i].Supersedes != 0 && !touches[i].At.After(now) {
			corrected = true
			break
		}
	}
	for i := range touches {
		t := touches[i]
		if t.Supersedes != 0 || t.At.After(now) {
			continue
		}
		if corrected {
			at := t.At
			for {
				c, ok := correctionOf(touches, t.ID, now)
				if !ok {
					break
				}
				t = c
			}
			t.At = at
		}
		out = append(out, t)
	}
	return out
}

// correctionOf returns the latest correction of touch id logged by now.
func correctionOf(touches []cadence.Touch, id cadence.TouchID, now time.Time) (cadence.Touch, bool) {
	var found cadence.Touch
	ok := false
	for _, c := range touches {
		if c.Supersedes == id && !c.At.After(now) {
			found, ok = c, true
		}
	}
	return found, ok
}

// factsOf works out a lead's facts as of now from its history. p replays
// the lead's schedule when touches were logged after now (the stored
// schedule is then later than now's).
func factsOf(p *cadence.Policy, h *store.LeadHistory, now time.Time, buf []cadence.Touch) (facts, []cadence.Touch, error) {
	var f facts
	f.owner, f.handOffs, f.assignedAt = ownerAsOf(h, now)
	eff := effective(h.Touches, now, buf)
	f.status = cadence.StatusOpen
	for i := range eff {
		t := &eff[i]
		f.touches++
		f.lastAt = t.At
		if humanContact(t) {
			f.contacts++
			if f.firstContact.IsZero() {
				f.firstContact = t.At
			}
		}
		switch t.Outcome {
		case cadence.Qualified:
			f.qualified = true
		case cadence.Won:
			f.qualified = true
			f.status, f.wonAt = cadence.StatusWon, max(f.contacts, 1)
		case cadence.Lost:
			f.status, f.lostNoReason = cadence.StatusLost, t.Note == ""
		case cadence.DoNotContact:
			f.status = cadence.StatusDoNotContact
		}
		if f.status != cadence.StatusOpen {
			break // a closed lead takes no more touches
		}
	}
	if f.status != cadence.StatusOpen || f.firstContact.IsZero() {
		return f, eff, nil
	}
	f.nextDue = h.NextDue
	if loggedAfter(h.Touches, now) {
		// Touches were logged after now: replay the schedule as it was.
		l, err := h.Lead()
		if err != nil {
			return f, eff, err
		}
		asOf := make([]cadence.Touch, 0, len(h.Touches))
		for _, t := range h.Touches {
			if !t.At.After(now) {
				asOf = append(asOf, t)
			}
		}
		l, err = p.Replay(l, asOf)
		if err != nil {
			return f, eff, fmt.Errorf("lead %d: its touch log does not replay (%w); run followup check", h.ID, err)
		}
		f.nextDue = l.NextDue
	}
	return f, eff, nil
}

// loggedAfter reports whether any touch was logged after now.
func loggedAfter(touches []cadence.Touch, now time.Time) bool {
	for i := range touches {
		if touches[i].At.After(now) {
			return true
		}
	}
	return false
}
