package store_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/report"
	"github.com/followuphq/followup/store"
)

// TestScanHistories reads leads with their touches and hand-offs, skips
// the touches of unwanted leads, and passes over nothing else.
func TestScanHistories(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "scan.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := cadence.DefaultPolicy(benchNow.Location())
	for _, name := range []string{"alice", "bob"} {
		if err := s.AddRep(cadence.Rep{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		l, err := s.AddLead(cadence.Lead{Name: fmt.Sprint("lead ", i+1), Owner: "alice", Source: "web", ReceivedAt: benchNow})
		if err != nil {
			t.Fatal(err)
		}
		for j := range i {
			if _, _, err := s.LogTouch(p, cadence.Touch{LeadID: l.ID, At: benchNow.Add(time.Duration(j+1) * time.Hour), Rep: "alice", Channel: cadence.Email, Outcome: cadence.NoAnswer}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.Assign(cadence.DefaultPolicy(time.UTC), 3, "bob", "maria", benchNow.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	var got []string
	err = s.ScanHistories(func(h *store.LeadHistory) bool { return h.ID != 2 }, func(h *store.LeadHistory) error {
		line := fmt.Sprintf("%d %s %s/%s touches=%d", h.ID, h.Name, h.Owner, h.Source, len(h.Touches))
		for _, ho := range h.HandOffs {
			line += fmt.Sprintf(" %s→%s by %s", ho.From, ho.To, ho.By)
		}
		l, err := h.Lead()
		if err != nil || l.Name != h.Name {
			t.Errorf("Lead() = %v, %v", l.Name, err)
		}
		got = append(got, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1 lead 1 alice/web touches=0", "3 lead 3 bob/web touches=2 alice→bob by maria"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("scan = %q, want %q", got, want)
	}
}

// reportBenchDB returns a database of 1,000,000 leads and 5,000,000
// touches, built once at $REPORT_BENCH_DB (default /tmp/report-bench.db)
// and kept for later runs.
func reportBenchDB(b *testing.B) string {
	b.Helper()
	path := os.Getenv("REPORT_BENCH_DB")
	if path == "" {
		path = filepath.Join(os.TempDir(), "report-bench.db")
	}
	if _, err := os.Stat(path); err == nil {
		return path
	}
	const leads, perLead = 1_000_000, 5
	tmp := path + ".building"
	os.Remove(tmp)
	s, err := store.Open(tmp, store.Options{NoSync: true, InitialMmapSize: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	reps := []string{"alice", "bob", "carol", "dave", "erin"}
	sources := []string{"webinar", "website", "expo", "referral", "ads"}
	err = s.Bulk(func(bt *store.Batch) error {
		for _, r := range reps {
			if err := bt.AddRep(cadence.Rep{Name: r}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	ld := s.Loader()
	outcomes := []cadence.Outcome{cadence.NoAnswer, cadence.Voicemail, cadence.Connected, cadence.BadNumber, cadence.Qualified}
	for start := 0; start < leads; start += 10_000 {
		err := ld.Batch(func(bt *store.Batch) error {
			for i := start; i < start+10_000; i++ {
				// Received 20 to 90 days ago: every touch is before benchNow.
				received := benchNow.Add(-20*24*time.Hour - time.Duration(rng.Int64N(int64(70*24*time.Hour)))).Truncate(time.Minute)
				l := cadence.Lead{Name: fmt.Sprintf("Lead %d", i), Owner: reps[i%len(reps)], Source: sources[rng.IntN(len(sources))],
					ReceivedAt: received, EnteredAt: received.Add(2 * time.Minute), AssignedAt: received.Add(2 * time.Minute), Interactions: 1}
				touches := make([]cadence.Touch, perLead)
				at := received.Add(time.Duration(rng.IntN(120)) * time.Minute)
				for j := range touches {
					touches[j] = cadence.Touch{At: at, Rep: l.Owner, Channel: cadence.Call, Outcome: outcomes[rng.IntN(len(outcomes))]}
					at = at.Add(time.Duration(1+rng.IntN(72)) * time.Hour)
				}
				switch rng.IntN(10) {
				case 0:
					touches[perLead-1].Outcome = cadence.Won
					l.Status = cadence.StatusWon
				case 1:
					touches[perLead-1].Outcome, touches[perLead-1].Note = cadence.Lost, "bought elsewhere"
					l.Status = cadence.StatusLost
				}
				last := touches[perLead-1].At
				l.Touches, l.FirstContactAt, l.LastContactAt, l.LastTouchAt = perLead, touches[0].At, last, last
				if l.Status == cadence.StatusOpen {
					l.NextDue = last.Add(48 * time.Hour)
				} else {
					l.ClosedAt = last
				}
				if err := bt.AddLead(&l, touches, nil); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := ld.Finish(); err != nil {
		b.Fatal(err)
	}
	if err := s.Sync(); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkReport1M computes the whole report (no filter) over 1,000,000
// leads and 5,000,000 touches: what `followup report` does after opening
// the file.
func BenchmarkReport1M(b *testing.B) {
	s, err := store.Open(reportBenchDB(b), store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	p := cadence.DefaultPolicy(benchNow.Location())
	for b.Loop() {
		r, err := report.Build(s, report.Options{Policy: p, Now: benchNow, Untouched: 20,
			Goals: report.Goals{FollowUpRate: 100, MedianResponse: 30 * time.Minute}})
		if err != nil {
			b.Fatal(err)
		}
		if r.Leads != 1_000_000 {
			b.Fatalf("%d leads, want 1000000", r.Leads)
		}
	}
}

// BenchmarkBareScan1M is the anchor: the same file's leads and touches
// walked with bare bbolt cursors in one read transaction, nothing decoded.
func BenchmarkBareScan1M(b *testing.B) {
	db, err := bolt.Open(reportBenchDB(b), 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for b.Loop() {
		n := 0
		err := db.View(func(tx *bolt.Tx) error {
			for _, name := range []string{"leads", "touches"} {
				c := tx.Bucket([]byte(name)).Cursor()
				for k, v := c.First(); k != nil; k, v = c.Next() {
					n += len(v) & 1
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		_ = n
	}
}
