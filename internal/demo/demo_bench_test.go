package demo

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// BenchmarkBuild measures building a demo database of 100,000 leads; the
// figure to read is leads/s.
func BenchmarkBuild(b *testing.B) {
	loc, _ := time.LoadLocation("America/New_York")
	now := time.Date(2026, 11, 23, 10, 15, 0, 0, loc)
	const n = 100_000
	for b.Loop() {
		s, err := store.Open(filepath.Join(b.TempDir(), "demo.db"), store.Options{NoSync: true, InitialMmapSize: MmapSize(n)})
		if err != nil {
			b.Fatal(err)
		}
		if err := Build(s, Options{Leads: n, Now: now, Seed: 1, Policy: cadence.DefaultPolicy(loc)}); err != nil {
			b.Fatal(err)
		}
		if err := s.Sync(); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "leads/s")
}
