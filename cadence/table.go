package cadence

import (
	"slices"
	"sort"
	"time"
)

// BusinessTable answers a Calendar's business-time questions from a table
// of days built once: each day's first instant, whether its wall clock runs
// without a zone change, and every stretch of business hours with the
// business time before it. Business time between two instants is then two
// binary searches and a subtraction, and adding business time one search,
// where the Calendar builds each day's hours with time.Date as it walks.
//
// Its answers are the Calendar's exactly (times are in the calendar's
// location), for calendars that do not go ten years without business time
// (where the Calendar gives up and the table does not). It covers the days around the instants it is asked about,
// growing when asked about one outside them, up to maxTableDays days; past
// that, or for a result beyond the table, it asks the Calendar. It is not
// safe for concurrent use.
type BusinessTable struct {
	cal   Calendar
	loc   *time.Location
	first Date // the date of day 0

	// Per day i (first + i), and dayStart[n] the first instant after the
	// last day: the day's first instant (Unix nanoseconds), its wall clock
	// then (nanoseconds since midnight), whether every instant of the day
	// has one zone offset and the day's date (regular), and the business
	// days up to and including the day.
	dates    []Date
	dayStart []int64
	wall0    []int64
	regular  []bool
	bizDays  []int32

	// The stretches of business time in order, as the Calendar walks them:
	// [start[i], end[i]), and the business time before start[i] since the
	// table's first stretch.
	start, end, before []int64
	// stretchAt[i] is the index of the first stretch starting at or after
	// dayStart[i].
	stretchAt []int

	// Instants in [lo, hi) are answered from the table.
	lo, hi int64
}

// maxTableDays bounds a BusinessTable: about forty years of days.
const maxTableDays = 40 * 366

// tableMargin is how many days beyond an instant asked about a table grows
// to cover.
const tableMargin = 400

// NewBusinessTable returns a table of c's business time covering at least
// from to to (and more as it is asked about other instants).
func NewBusinessTable(c Calendar, from, to time.Time) *BusinessTable {
	if to.Before(from) {
		from, to = to, from
	}
	t := &BusinessTable{cal: c, loc: c.calLoc()}
	lo, hi := DateOf(from.In(t.loc)).AddDays(-3), DateOf(to.In(t.loc)).AddDays(4)
	if daysBetween(lo, hi) > maxTableDays {
		hi = lo.AddDays(maxTableDays)
	}
	t.build(lo, hi)
	return t
}

// daysBetween returns the number of calendar days from a to b.
func daysBetween(a, b Date) int {
	ta := time.Date(a.Year, a.Month, a.Day, 12, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 12, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Round(24*time.Hour) / (24 * time.Hour))
}

// build fills the table for the dates [from, to).
func (t *BusinessTable) build(from, to Date) {
	n := daysBetween(from, to)
	t.first = from
	t.dates = make([]Date, n+1)
	t.dayStart = make([]int64, n+1)
	t.wall0 = make([]int64, n+1)
	t.regular = make([]bool, n+1)
	t.bizDays = make([]int32, n+1)
	var biz int32
	for i := 0; i <= n; i++ {
		d := from.AddDays(i)
		t.dates[i] = d
		s := civilTime(t.loc, d.Year, d.Month, d.Day, 0, 0, 0, 0)
		t.dayStart[i] = s.UnixNano()
		h, m, sec := s.Clock()
		t.wall0[i] = int64(h*3600+m*60+sec)*int64(time.Second) + int64(s.Nanosecond())
		if t.cal.IsBusinessDay(d) {
			biz++
		}
		t.bizDays[i] = biz
		t.regular[i] = DateOf(s) == d
	}
	for i := 0; i < n; i++ {
		if !t.regular[i] {
			continue
		}
		s := time.Unix(0, t.dayStart[i]).In(t.loc)
		last := time.Unix(0, t.dayStart[i+1]-1).In(t.loc)
		_, zoneEnd := s.ZoneBounds()
		t.regular[i] = DateOf(last) == DateOf(s) && (zoneEnd.IsZero() || zoneEnd.UnixNano() >= t.dayStart[i+1])
	}
	t.regular[n] = false // its end is not known

	t.start, t.end, t.before = t.start[:0], t.end[:0], t.before[:0]
	w := t.cal.walkFrom(time.Unix(0, t.dayStart[0]))
	var sum int64
	for {
		if daysBetween(from, w.day) > n {
			break
		}
		s, e, ok := w.next()
		if !ok {
			break
		}
		t.start = append(t.start, s.UnixNano())
		t.end = append(t.end, e.UnixNano())
		t.before = append(t.before, sum)
		sum += e.UnixNano() - s.UnixNano()
	}
	t.stretchAt = make([]int, n+1)
	for i := range t.stretchAt {
		t.stretchAt[i], _ = slices.BinarySearch(t.start, t.dayStart[i])
	}
	// A walk from an instant looks one day back; every stretch that could
	// touch an instant in [lo, hi) was walked from the table's start.
	t.lo, t.hi = t.dayStart[min(2, n)], t.dayStart[max(n-2, 0)]
}

// cover makes the table answer for the instant x (Unix nanoseconds),
// growing it, and reports false when it would grow past maxTableDays.
func (t *BusinessTable) cover(x int64) bool {
	if x >= t.lo && x < t.hi {
		return true
	}
	d := DateOf(time.Unix(0, x).In(t.loc))
	from, to := t.first, t.first.AddDays(len(t.dayStart)-1)
	if x < t.lo {
		from = d.AddDays(-tableMargin)
	} else {
		to = d.AddDays(tableMargin)
	}
	if daysBetween(from, to) > maxTableDays {
		return false
	}
	t.build(from, to)
	return x >= t.lo && x < t.hi
}

// nanos returns at in Unix nanoseconds, having the table cover it; ok is
// false for an instant the table does not answer for (beyond maxTableDays,
// or outside the years Unix nanoseconds can hold).
func (t *BusinessTable) nanos(at time.Time) (x int64, ok bool) {
	if sec := at.Unix(); sec < -9e9 || sec > 9e9 {
		return 0, false
	}
	x = at.UnixNano()
	return x, t.cover(x)
}

// at returns the instant x (Unix nanoseconds) in the calendar's location.
func (t *BusinessTable) at(x int64) time.Time { return time.Unix(0, x).In(t.loc) }

// dayIndex returns the last day starting at or before x (Unix
// nanoseconds), -1 when x is before the table: days are about 24 hours
// long, so a division lands within a step or two of it.
func (t *BusinessTable) dayIndex(x int64) int {
	if x < t.dayStart[0] {
		return -1
	}
	i := min(int((x-t.dayStart[0])/int64(24*time.Hour)), len(t.dayStart)-1)
	for i > 0 && t.dayStart[i] > x {
		i--
	}
	for i+1 < len(t.dayStart) && t.dayStart[i+1] <= x {
		i++
	}
	return i
}

// stretchBefore returns the index of the last stretch starting at or
// before x (Unix nanoseconds), -1 when there is none.
func (t *BusinessTable) stretchBefore(x int64) int {
	i := t.dayIndex(x)
	if i < 0 {
		return -1
	}
	j := len(t.start) - 1
	if i+1 < len(t.stretchAt) {
		j = t.stretchAt[i+1] - 1 // the last stretch starting before the next day
	}
	for j >= 0 && t.start[j] > x {
		j--
	}
	return j
}

// sumBefore returns the business time from the table's first stretch to x.
func (t *BusinessTable) sumBefore(x int64) int64 {
	i := t.stretchBefore(x)
	if i < 0 {
		return 0
	}
	return t.before[i] + min(x-t.start[i], t.end[i]-t.start[i])
}

// BusinessBetween is Calendar.BusinessBetween.
func (t *BusinessTable) BusinessBetween(a, b time.Time) time.Duration {
	an, okA := t.nanos(a)
	bn, okB := t.nanos(b)
	if !okA || !okB || !t.cover(an) {
		return t.cal.BusinessBetween(a, b)
	}
	return time.Duration(t.sumBefore(bn) - t.sumBefore(an))
}

// AddBusiness is Calendar.AddBusiness.
func (t *BusinessTable) AddBusiness(at time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return at.In(t.loc)
	}
	x, ok := t.nanos(at)
	if !ok {
		return t.cal.AddBusiness(at, d)
	}
	i := max(t.stretchBefore(x), 0)
	target := int64(d)
	if i < len(t.start) {
		target += t.before[i] + min(max(x-t.start[i], 0), t.end[i]-t.start[i])
	}
	// The first stretch by whose end the business time reaches target:
	// used up exactly at a closing time, the result is that closing time.
	// It is usually a step or two away; further, search.
	for steps := 0; i < len(t.start) && t.before[i]+t.end[i]-t.start[i] < target; steps++ {
		if steps == 4 {
			i += sort.Search(len(t.start)-i, func(k int) bool { return t.before[i+k]+t.end[i+k]-t.start[i+k] >= target })
			break
		}
		i++
	}
	if i >= len(t.start) {
		return t.cal.AddBusiness(at, d)
	}
	r := t.start[i] + target - t.before[i]
	if r >= t.hi {
		return t.cal.AddBusiness(at, d)
	}
	return t.at(r)
}

// nextOpen is Calendar.NextOpen for x (Unix nanoseconds) covered by the
// table; ok is false when no stretch follows within it.
func (t *BusinessTable) nextOpen(x int64) (int64, bool) {
	i := t.stretchBefore(x) // the first stretch ending after x is it or the next
	if i < 0 || t.end[i] <= x {
		i++
	}
	if i >= len(t.start) || t.start[i] >= t.hi {
		return 0, false
	}
	return max(t.start[i], x), true
}

// NextOpen is Calendar.NextOpen.
func (t *BusinessTable) NextOpen(at time.Time) time.Time {
	if x, ok := t.nanos(at); ok {
		if r, ok := t.nextOpen(x); ok {
			return t.at(r)
		}
	}
	return t.cal.NextOpen(at)
}

// dayOf returns the index of the day x (Unix nanoseconds, covered) falls
// on and its wall clock in nanoseconds since midnight.
func (t *BusinessTable) dayOf(x int64) (day int, clock int64) {
	i := t.dayIndex(x)
	if i >= 0 && t.regular[i] {
		return i, x - t.dayStart[i] + t.wall0[i]
	}
	l := t.at(x)
	h, m, s := l.Clock()
	return daysBetween(t.first, DateOf(l)), int64(h*3600+m*60+s)*int64(time.Second) + int64(l.Nanosecond())
}

// DateOf returns the date of the instant at in the calendar's location.
func (t *BusinessTable) DateOf(at time.Time) Date {
	x, ok := t.nanos(at)
	if !ok {
		return DateOf(at.In(t.loc))
	}
	if i, _ := t.dayOf(x); i >= 0 && i < len(t.dates) {
		return t.dates[i]
	}
	return DateOf(at.In(t.loc))
}

// AddBusinessDays is Calendar.AddBusinessDays.
func (t *BusinessTable) AddBusinessDays(at time.Time, n int) time.Time {
	if n <= 0 {
		return t.NextOpen(at)
	}
	x, ok := t.nanos(at)
	if !ok {
		return t.cal.AddBusinessDays(at, n)
	}
	day, clock := t.dayOf(x)
	if day < 0 || day >= len(t.bizDays) {
		return t.cal.AddBusinessDays(at, n)
	}
	want := t.bizDays[day] + int32(min(n, maxTableDays))
	j, _ := slices.BinarySearch(t.bizDays, want) // the first day with want business days
	if j >= len(t.bizDays)-1 {
		return t.cal.AddBusinessDays(at, n)
	}
	var y int64
	if t.regular[j] && clock >= t.wall0[j] && t.dayStart[j]+clock-t.wall0[j] < t.dayStart[j+1] {
		y = t.dayStart[j] + clock - t.wall0[j]
	} else {
		d := t.dates[j]
		c := time.Duration(clock)
		y = civilTime(t.loc, d.Year, d.Month, d.Day, int(c/time.Hour), int(c%time.Hour/time.Minute),
			int(c%time.Minute/time.Second), int(c%time.Second)).UnixNano()
	}
	if !t.cover(y) {
		return t.cal.AddBusinessDays(at, n)
	}
	if r, ok := t.nextOpen(y); ok {
		return t.at(r)
	}
	return t.cal.AddBusinessDays(at, n)
}

// Add is Calendar.Add: the time o after at.
func (t *BusinessTable) Add(at time.Time, o Offset) time.Time {
	if o.Unit == BusinessDays {
		return t.AddBusinessDays(at, min(max(o.N, 0), MaxOffsetN))
	}
	return t.cal.Add(at, o)
}
