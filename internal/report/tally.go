package report

import (
	"slices"
	"time"

	"github.com/followuphq/followup/cadence"
)

// bandEdges are the upper bounds (exclusive) of the response-time bands
// but the last, which is open: 0–5, 5–15, 15–30, 30–60 and 60+ minutes.
var bandEdges = [...]time.Duration{5 * time.Minute, 15 * time.Minute, 30 * time.Minute, 60 * time.Minute}

// BandNames name the response-time bands, in order.
var BandNames = [...]string{"0-5m", "5-15m", "15-30m", "30-60m", "60m+"}

// DepthCap is the last bucket of the contacts-per-lead histogram: it
// counts leads with DepthCap or more contact attempts.
const DepthCap = 12

// SeedsGaveUp is the seeds' give-up curve: of the reps who stop following
// a lead up, the percentage who stop after the 1st, 2nd, 3rd, 4th, and 5th
// or later contact.
var SeedsGaveUp = [5]float64{48, 24, 12, 6, 10}

// SeedsWonAt is the seeds' curve of when sales close: the percentage made
// on the 1st, 2nd, 3rd, 4th, and 5th or later contact.
var SeedsWonAt = [5]float64{2, 3, 4, 10, 81}

// tally counts one group of leads (all, one rep's, one source's). Tallies
// of disjoint groups merge by adding.
type tally struct {
	leads, contacted, untouched             int
	slaMet, slaBreached, slaPending         int
	qualified, won, lost, doNotContact      int
	response                                Dist
	bands                                   [len(BandNames)]int
	depth                                   [DepthCap + 1]int
	gaveUpAt                                [5]int // abandoned after contact 1, 2, 3, 4, 5+
	lostNoReason, left                      int
	wonAt                                   [5]int
	toEntered, toAssigned, toFirst, toReach Dist // received→entered, entered→assigned, assigned→first contact, received→first contact
	handOffs, handed                        int
}

// merge adds o's counts to t.
func (t *tally) merge(o *tally) {
	t.leads += o.leads
	t.contacted += o.contacted
	t.untouched += o.untouched
	t.slaMet += o.slaMet
	t.slaBreached += o.slaBreached
	t.slaPending += o.slaPending
	t.qualified += o.qualified
	t.won += o.won
	t.lost += o.lost
	t.doNotContact += o.doNotContact
	t.response.Merge(&o.response)
	for i := range t.bands {
		t.bands[i] += o.bands[i]
	}
	for i := range t.depth {
		t.depth[i] += o.depth[i]
	}
	for i := range t.gaveUpAt {
		t.gaveUpAt[i] += o.gaveUpAt[i]
		t.wonAt[i] += o.wonAt[i]
	}
	t.lostNoReason += o.lostNoReason
	t.left += o.left
	t.toEntered.Merge(&o.toEntered)
	t.toAssigned.Merge(&o.toAssigned)
	t.toFirst.Merge(&o.toFirst)
	t.toReach.Merge(&o.toReach)
	t.handOffs += o.handOffs
	t.handed += o.handed
}

// leadFigures is one lead's contribution to a tally.
type leadFigures struct {
	facts
	received, entered time.Time
	response          time.Duration // business time to first contact (contacted leads)
	slaBreached       bool
	left              bool // open, touched, and the cadence's next touch long overdue

	// The Dist buckets of the lead's durations, worked out once for the
	// several tallies the lead is counted in (see prepare).
	band                          int
	kResponse, kToFirst, kToReach int64
	kToEntered, kToAssigned       int64
	prepared                      bool
}

// prepare works out the lead's band and Dist buckets.
func (l *leadFigures) prepare() {
	if !l.firstContact.IsZero() {
		l.band = band(l.response)
		l.kResponse = bucketOf(l.response)
		l.kToFirst = bucketOf(l.firstContact.Sub(l.assignedOr()))
		l.kToReach = bucketOf(l.firstContact.Sub(l.received))
	}
	l.kToEntered = bucketOf(l.entered.Sub(l.received))
	if !l.assignedAt.IsZero() {
		l.kToAssigned = bucketOf(l.assignedAt.Sub(l.entered))
	}
	l.prepared = true
}

// add counts one lead.
func (t *tally) add(l *leadFigures) {
	if !l.prepared {
		l.prepare()
	}
	t.leads++
	if l.firstContact.IsZero() {
		t.untouched++
		if l.slaBreached {
			t.slaBreached++
		} else {
			t.slaPending++
		}
	} else {
		t.contacted++
		if l.slaBreached {
			t.slaBreached++
		} else {
			t.slaMet++
		}
		t.response.addKey(l.kResponse)
		t.bands[l.band]++
		t.toFirst.addKey(l.kToFirst)
		t.toReach.addKey(l.kToReach)
	}
	t.toEntered.addKey(l.kToEntered)
	if !l.assignedAt.IsZero() {
		t.toAssigned.addKey(l.kToAssigned)
	}
	t.depth[min(l.contacts, DepthCap)]++
	if l.qualified {
		t.qualified++
	}
	switch l.status {
	case cadence.StatusWon:
		t.won++
		t.wonAt[min(l.wonAt, 5)-1]++
	case cadence.StatusLost:
		t.lost++
		if l.lostNoReason {
			t.lostNoReason++
			t.gaveUpAt[min(max(l.contacts, 1), 5)-1]++
		}
	case cadence.StatusDoNotContact:
		t.doNotContact++
	}
	if l.left {
		t.left++
		t.gaveUpAt[min(l.contacts, 5)-1]++
	}
	t.handOffs += l.handOffs
	if l.handOffs > 0 {
		t.handed++
	}
}

// assignedOr is when the lead was assigned, or entered when it never was.
func (l *leadFigures) assignedOr() time.Time {
	if l.assignedAt.IsZero() || l.assignedAt.After(l.firstContact) {
		return l.entered
	}
	return l.assignedAt
}

// band returns the index of the response-time band d falls in.
func band(d time.Duration) int {
	for i, edge := range bandEdges {
		if d < edge {
			return i
		}
	}
	return len(bandEdges)
}

// untouchedLead is a lead nobody has tried to reach yet.
type untouchedLead struct {
	id       cadence.LeadID
	name     string
	owner    string
	source   string
	received time.Time
	breached bool
}

// acc accumulates a report: tallies per rep and per source (the tally of
// all leads is their sum, see totals), leads per week, and the oldest
// untouched leads. Accumulators of disjoint sets of leads merge.
type acc struct {
	reps      map[string]*tally
	sources   map[string]*tally
	weeks     map[cadence.Date]int
	untouched []untouchedLead // the oldest, at most limit, oldest first
	limit     int             // ≤ 0: keep every untouched lead

	recentReps, recentSources recentGroups
}

// recentGroups remembers the tallies of a few groups looked up lately: a
// team has few reps and sources, and comparing a few short strings is
// cheaper than hashing one.
type recentGroups struct {
	keys    [8]string
	tallies [8]*tally
	next    int
}

// get returns the tally of key in m, creating it, through the recent ones.
func (r *recentGroups) get(m map[string]*tally, key string) *tally {
	for i, k := range r.keys {
		if k == key && r.tallies[i] != nil {
			return r.tallies[i]
		}
	}
	t := group(m, key)
	r.keys[r.next], r.tallies[r.next] = key, t
	r.next = (r.next + 1) % len(r.keys)
	return t
}

func newAcc(limit int) *acc {
	return &acc{reps: map[string]*tally{}, sources: map[string]*tally{}, weeks: map[cadence.Date]int{}, limit: limit}
}

// totals returns the tally of all leads: every lead is counted under
// exactly one owner ("" for none), so it is the sum of the reps' tallies.
func (a *acc) totals() tally {
	var t tally
	for _, r := range a.reps {
		t.merge(r)
	}
	return t
}

// group returns the tally of key in m, creating it.
func group(m map[string]*tally, key string) *tally {
	t, ok := m[key]
	if !ok {
		t = &tally{}
		m[key] = t
	}
	return t
}

// add counts one lead in every group it belongs to.
func (a *acc) add(l *leadFigures, week cadence.Date, u *untouchedLead) {
	a.recentReps.get(a.reps, l.owner).add(l)
	a.recentSources.get(a.sources, u.source).add(l)
	a.weeks[week]++
	if l.firstContact.IsZero() {
		a.keepUntouched(*u)
	}
}

// keepUntouched keeps u if it is among the oldest limit untouched leads.
func (a *acc) keepUntouched(u untouchedLead) {
	older := func(x, y untouchedLead) int {
		if c := x.received.Compare(y.received); c != 0 {
			return c
		}
		return compareID(x.id, y.id)
	}
	i, _ := slices.BinarySearchFunc(a.untouched, u, older)
	if a.limit > 0 && i >= a.limit {
		return
	}
	a.untouched = slices.Insert(a.untouched, i, u)
	if a.limit > 0 && len(a.untouched) > a.limit {
		a.untouched = a.untouched[:a.limit]
	}
}

func compareID(a, b cadence.LeadID) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// merge adds o's leads to a.
func (a *acc) merge(o *acc) {
	for k, t := range o.reps {
		group(a.reps, k).merge(t)
	}
	for k, t := range o.sources {
		group(a.sources, k).merge(t)
	}
	for w, n := range o.weeks {
		a.weeks[w] += n
	}
	for _, u := range o.untouched {
		a.keepUntouched(u)
	}
}
