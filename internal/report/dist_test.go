package report

import (
	"math"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestDistQuantileAndMerge checks Dist against the nearest-rank quantile
// of the values rounded down to their buckets, for values across every
// kind of bucket (seconds, minutes, hours, years), added to one Dist or
// split between two and merged.
func TestDistQuantileAndMerge(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		scale := rapid.SampledFrom([]time.Duration{time.Minute, time.Hour, 48 * time.Hour, 5 * 365 * 24 * time.Hour}).Draw(t, "scale")
		vals := rapid.SliceOfN(rapid.Int64Range(-int64(time.Second), int64(scale)), 1, 200).Draw(t, "values")
		var one, a, b Dist
		ref := make([]int64, len(vals))
		for i, v := range vals {
			one.Add(time.Duration(v))
			if i%2 == 0 {
				a.Add(time.Duration(v))
			} else {
				b.Add(time.Duration(v))
			}
			ref[i] = bucketOf(time.Duration(v))
		}
		a.Merge(&b)
		slices.Sort(ref)
		for _, q := range []float64{0.01, 0.5, 0.9, 1} {
			want := time.Duration(ref[max(int(math.Ceil(q*float64(len(ref)))), 1)-1]) * time.Second
			for name, d := range map[string]*Dist{"one": &one, "merged": &a} {
				got, ok := d.Quantile(q)
				if !ok || got != want || d.Count() != len(vals) {
					t.Fatalf("%s: Quantile(%v) = %v, %v (count %d), want %v (count %d)", name, q, got, ok, d.Count(), want, len(vals))
				}
			}
		}
	})
	var empty Dist
	if _, ok := empty.Quantile(0.5); ok {
		t.Error("an empty Dist has a median")
	}
}
