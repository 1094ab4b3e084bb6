package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/demo"
	"github.com/followuphq/followup/store"
)

var benchNow = time.Date(2026, 11, 23, 10, 15, 0, 0, mustLoc("America/New_York"))

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// benchStore builds a demo database of n leads in dir and reopens it with
// durable (fsync'd) commits.
func benchStore(b *testing.B, dir string, n int) (*store.Store, cadence.Policy) {
	b.Helper()
	p := cadence.DefaultPolicy(benchNow.Location())
	path := filepath.Join(dir, "bench.db")
	s, err := store.Open(path, store.Options{NoSync: true, InitialMmapSize: demo.MmapSize(n)})
	if err != nil {
		b.Fatal(err)
	}
	if err := demo.Build(s, demo.Options{Leads: n, Now: benchNow, Seed: 1, Policy: p}); err != nil {
		b.Fatal(err)
	}
	if err := s.Sync(); err != nil {
		b.Fatal(err)
	}
	s.Close()
	s, err = store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return s, p
}

// BenchmarkQueueTop20 reads the top 20 of one rep's queue from the index on
// a 100,000-lead database (the in-process part of `followup queue`).
func BenchmarkQueueTop20(b *testing.B) {
	s, _ := benchStore(b, b.TempDir(), 100_000)
	defer s.Close()
	for b.Loop() {
		leads, err := s.Queue("alice", 20)
		if err != nil || len(leads) != 20 {
			b.Fatal(len(leads), err)
		}
	}
}
