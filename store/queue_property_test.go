package store_test

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// propZones are the lead timezones the property test draws from ("" is the
// team's own).
var propZones = []string{"", "America/New_York", "America/Los_Angeles", "Europe/London", "Asia/Kolkata"}

// propLocs are the locations received times are written in: the store must
// not care.
var propLocs = []string{"America/New_York", "UTC", "America/Los_Angeles", "Asia/Tokyo"}

// queueModel drives a real store with random actions and keeps what the
// store should hold, computed with the policy alone.
type queueModel struct {
	s       *store.Store
	p       cadence.Policy
	reps    []string
	owners  []string // reps and "" (unassigned leads have a queue too)
	now     time.Time
	leads   map[cadence.LeadID]cadence.Lead
	ids     []cadence.LeadID
	touches map[cadence.LeadID][]cadence.Touch
	lastID  cadence.TouchID
	// lastLead is the lead touched last.
	lastLead cadence.LeadID
}

// refCompare is the documented queue order, written out independently of
// cadence.QueueKey: untouched leads first, oldest received first; then
// touched leads by next due (due and scheduled alike); ties by id.
func refCompare(a, b cadence.Lead) int {
	au, bu := a.Untouched(), b.Untouched()
	if au != bu {
		if au {
			return -1
		}
		return 1
	}
	at, bt := a.NextDue, b.NextDue
	if au {
		at, bt = a.ReceivedAt, b.ReceivedAt
	}
	if c := at.Compare(bt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

func leadIDs(ls []cadence.Lead) []cadence.LeadID {
	out := make([]cadence.LeadID, len(ls))
	for i, l := range ls {
		out[i] = l.ID
	}
	return out
}

func (m *queueModel) addLead(t *rapid.T) {
	owner := rapid.SampledFrom(m.owners).Draw(t, "owner")
	loc := mustLoc(rapid.SampledFrom(propLocs).Draw(t, "received loc"))
	// Receipt on a 15-minute grid in the three days before now, so that
	// equal receipt times (ties broken by id) are common.
	received := m.now.Truncate(15 * time.Minute).Add(-15 * time.Minute * time.Duration(rapid.IntRange(0, 288).Draw(t, "received ago"))).In(loc)
	l := cadence.Lead{
		Name:       fmt.Sprintf("Lead %d", len(m.ids)+1),
		ReceivedAt: received,
		EnteredAt:  m.now,
		AssignedAt: m.now,
		Timezone:   rapid.SampledFrom(propZones).Draw(t, "zone"),
		SMSOptIn:   rapid.Bool().Draw(t, "sms opt-in"),
		ContactMe:  rapid.Bool().Draw(t, "contact me"),
		Owner:      owner,
	}
	if rapid.IntRange(0, 3).Draw(t, "phone") > 0 {
		l.Phone = fmt.Sprintf("+1212555%04d", len(m.ids))
	}
	if rapid.IntRange(0, 3).Draw(t, "email") > 0 {
		l.Email = fmt.Sprintf("lead%d@example.com", len(m.ids))
	}
	got, err := m.s.AddLead(l)
	if err != nil {
		t.Fatalf("add lead: %v", err)
	}
	if len(m.ids) > 0 && got.ID <= m.ids[len(m.ids)-1] {
		t.Fatalf("lead id %d after %d", got.ID, m.ids[len(m.ids)-1])
	}
	l.ID = got.ID
	m.leads[got.ID] = l
	m.ids = append(m.ids, got.ID)
	t.Logf("add lead %d owner %q received %v zone %q", got.ID, owner, received, l.Timezone)
}

// drawTouch draws a touch of lead l at now: mostly the channel NextAction
// asks for, mostly a valid touch, sometimes one Apply must refuse.
func (m *queueModel) drawTouch(t *rapid.T, l *cadence.Lead) cadence.Touch {
	tc := cadence.Touch{
		LeadID: l.ID,
		At:     m.now,
		Rep:    cmp.Or(l.Owner, m.reps[0]),
	}
	// Closing outcomes are rarer, so that leads live long enough to reach
	// late steps and nurture.
	if rapid.IntRange(0, 14).Draw(t, "closes") == 0 {
		tc.Outcome = rapid.SampledFrom([]cadence.Outcome{cadence.Won, cadence.Lost, cadence.DoNotContact}).Draw(t, "closing outcome")
	} else {
		tc.Outcome = rapid.SampledFrom([]cadence.Outcome{cadence.NoAnswer, cadence.Voicemail, cadence.Connected,
			cadence.MeetingBooked, cadence.NotNow, cadence.BadNumber, cadence.Qualified}).Draw(t, "outcome")
	}
	if rapid.IntRange(0, 3).Draw(t, "planned channel") > 0 {
		tc.Channel = m.p.NextAction(l, m.now).Channel
	} else {
		tc.Channel = rapid.SampledFrom(cadence.Channels).Draw(t, "channel")
	}
	valid := rapid.IntRange(0, 9).Draw(t, "valid") > 0
	if tc.Channel == cadence.Research && valid {
		// Research reaches nobody: it can only be done or not.
		tc.Outcome = rapid.SampledFrom([]cadence.Outcome{cadence.Connected, cadence.NoAnswer}).Draw(t, "research outcome")
	}
	if tc.Outcome.NeedsDate() && valid {
		tc.Until = m.now.Add(time.Duration(rapid.IntRange(1, 14*24*60).Draw(t, "until minutes")) * time.Minute)
	}
	if tc.Outcome.NeedsReason() && valid || rapid.IntRange(0, 4).Draw(t, "note") == 0 {
		tc.Note = "no budget this year"
	}
	return tc
}

// logAndCompare logs tc and checks the store did what want/wantErr say.
func (m *queueModel) logAndCompare(t *rapid.T, tc cadence.Touch, want cadence.Lead, wantErr error) {
	beforeStats, err := m.s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	got, stored, err := m.s.LogTouch(m.p, tc)
	if wantErr != nil {
		if err == nil {
			t.Fatalf("LogTouch(%+v) succeeded; the policy says: %v", tc, wantErr)
		}
		if errors.Is(wantErr, store.ErrNotFound) && !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("LogTouch(%+v): %v, want ErrNotFound", tc, err)
		}
		if afterStats, _ := m.s.Stats(); afterStats != beforeStats {
			t.Fatalf("a refused touch changed the counts: %+v → %+v", beforeStats, afterStats)
		}
		t.Logf("refused as expected: %v", err)
		return
	}
	if err != nil {
		t.Fatalf("LogTouch(%+v): %v", tc, err)
	}
	if stored.ID != m.lastID+1 {
		t.Fatalf("touch id %d after %d: refused touches must not use up ids", stored.ID, m.lastID)
	}
	m.lastID = stored.ID
	if !sameLead(got, want) {
		t.Fatalf("LogTouch returned\n %+v\nthe policy says\n %+v", normLead(got), normLead(want))
	}
	tc.ID = stored.ID
	m.lastLead = tc.LeadID
	m.leads[tc.LeadID] = want
	m.touches[tc.LeadID] = append(m.touches[tc.LeadID], tc)
}

func (m *queueModel) touch(t *rapid.T) {
	if len(m.ids) == 0 {
		return
	}
	// Mostly an open lead; sometimes any, closed ones included (which
	// must be refused).
	var open []cadence.LeadID
	for _, id := range m.ids {
		if l := m.leads[id]; l.IsOpen() {
			open = append(open, id)
		}
	}
	pool := m.ids
	if len(open) > 0 && rapid.IntRange(0, 9).Draw(t, "any lead") > 0 {
		pool = open
	}
	id := rapid.SampledFrom(pool).Draw(t, "lead")
	l := m.leads[id]
	tc := m.drawTouch(t, &l)
	want, wantErr := m.p.Apply(l, tc)
	if !l.IsOpen() && wantErr == nil {
		t.Fatalf("Apply accepted a touch of closed lead %d", id)
	}
	t.Logf("touch lead %d (%s): %s by %s at %v until %v", id, l.Status, tc.Outcome, tc.Channel, tc.At, tc.Until)
	m.logAndCompare(t, tc, want, wantErr)
}

// touchAgain touches the lead touched last, at its next due time when that
// is ahead (the clock moves there), as a rep working one lead would.
func (m *queueModel) touchAgain(t *rapid.T) {
	l, ok := m.leads[m.lastLead]
	if !ok || !l.IsOpen() {
		m.touch(t)
		return
	}
	if l.NextDue.After(m.now) {
		m.now = l.NextDue
	}
	tc := m.drawTouch(t, &l)
	want, wantErr := m.p.Apply(l, tc)
	t.Logf("touch lead %d again: %s by %s at %v until %v", l.ID, tc.Outcome, tc.Channel, tc.At, tc.Until)
	m.logAndCompare(t, tc, want, wantErr)
}

func (m *queueModel) correct(t *rapid.T) {
	var touched []cadence.LeadID
	for _, id := range m.ids {
		if len(m.touches[id]) > 0 {
			touched = append(touched, id)
		}
	}
	if len(touched) == 0 {
		return
	}
	id := rapid.SampledFrom(touched).Draw(t, "corrected lead")
	l := m.leads[id]
	wrong := rapid.SampledFrom(m.touches[id]).Draw(t, "corrected touch")
	tc := m.drawTouch(t, &l)
	tc.Supersedes = wrong.ID
	var want cadence.Lead
	var wantErr error
	if other := rapid.SampledFrom(touched).Draw(t, "touch of lead"); other != id {
		// A touch of another lead is not this lead's to correct.
		tc.Supersedes = rapid.SampledFrom(m.touches[other]).Draw(t, "other touch").ID
		wantErr = store.ErrNotFound
	} else {
		tc.ID = m.lastID + 1 // the id the store will give it
		want, wantErr = m.p.Replay(l, append(slices.Clone(m.touches[id]), tc))
		tc.ID = 0
		// A touch is corrected once; a second thought corrects the
		// correction (store/touches.go).
		for _, o := range m.touches[id] {
			if o.Supersedes == wrong.ID {
				wantErr = fmt.Errorf("touch %d was already corrected by touch %d", wrong.ID, o.ID)
			}
		}
	}
	t.Logf("correct touch %d of lead %d (%s): %s by %s", tc.Supersedes, id, l.Status, tc.Outcome, tc.Channel)
	m.logAndCompare(t, tc, want, wantErr)
}

func (m *queueModel) reassign(t *rapid.T) {
	if len(m.ids) == 0 {
		return
	}
	id := rapid.SampledFrom(m.ids).Draw(t, "reassigned lead")
	to := rapid.SampledFrom(m.reps).Draw(t, "new owner")
	got, err := m.s.UpdateLead(id, func(l *cadence.Lead) error { l.Owner = to; return nil })
	if err != nil {
		t.Fatalf("reassign lead %d to %s: %v", id, to, err)
	}
	want := m.leads[id]
	want.Owner = to
	if !sameLead(got, want) {
		t.Fatalf("UpdateLead returned %+v, want %+v", got, want)
	}
	m.leads[id] = want
	t.Logf("reassign lead %d to %s", id, to)
}

func (m *queueModel) advance(t *rapid.T) {
	var d time.Duration
	if rapid.IntRange(0, 9).Draw(t, "long jump") == 0 {
		d = time.Duration(rapid.IntRange(1, 60).Draw(t, "days")) * 24 * time.Hour
	} else {
		d = time.Duration(rapid.IntRange(1, 3*24*60).Draw(t, "minutes")) * time.Minute
	}
	m.now = m.now.Add(d)
	t.Logf("now %v", m.now)
}

// check compares every lead and every queue with the model and the
// documented order.
func (m *queueModel) check(t *rapid.T) {
	var stored []cadence.Lead
	if err := m.s.ForEachLead(func(l cadence.Lead) error { stored = append(stored, l); return nil }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(leadIDs(stored), m.ids) {
		t.Fatalf("leads %v, want %v", leadIDs(stored), m.ids)
	}
	for _, l := range stored {
		if want := m.leads[l.ID]; !sameLead(l, want) {
			t.Fatalf("lead %d is\n %+v\nthe policy says\n %+v", l.ID, normLead(l), normLead(want))
		}
		if l.IsOpen() && !l.Untouched() && l.NextDue.IsZero() {
			t.Fatalf("open lead %d has been touched but has no next due time", l.ID)
		}
	}
	for _, owner := range m.owners {
		var ref []cadence.Lead
		for _, l := range stored {
			if l.Owner == owner && l.IsOpen() {
				ref = append(ref, l)
			}
		}
		slices.SortFunc(ref, refCompare)
		got, err := m.s.Queue(owner, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(leadIDs(got), leadIDs(ref)) {
			t.Fatalf("queue of %q is %v, want %v", owner, leadIDs(got), leadIDs(ref))
		}
		for i := range got {
			if !sameLead(got[i], ref[i]) {
				t.Fatalf("queue of %q, row %d: %+v, want %+v", owner, i, got[i], ref[i])
			}
			if i > 0 && cadence.TierOf(&got[i-1], m.now) > cadence.TierOf(&got[i], m.now) {
				t.Fatalf("queue of %q as of %v: lead %d (%s) before lead %d (%s)", owner, m.now,
					got[i-1].ID, cadence.TierOf(&got[i-1], m.now), got[i].ID, cadence.TierOf(&got[i], m.now))
			}
			if i > 0 && cadence.KeyOf(&got[i-1]).Compare(cadence.KeyOf(&got[i])) >= 0 {
				t.Fatalf("queue of %q: keys of leads %d and %d out of order", owner, got[i-1].ID, got[i].ID)
			}
		}
		// The oldest untouched lead is on top.
		var oldest *cadence.Lead
		for i, l := range stored {
			if l.Owner == owner && l.IsOpen() && l.Untouched() &&
				(oldest == nil || l.ReceivedAt.Before(oldest.ReceivedAt)) {
				oldest = &stored[i]
			}
		}
		if oldest != nil && got[0].ID != oldest.ID {
			t.Fatalf("queue of %q starts with lead %d, not the oldest untouched lead %d", owner, got[0].ID, oldest.ID)
		}
		if n, err := m.s.QueueLen(owner); err != nil || n != len(ref) {
			t.Fatalf("QueueLen(%q) = %d, %v; want %d", owner, n, err, len(ref))
		}
		if top, err := m.s.Queue(owner, 2); err != nil || !slices.Equal(leadIDs(top), leadIDs(ref[:min(2, len(ref))])) {
			t.Fatalf("Queue(%q, 2) = %v, %v; want %v", owner, leadIDs(top), err, leadIDs(ref[:min(2, len(ref))]))
		}
		if len(got) > 1 {
			mid := len(got) / 2
			after := cadence.KeyOf(&got[mid])
			rest, err := m.s.QueueAfter(owner, &after, 0)
			if err != nil || !slices.Equal(leadIDs(rest), leadIDs(got[mid+1:])) {
				t.Fatalf("QueueAfter(%q, lead %d) = %v, %v; want %v", owner, got[mid].ID, leadIDs(rest), err, leadIDs(got[mid+1:]))
			}
		}
	}
}

// propActions weighs the actions: touches most (half of them of the lead
// touched last, so that some leads go deep into the cadence), then new
// leads, then the clock, corrections and reassignments.
var propActions = []string{
	"touch", "touch", "touch", "touch", "touch", "touch", "again", "again", "again", "again",
	"add", "add", "add", "add",
	"advance", "advance", "advance",
	"correct", "correct",
	"reassign",
}

// TestQueueIndexMatchesReference runs random sequences of adds, touches,
// corrections, reassignments and clock moves on a real store, and after
// every step compares each rep's queue, read from the index, with all of
// the rep's open leads sorted by the documented order.
func TestQueueIndexMatchesReference(t *testing.T) {
	p := testPolicy()
	dir := t.TempDir()
	run := 0
	rapid.Check(t, func(t *rapid.T) {
		run++
		path := filepath.Join(dir, fmt.Sprintf("queue%d.db", run))
		s, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer os.Remove(path)
		defer s.Close()
		m := &queueModel{
			s:       s,
			p:       p,
			reps:    []string{"alice", "bob", "carol"}[:rapid.IntRange(2, 3).Draw(t, "reps")],
			now:     time.Date(2026, 3, 5, 8, 0, 0, 0, testNY), // a Thursday, three days before a DST change
			leads:   make(map[cadence.LeadID]cadence.Lead),
			touches: make(map[cadence.LeadID][]cadence.Touch),
		}
		for _, r := range m.reps {
			if err := s.AddRep(cadence.Rep{Name: r, CreatedAt: m.now}); err != nil {
				t.Fatal(err)
			}
		}
		m.owners = append(slices.Clone(m.reps), "")
		m.check(t)
		steps := rapid.IntRange(20, 40).Draw(t, "steps")
		for range steps {
			switch action := rapid.SampledFrom(propActions).Draw(t, "action"); {
			case action == "add" || len(m.ids) == 0:
				m.addLead(t)
			case action == "touch":
				m.touch(t)
			case action == "again":
				m.touchAgain(t)
			case action == "advance":
				m.advance(t)
			case action == "correct":
				if !m.tryCorrect(t) {
					m.touch(t)
				}
			default:
				m.reassign(t)
			}
			m.check(t)
		}
		problems, err := s.Check(p)
		if err != nil {
			t.Fatalf("check: %v", err)
		}
		if len(problems) > 0 {
			t.Fatalf("check found problems:\n%s", joinLines(problems))
		}
	})
}

// tryCorrect runs correct when some lead has a touch; it reports whether
// it did.
func (m *queueModel) tryCorrect(t *rapid.T) bool {
	for _, id := range m.ids {
		if len(m.touches[id]) > 0 {
			m.correct(t)
			return true
		}
	}
	return false
}
