package report

import (
	"math"
	"slices"
	"time"
)

// Dist is a distribution of durations kept as a histogram, so that it takes
// bounded memory however many values it holds and two of them merge by
// adding counts. Values under an hour are kept to the second, under two
// days to the minute, longer ones to the hour.
//
// The buckets are arrays indexed by value, allocated on first use: seconds
// under an hour, minutes from one hour to two days, and hours from two days
// to maxHourBucket; a value beyond that (years) is kept in a map.
type Dist struct {
	secs  []int         // secs[s]: values of s seconds, s < 3600
	mins  []int         // mins[m]: values of 60+m minutes, under 48 hours
	hours []int         // hours[h]: values of 48+h hours, grown as needed
	far   map[int64]int // bucket's lower bound in seconds → count, past maxHourBucket
	n     int
}

const (
	secBuckets    = 3600
	minBuckets    = 48*60 - 60
	maxHourBucket = 24 * 366 * 3 // three years of hours
)

// bucketOf returns the lower bound, in seconds, of the bucket holding d.
func bucketOf(d time.Duration) int64 {
	s := int64(max(d, 0) / time.Second)
	switch {
	case s < 3600:
		return s
	case s < 48*3600:
		return s / 60 * 60
	default:
		return s / 3600 * 3600
	}
}

// Add counts one value; a negative value counts as zero.
func (d *Dist) Add(v time.Duration) { d.addKey(bucketOf(v)) }

// addKey counts one value in the bucket whose lower bound is k seconds
// (see bucketOf).
func (d *Dist) addKey(k int64) {
	d.addBucket(k, 1)
	d.n++
}

// addBucket adds c values to the bucket whose lower bound is k seconds.
func (d *Dist) addBucket(k int64, c int) {
	switch {
	case k < secBuckets:
		if d.secs == nil {
			d.secs = make([]int, secBuckets)
		}
		d.secs[k] += c
	case k < 48*3600:
		if d.mins == nil {
			d.mins = make([]int, minBuckets)
		}
		d.mins[k/60-60] += c
	case k/3600-48 < maxHourBucket:
		h := int(k/3600 - 48)
		if h >= len(d.hours) {
			d.hours = append(d.hours, make([]int, max(h+1, 2*len(d.hours))-len(d.hours))...)
		}
		d.hours[h] += c
	default:
		if d.far == nil {
			d.far = map[int64]int{}
		}
		d.far[k] += c
	}
}

// Merge adds the values of o.
func (d *Dist) Merge(o *Dist) {
	o.each(func(k int64, c int) bool {
		d.addBucket(k, c)
		return true
	})
	d.n += o.n
}

// each calls fn with every bucket that holds values, lowest first, until
// fn returns false.
func (d *Dist) each(fn func(k int64, c int) bool) {
	for s, c := range d.secs {
		if c > 0 && !fn(int64(s), c) {
			return
		}
	}
	for m, c := range d.mins {
		if c > 0 && !fn(int64(m+60)*60, c) {
			return
		}
	}
	for h, c := range d.hours {
		if c > 0 && !fn(int64(h+48)*3600, c) {
			return
		}
	}
	if len(d.far) == 0 {
		return
	}
	keys := make([]int64, 0, len(d.far))
	for k := range d.far {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !fn(k, d.far[k]) {
			return
		}
	}
}

// Count returns how many values there are.
func (d *Dist) Count() int { return d.n }

// Quantile returns the nearest-rank q-quantile (0 < q ≤ 1): the smallest
// value v such that at least q of the values are ≤ v, to its bucket's
// resolution. So the median of 4, 8, 15 and 16 minutes is 8 minutes. ok is
// false when there are no values.
func (d *Dist) Quantile(q float64) (v time.Duration, ok bool) {
	if d.n == 0 {
		return 0, false
	}
	rank := max(int(math.Ceil(q*float64(d.n))), 1)
	seen, last := 0, int64(0)
	d.each(func(k int64, c int) bool {
		seen += c
		last = k
		return seen < rank
	})
	return time.Duration(last) * time.Second, true
}
