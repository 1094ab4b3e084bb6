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
type Dist struct {
	counts map[int64]int // bucket's lower bound in seconds → count
	n      int
}

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
func (d *Dist) Add(v time.Duration) {
	if d.counts == nil {
		d.counts = map[int64]int{}
	}
	d.counts[bucketOf(v)]++
	d.n++
}

// Merge adds the values of o.
func (d *Dist) Merge(o *Dist) {
	for k, c := range o.counts {
		if d.counts == nil {
			d.counts = map[int64]int{}
		}
		d.counts[k] += c
	}
	d.n += o.n
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
	keys := make([]int64, 0, len(d.counts))
	for k := range d.counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	seen := 0
	for _, k := range keys {
		seen += d.counts[k]
		if seen >= rank {
			return time.Duration(k) * time.Second, true
		}
	}
	return time.Duration(keys[len(keys)-1]) * time.Second, true
}
