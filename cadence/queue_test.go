package cadence_test

import (
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/followuphq/followup/cadence"
)

func TestExplain(t *testing.T) {
	p := nyPolicy()

	untouched := newLead()
	untouched.ReceivedAt = ny(2026, 1, 12, 10, 0)

	// A touched lead without an email, at step 4 (an email, which becomes
	// a call), due Thursday.
	due := newLead()
	due.Email = ""
	due.FirstContactAt = ny(2026, 1, 12, 10, 0)
	due.LastContactAt = ny(2026, 1, 13, 10, 0)
	due.LastTouchAt = due.LastContactAt
	due.Step = 3
	due.NextDue = ny(2026, 1, 15, 10, 0)

	scheduled := due
	scheduled.Email = "ann@example.com"
	scheduled.Step = 2
	scheduled.NextDue = ny(2026, 1, 16, 13, 0)

	nurture := scheduled
	nurture.Step = 12

	tests := []struct {
		name string
		l    cadence.Lead
		now  time.Time
		want string
	}{
		{"untouched, SLA breached", untouched, ny(2026, 1, 12, 12, 14), "untouched 2h14m, SLA breached 1h44m ago"},
		{"untouched, SLA running", untouched, ny(2026, 1, 12, 10, 10), "untouched 10m, SLA due in 20m"},
		{"untouched over a weekend", cadence.Lead{ID: 2, Phone: "+12125550101", ReceivedAt: ny(2026, 1, 9, 16, 50)},
			ny(2026, 1, 12, 9, 30), "untouched 2d16h, SLA breached 10m ago"},
		{"due", due, ny(2026, 1, 18, 10, 0), "due 3d ago: step 4 of 11, call"},
		{"due right now", due, ny(2026, 1, 15, 10, 0), "due 0m ago: step 4 of 11, call"},
		{"scheduled", scheduled, ny(2026, 1, 14, 10, 0), "next in 2d3h: step 3 of 11, email"},
		{"nurture", nurture, ny(2026, 1, 16, 12, 15), "next in 45m: nurture, call"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Explain(&tt.l, tt.now); got != tt.want {
				t.Errorf("Explain = %q, want %q", got, tt.want)
			}
		})
	}

	// A call outside the calling window says why it switched.
	l := laLead()
	got := p.Explain(&l, la(2026, 1, 13, 7, 30))
	if !strings.HasPrefix(got, "untouched 1h30m, SLA ") || !strings.Contains(got, "; call not allowed now: ") ||
		!strings.Contains(got, "calling window") {
		t.Errorf("Explain outside the calling window = %q", got)
	}
}

func TestTierOf(t *testing.T) {
	l := newLead()
	now := ny(2026, 1, 14, 10, 0)
	if got := cadence.TierOf(&l, now); got != cadence.TierUntouched {
		t.Errorf("untouched lead: %s", got)
	}
	// Research reaches nobody: the lead stays untouched, and on top.
	p := nyPolicy()
	r := apply(t, p, l, cadence.Touch{At: ny(2026, 1, 12, 10, 0), Channel: cadence.Research, Outcome: cadence.Connected})
	if got := cadence.TierOf(&r, now.Add(30*24*time.Hour)); got != cadence.TierUntouched || cadence.KeyOf(&r).Touched {
		t.Errorf("after research only: tier %s, key %+v", got, cadence.KeyOf(&r))
	}
	l.FirstContactAt = ny(2026, 1, 12, 10, 0)
	l.NextDue = now
	if got := cadence.TierOf(&l, now); got != cadence.TierDue {
		t.Errorf("due exactly now: %s", got)
	}
	if got := cadence.TierOf(&l, now.Add(-time.Nanosecond)); got != cadence.TierScheduled {
		t.Errorf("due in 1ns: %s", got)
	}
	for _, tier := range []cadence.Tier{cadence.TierUntouched, cadence.TierDue, cadence.TierScheduled} {
		if back, err := cadence.ParseTier(tier.String()); err != nil || back != tier {
			t.Errorf("ParseTier(%q) = %v, %v", tier, back, err)
		}
	}
	if _, err := cadence.ParseTier("overdue"); err == nil {
		t.Errorf("ParseTier accepted overdue")
	}
}

func TestHumanDuration(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0m"},
		{59 * time.Second, "0m"},
		{45 * time.Minute, "45m"},
		{time.Hour, "1h"},
		{2*time.Hour + 14*time.Minute, "2h14m"},
		{2*time.Hour + 5*time.Minute, "2h05m"},
		{24 * time.Hour, "1d"},
		{3*24*time.Hour + 4*time.Hour + 30*time.Minute, "3d4h"},
		{12*24*time.Hour + 5*time.Hour, "12d"},
		{-90 * time.Minute, "1h30m"},
	} {
		if got := cadence.HumanDuration(tt.d); got != tt.want {
			t.Errorf("HumanDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// drawKey draws a queue key from a small domain, so that equal times and
// ids are common.
func drawKey(t *rapid.T, label string) cadence.QueueKey {
	base := ny(2026, 1, 12, 9, 0)
	k := cadence.QueueKey{
		Touched: rapid.Bool().Draw(t, label+" touched"),
		ID:      cadence.LeadID(rapid.IntRange(1, 4).Draw(t, label+" id")),
	}
	switch rapid.IntRange(0, 5).Draw(t, label+" at kind") {
	case 0:
		// the zero time
	case 1:
		// the same instant in another zone
		k.At = base.Add(time.Duration(rapid.IntRange(0, 3).Draw(t, label+" at")) * time.Hour).In(laLoc)
	default:
		k.At = base.Add(time.Duration(rapid.IntRange(0, 3).Draw(t, label+" at")) * time.Hour)
	}
	return k
}

func sameKey(a, b cadence.QueueKey) bool {
	return a.Touched == b.Touched && a.At.Equal(b.At) && a.ID == b.ID
}

func TestQueueKeyCompareIsATotalOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b, c := drawKey(t, "a"), drawKey(t, "b"), drawKey(t, "c")
		if a.Compare(a) != 0 {
			t.Fatalf("%+v is not equal to itself", a)
		}
		ab, ba := a.Compare(b), b.Compare(a)
		if ab != -ba {
			t.Fatalf("not antisymmetric: a·b %d, b·a %d", ab, ba)
		}
		if ab < -1 || ab > 1 {
			t.Fatalf("Compare returned %d", ab)
		}
		if (ab == 0) != sameKey(a, b) {
			t.Fatalf("Compare %d for %+v and %+v", ab, a, b)
		}
		if ab <= 0 && b.Compare(c) <= 0 && a.Compare(c) > 0 {
			t.Fatalf("not transitive: a ≤ b ≤ c but a > c")
		}
		if ab < 0 && b.Compare(c) < 0 && a.Compare(c) >= 0 {
			t.Fatalf("not transitive: a < b < c but a ≥ c")
		}
		// The documented order: untouched before touched, then by time,
		// then by id.
		want := 0
		switch {
		case a.Touched != b.Touched:
			want = map[bool]int{false: -1, true: 1}[a.Touched]
		case !a.At.Equal(b.At):
			want = a.At.Compare(b.At)
		default:
			want = cmp.Compare(a.ID, b.ID)
		}
		if ab != want {
			t.Fatalf("Compare(%+v, %+v) = %d, want %d", a, b, ab, want)
		}
	})
}

// drawLead draws an open lead, untouched or touched.
func drawLead(t *rapid.T, id int) cadence.Lead {
	base := ny(2026, 1, 12, 9, 0)
	hour := func(label string) time.Time {
		return base.Add(time.Duration(rapid.IntRange(-48, 48).Draw(t, label)) * time.Hour)
	}
	l := cadence.Lead{ID: cadence.LeadID(id), ReceivedAt: hour("received")}
	if rapid.Bool().Draw(t, "touched") {
		l.FirstContactAt = l.ReceivedAt.Add(time.Hour)
		l.NextDue = hour("next due")
	} else if rapid.Bool().Draw(t, "researched") {
		l.NextDue = hour("next due") // research only: still untouched
	}
	return l
}

// TestKeyOrderKeepsTiersAtAnyTime checks the property the queue index
// rests on: KeyOf does not depend on the clock, yet leads sorted by key
// are in tier order, most overdue first and soonest scheduled first, at
// every moment.
func TestKeyOrderKeepsTiersAtAnyTime(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 12).Draw(t, "leads")
		leads := make([]cadence.Lead, n)
		keys := make([]cadence.QueueKey, n)
		for i := range leads {
			leads[i] = drawLead(t, i+1)
			keys[i] = cadence.KeyOf(&leads[i])
		}
		slices.SortFunc(leads, func(a, b cadence.Lead) int { return cadence.KeyOf(&a).Compare(cadence.KeyOf(&b)) })
		for range 5 {
			now := ny(2026, 1, 12, 9, 0).Add(time.Duration(rapid.IntRange(-72, 72).Draw(t, "now")) * time.Hour)
			for i := 1; i < n; i++ {
				a, b := &leads[i-1], &leads[i]
				ta, tb := cadence.TierOf(a, now), cadence.TierOf(b, now)
				if ta > tb {
					t.Fatalf("as of %v: lead %d (%s) sorts before lead %d (%s)", now, a.ID, ta, b.ID, tb)
				}
				if ta == tb && ta == cadence.TierUntouched && a.ReceivedAt.After(b.ReceivedAt) {
					t.Fatalf("untouched lead %d received after lead %d sorts first", a.ID, b.ID)
				}
				if ta == tb && ta != cadence.TierUntouched && a.NextDue.After(b.NextDue) {
					t.Fatalf("%s lead %d due after lead %d sorts first", ta, a.ID, b.ID)
				}
			}
		}
		// The keys did not change as the clock moved.
		for i := range leads {
			k := cadence.KeyOf(&leads[i])
			if !sameKey(k, keys[leads[i].ID-1]) {
				t.Fatalf("key of lead %d changed: %+v, was %+v", leads[i].ID, k, keys[leads[i].ID-1])
			}
		}
	})
}
