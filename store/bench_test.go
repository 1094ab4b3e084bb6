package store_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

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

// reportP50 records the median of the samples as "p50-µs".
func reportP50(b *testing.B, samples []time.Duration) {
	slices.Sort(samples)
	b.ReportMetric(float64(samples[len(samples)/2].Microseconds()), "p50-µs")
}

// BenchmarkLogOutcome logs one outcome — the touch, the lead's new state
// and its queue-index move in one durable transaction — on a 100,000-lead
// database. BenchmarkBarePut, on the same file kind and size, is the anchor:
// a bare bbolt transaction with one put.
func BenchmarkLogOutcome(b *testing.B) {
	s, p := benchStore(b, b.TempDir(), 100_000)
	defer s.Close()
	var open []cadence.LeadID
	for _, rep := range demo.Reps {
		leads, err := s.Queue(rep, 0)
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range leads {
			open = append(open, l.ID)
		}
	}
	var samples []time.Duration
	at := benchNow
	i := 0
	for b.Loop() {
		at = at.Add(time.Second)
		t := cadence.Touch{LeadID: open[i%len(open)], At: at, Rep: "alice", Channel: cadence.Email, Outcome: cadence.NoAnswer}
		i++
		start := time.Now()
		if _, _, err := s.LogTouch(p, t); err != nil {
			b.Fatal(err)
		}
		samples = append(samples, time.Since(start))
	}
	reportP50(b, samples)
}

// BenchmarkBarePut is the anchor for BenchmarkLogOutcome: one durable bbolt
// transaction with one put of a lead-sized value, on a database built the
// same way.
func BenchmarkBarePut(b *testing.B) {
	dir := b.TempDir()
	s, _ := benchStore(b, dir, 100_000)
	s.Close()
	db, err := bolt.Open(filepath.Join(dir, "bench.db"), 0o600, &bolt.Options{FreelistType: bolt.FreelistMapType})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	value := make([]byte, 200)
	var samples []time.Duration
	i := uint64(0)
	for b.Loop() {
		i++
		start := time.Now()
		err := db.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte("bench"))
			if err != nil {
				return err
			}
			key := []byte{byte(i >> 24), byte(i >> 16), byte(i >> 8), byte(i)}
			return bk.Put(key, value)
		})
		if err != nil {
			b.Fatal(err)
		}
		samples = append(samples, time.Since(start))
	}
	reportP50(b, samples)
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
