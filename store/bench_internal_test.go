package store

import (
	"encoding/binary"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
)

// BenchmarkLogOutcomeVsBarePut interleaves, on one 100,000-lead database
// with fsync on, logging an outcome (the touch, the lead's new state and
// its queue-index move in one transaction) with a bare bbolt transaction
// of one put, and reports both medians and their ratio: the anchor is
// measured under the same disk weather.
func BenchmarkLogOutcomeVsBarePut(b *testing.B) {
	loc, _ := time.LoadLocation("America/New_York")
	now := time.Date(2026, 11, 23, 10, 15, 0, 0, loc)
	p := cadence.DefaultPolicy(loc)
	path := filepath.Join(b.TempDir(), "bench.db")
	s, err := Open(path, Options{NoSync: true, InitialMmapSize: 256 << 20})
	if err != nil {
		b.Fatal(err)
	}
	reps := []string{"alice", "bob", "carmen", "dmitri", "emeka"}
	const n = 100_000
	err = s.Bulk(func(bt *Batch) error {
		for _, r := range reps {
			if err := bt.AddRep(cadence.Rep{Name: r}); err != nil {
				return err
			}
		}
		for i := 0; i < n; i++ {
			l := cadence.Lead{Name: fmt.Sprintf("Lead %d", i), Email: fmt.Sprintf("lead%d@example.com", i),
				Phone: "+13125550142", Company: "Acme Inc", Source: "webinar", Owner: reps[i%len(reps)],
				ReceivedAt: now.Add(-time.Duration(i) * time.Minute), Interactions: 1}
			if err := bt.AddLead(&l, nil, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	if s, err = Open(path, Options{}); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var logs, puts []time.Duration
	value := make([]byte, 200)
	at := now
	for i := 0; b.Loop(); i++ {
		at = at.Add(time.Second)
		t := cadence.Touch{LeadID: cadence.LeadID(1 + (i*7919)%n), At: at, Rep: "alice", Channel: cadence.Email, Outcome: cadence.NoAnswer}
		start := time.Now()
		if _, _, err := s.LogTouch(p, t); err != nil {
			b.Fatal(err)
		}
		logs = append(logs, time.Since(start))
		start = time.Now()
		err := s.db.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte("bench"))
			if err != nil {
				return err
			}
			return bk.Put(binary.BigEndian.AppendUint64(nil, uint64(i)), value)
		})
		if err != nil {
			b.Fatal(err)
		}
		puts = append(puts, time.Since(start))
	}
	slices.Sort(logs)
	slices.Sort(puts)
	log50, put50 := logs[len(logs)/2], puts[len(puts)/2]
	b.ReportMetric(float64(log50.Microseconds()), "log-p50-µs")
	b.ReportMetric(float64(put50.Microseconds()), "put-p50-µs")
	b.ReportMetric(float64(log50)/float64(put50), "ratio")
}
