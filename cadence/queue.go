package cadence

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Tier is a lead's band in a rep's queue.
type Tier uint8

// The tiers, in queue order.
const (
	TierUntouched Tier = iota // no contact attempt yet: oldest received first
	TierDue                   // next touch due at or before now: most overdue first
	TierScheduled             // next touch in the future: soonest first
)

var tierNames = [...]string{"untouched", "due", "scheduled"}

// String returns the tier id: untouched, due or scheduled.
func (t Tier) String() string {
	if int(t) < len(tierNames) {
		return tierNames[t]
	}
	return fmt.Sprintf("tier(%d)", uint8(t))
}

// ParseTier reads a tier id.
func ParseTier(s string) (Tier, error) {
	for i, n := range tierNames {
		if n == strings.ToLower(strings.TrimSpace(s)) {
			return Tier(i), nil
		}
	}
	return 0, fmt.Errorf("%q is not a tier; use untouched, due or scheduled", s)
}

// MarshalText implements encoding.TextMarshaler.
func (t Tier) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// TierOf returns the lead's tier as of now.
func TierOf(l *Lead, now time.Time) Tier {
	switch {
	case l.Untouched():
		return TierUntouched
	case !l.NextDue.After(now):
		return TierDue
	default:
		return TierScheduled
	}
}

// QueueKey is a lead's place in its owner's queue. Tiers 2 and 3 are both
// ordered by next-due time, so the key does not change as the clock moves:
// untouched leads by receipt, all others by next due, ties by id. An index
// kept in this order gives the queue without sorting.
type QueueKey struct {
	Touched bool
	At      time.Time
	ID      LeadID
}

// KeyOf returns the lead's queue key.
func KeyOf(l *Lead) QueueKey {
	if l.Untouched() {
		return QueueKey{At: l.ReceivedAt, ID: l.ID}
	}
	return QueueKey{Touched: true, At: l.NextDue, ID: l.ID}
}

// Compare orders keys: untouched before touched, then by time, then by id.
func (k QueueKey) Compare(o QueueKey) int {
	switch {
	case k.Touched != o.Touched:
		if !k.Touched {
			return -1
		}
		return 1
	case !k.At.Equal(o.At):
		return k.At.Compare(o.At)
	case k.ID != o.ID:
		if k.ID < o.ID {
			return -1
		}
		return 1
	}
	return 0
}

// Explain says why the lead sits where it does in the queue, e.g.
// "untouched 2h14m, SLA breached 1h44m ago" or "due 3d ago: step 4 of 11, call".
func (p Policy) Explain(l *Lead, now time.Time) string {
	a := p.NextAction(l, now)
	var b strings.Builder
	switch TierOf(l, now) {
	case TierUntouched:
		fmt.Fprintf(&b, "untouched %s, ", HumanDuration(now.Sub(l.ReceivedAt)))
		// Wall-clock time, like "untouched" before it: a rep reads both
		// on one clock. (SLA.By is business time, for reports.)
		if due := p.SLADue(l); now.After(due) {
			fmt.Fprintf(&b, "SLA breached %s ago", HumanDuration(now.Sub(due)))
		} else {
			fmt.Fprintf(&b, "SLA due in %s", HumanDuration(due.Sub(now)))
		}
	case TierDue:
		fmt.Fprintf(&b, "due %s ago: %s", HumanDuration(now.Sub(l.NextDue)), a.StepText())
	default:
		fmt.Fprintf(&b, "next in %s: %s", HumanDuration(l.NextDue.Sub(now)), a.StepText())
	}
	if a.Switched != "" {
		fmt.Fprintf(&b, "; %s", a.Switched)
	}
	return b.String()
}

// StepText describes the action's step and channel, e.g. "step 4 of 11, call"
// or "nurture, email".
func (a Action) StepText() string {
	if a.Nurture {
		return "nurture, " + a.Channel.String()
	}
	return fmt.Sprintf("step %d of %d, %s", a.Step, a.Of, a.Channel)
}

// HumanDuration prints a duration the way a rep reads it at a glance:
// "45m", "2h14m", "3d4h", "12d". Negative durations print as their size.
func HumanDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	m := int(d / time.Minute)
	b := make([]byte, 0, 8)
	switch {
	case m < 60:
		b = append(strconv.AppendInt(b, int64(m), 10), 'm')
	case m < 24*60:
		b = append(strconv.AppendInt(b, int64(m/60), 10), 'h')
		if m%60 != 0 {
			if m%60 < 10 {
				b = append(b, '0')
			}
			b = append(strconv.AppendInt(b, int64(m%60), 10), 'm')
		}
	case m < 10*24*60:
		b = append(strconv.AppendInt(b, int64(m/(24*60)), 10), 'd')
		if hours := (m % (24 * 60)) / 60; hours != 0 {
			b = append(strconv.AppendInt(b, int64(hours), 10), 'h')
		}
	default:
		b = append(strconv.AppendInt(b, int64(m/(24*60)), 10), 'd')
	}
	return string(b)
}
